// The bridge contract's HMAC signing (docs/bridge-contract.md, "Signing"), written here from the contract rather
// than imported from the hop server, so the bench also checks that the hop server signs as documented.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const HEADER_TENANT = 'x-hop-tenant'
export const HEADER_TIMESTAMP = 'x-hop-timestamp'
export const HEADER_SIGNATURE = 'x-hop-signature'
const SIGNATURE_PREFIX = 'v1='
/** The contract's window: a timestamp further than this from our clock is refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

export function signature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')
}

export function signedHeaders(tenant: string, secret: string, rawBody: string): Record<string, string> {
  const timestamp = String(Date.now())
  return {
    [HEADER_TENANT]: tenant,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: signature(secret, timestamp, rawBody),
  }
}

export type Verdict = { ok: true } | { ok: false; reason: string }

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/** Checks the three headers of a request signed by `tenant` with `secret`. */
export function verifySigned(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
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
  const expected = Buffer.from(signature(secret, timestamp, rawBody))
  const actual = Buffer.from(given)
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'signature does not match' }
  }
  return { ok: true }
}
