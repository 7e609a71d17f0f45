// The bridge contract's HMAC signing (docs/bridge-contract.md, "Signing"), written here from the contract rather
// than imported from the hop server, so the bench also checks that the hop server signs as documented:
// x-hop-signature = "v2=" + hex HMAC-SHA256 over "v2\n" tenant "\n" METHOD "\n" target "\n" timestamp "\n" body,
// the target being the path and query as sent (to the hop server) or the absolute webhook URL (webhooks).
import { createHmac, timingSafeEqual } from 'node:crypto'

export const HEADER_TENANT = 'x-hop-tenant'
export const HEADER_TIMESTAMP = 'x-hop-timestamp'
export const HEADER_SIGNATURE = 'x-hop-signature'
const VERSION = 'v2'
/** The contract's window: a timestamp further than this from our clock is refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

export interface Signed {
  method: string
  target: string
  rawBody: string | Buffer
}

export function signature(secret: string, tenant: string, timestamp: string, request: Signed): string {
  const material = `${VERSION}\n${tenant}\n${request.method.toUpperCase()}\n${request.target}\n${timestamp}\n`
  return `${VERSION}=` + createHmac('sha256', secret).update(material).update(request.rawBody).digest('hex')
}

/** What the contract signs for a request to `url`: its path and query as they go on the wire. */
export function requestTarget(url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

/** Headers for `method url` with this body; a webhook (`webhook: true`) is signed over its absolute URL. */
export function signedHeaders(
  tenant: string,
  secret: string,
  request: { method: string; url: string; rawBody: string; webhook?: boolean }
): Record<string, string> {
  const timestamp = String(Date.now())
  const target = request.webhook ? new URL(request.url).href : requestTarget(request.url)
  return {
    [HEADER_TENANT]: tenant,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: signature(secret, tenant, timestamp, {
      method: request.method,
      target,
      rawBody: request.rawBody,
    }),
  }
}

export type Verdict = { ok: true } | { ok: false; reason: string }

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/** Checks the three headers of a request signed by `tenant` with `secret` over `request`. */
export function verifySigned(
  headers: Record<string, string | string[] | undefined>,
  request: Signed,
  tenant: string,
  secret: string,
  now = Date.now()
): Verdict {
  const givenTenant = first(headers[HEADER_TENANT])
  const timestamp = first(headers[HEADER_TIMESTAMP])
  const given = first(headers[HEADER_SIGNATURE])
  if (givenTenant !== tenant) return { ok: false, reason: `unknown tenant ${givenTenant ?? '(none)'}` }
  if (!timestamp || !/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'bad or missing timestamp' }
  if (Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'timestamp outside window' }
  if (!given) return { ok: false, reason: 'missing signature' }
  const expected = Buffer.from(signature(secret, tenant, timestamp, request))
  const actual = Buffer.from(given)
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'signature does not match' }
  }
  return { ok: true }
}
