// Request signing of the bridge contract (docs/bridge-contract.md, "Signing"): both directions carry x-hop-tenant,
// x-hop-timestamp (Unix milliseconds) and x-hop-signature = "v2=" + hex HMAC-SHA256 over
// "v2\n" tenant "\n" METHOD "\n" target "\n" timestamp "\n" rawBody, where the target is the path and query as sent
// (requests to the hop server) or the absolute webhook URL (webhooks). The integration is deployed on its own, so it
// carries its own copy of the rule; the published test vectors keep every copy equal.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { SIGNATURE_TOLERANCE_MS } from './const.js'

export const HOP_HEADERS = {
  tenant: 'x-hop-tenant',
  timestamp: 'x-hop-timestamp',
  signature: 'x-hop-signature',
} as const

const SIGNATURE_VERSION = 'v2'

export type HopSignatureHeaders = {
  [HOP_HEADERS.tenant]: string
  [HOP_HEADERS.timestamp]: string
  [HOP_HEADERS.signature]: string
}

/** What a signature covers besides the tenant and the timestamp. */
export type SignedRequest = {
  method: string
  /** The path and query exactly as sent, or for a webhook the absolute URL (see `webhookTarget`). */
  target: string
  rawBody: string
}

/** `v2=<hex>` for this tenant, timestamp and request. */
export const computeSignature = (secret: string, tenantId: string, timestamp: string, request: SignedRequest): string =>
  `${SIGNATURE_VERSION}=` +
  createHmac('sha256', secret)
    .update(`${SIGNATURE_VERSION}\n${tenantId}\n${request.method.toUpperCase()}\n${request.target}\n${timestamp}\n`)
    .update(request.rawBody)
    .digest('hex')

let lastTimestamp = 0

/**
 * Now, in milliseconds, but never the same value twice in this process: two identical requests (same method, target
 * and body) signed in one millisecond would carry the same signature, and the hop server accepts a signature once.
 */
export const signingTimestamp = (now = Date.now()): number => {
  lastTimestamp = Math.max(now, lastTimestamp + 1)
  return lastTimestamp
}

/** The three headers for a request (rawBody "" for a GET). */
export const signRequest = (
  props: { tenantId: string; secret: string; now?: number } & SignedRequest
): HopSignatureHeaders => {
  const timestamp = String(props.now ?? Date.now())
  return {
    [HOP_HEADERS.tenant]: props.tenantId,
    [HOP_HEADERS.timestamp]: timestamp,
    [HOP_HEADERS.signature]: computeSignature(props.secret, props.tenantId, timestamp, props),
  }
}

/** The path and query a client sends for `url`, as the URL parser normalizes them: what it must sign. */
export const requestTarget = (url: string): string => {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

/**
 * The target a webhook was signed over: the absolute URL it was posted to. Botpress Cloud relays
 * `<webhookUrl>/rest?q` to the handler as `req.path = "/rest"`, `req.query = "q"` (the webhook id is not in the
 * path it hands over; `""` or `"/"` when nothing follows it), so the URL is rebuilt from the integration's own
 * webhook URL plus what followed it.
 */
export const webhookTarget = (webhookUrl: string, req: { path: string; query: string }): string => {
  const rest = req.path === '/' ? '' : req.path
  return new URL(`${webhookUrl.replace(/\/+$/, '')}${rest}${req.query ? `?${req.query}` : ''}`).href
}

export type VerificationResult = { valid: true } | { valid: false; reason: string }

/**
 * Checks a signed request as the contract says: known tenant, all headers, a timestamp within the window and a
 * matching v2 signature over this method, target and body (constant-time compare). The reason is safe to return to
 * the caller. Replays of webhooks are harmless by the seq rule (docs/bridge-contract.md), so no cache is kept here.
 */
export const verifySignature = (
  props: {
    headers: Record<string, string | string[] | undefined>
    expectedTenantId: string
    secret: string
    now?: number
    toleranceMs?: number
  } & SignedRequest
): VerificationResult => {
  const header = (name: string) => {
    const value = props.headers[name]
    return Array.isArray(value) ? value[0] : value
  }
  const tenant = header(HOP_HEADERS.tenant)
  const timestamp = header(HOP_HEADERS.timestamp)
  const signature = header(HOP_HEADERS.signature)
  if (!tenant || !timestamp || !signature) {
    return { valid: false, reason: 'missing signature headers' }
  }
  if (tenant !== props.expectedTenantId) {
    return { valid: false, reason: 'unknown tenant' }
  }
  if (!/^\d{1,16}$/.test(timestamp)) {
    return { valid: false, reason: 'timestamp is not a number of milliseconds' }
  }
  const skew = Math.abs((props.now ?? Date.now()) - Number(timestamp))
  if (skew > (props.toleranceMs ?? SIGNATURE_TOLERANCE_MS)) {
    return { valid: false, reason: 'timestamp outside the allowed window' }
  }
  if (!signature.startsWith(`${SIGNATURE_VERSION}=`)) {
    return { valid: false, reason: `unsupported signature version (expected ${SIGNATURE_VERSION}=<hex>)` }
  }
  const expected = Buffer.from(computeSignature(props.secret, tenant, timestamp, props))
  const received = Buffer.from(signature)
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { valid: false, reason: 'signature does not match' }
  }
  return { valid: true }
}
