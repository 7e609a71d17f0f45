// HMAC request signing of the bridge contract, both ways (docs/bridge-contract.md, "Signing"):
// `x-hop-signature: v2=<hex HMAC-SHA256(secret, "v2\n" tenant "\n" METHOD "\n" target "\n" timestamp "\n" rawBody)>`,
// where `target` is the path and query exactly as sent (requests to the hop server) or the absolute webhook URL
// (webhooks), and the timestamp is Unix milliseconds. The signature covers everything the request authorises, so it
// cannot be moved to another chat, path, query or method. Only node:crypto is used, so both the hop server and the
// integration (bundled for Botpress) can import this.
import { createHmac } from 'node:crypto'
import { HEADER_SIGNATURE, HEADER_TENANT, HEADER_TIMESTAMP, SIGNATURE_VERSION, type SignedHeaders } from './headers.js'
import { LEGACY_SIGNATURE_VERSION } from './headers.js'

/** What a v2 signature covers besides the tenant and the timestamp. */
export interface SignedRequest {
  method: string
  /** The path and query exactly as sent (`requestTarget`); for a webhook, its URL (`webhookSignedTarget`). */
  target: string
  /** The raw body (`''` for a GET). */
  rawBody: string | Buffer
}

/** `v2=<hex>` for this tenant, timestamp and request. */
export function computeSignature(secret: string, tenant: string, timestamp: string, request: SignedRequest): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${SIGNATURE_VERSION}\n${tenant}\n${request.method.toUpperCase()}\n${request.target}\n${timestamp}\n`)
  hmac.update(request.rawBody)
  return `${SIGNATURE_VERSION}=${hmac.digest('hex')}`
}

/** The deprecated v1 signature: timestamp and body only. Kept so the hop server can verify clients not yet upgraded. */
export function computeLegacySignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(rawBody)
  return `${LEGACY_SIGNATURE_VERSION}=${hmac.digest('hex')}`
}

/** The three headers for `request`, signed now (or at `now`, Unix milliseconds). */
export function signRequest(tenant: string, secret: string, request: SignedRequest, now = Date.now()): SignedHeaders {
  const timestamp = String(now)
  return {
    [HEADER_TENANT]: tenant,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: computeSignature(secret, tenant, timestamp, request),
  }
}

/** The path and query a client sends for `url`, as the URL parser normalizes them: what it must sign. */
export function requestTarget(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  return `${parsed.pathname}${parsed.search}`
}

/**
 * The target a webhook is signed over: the webhook URL itself, absolute (`https://webhook.botpress.cloud/<id>`), as
 * the URL parser normalizes it.
 */
export function webhookSignedTarget(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).href
}
