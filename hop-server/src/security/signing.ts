// HMAC request signing of the bridge contract, both ways (docs/bridge-contract.md, "Signing"):
// `x-hop-signature: v2=<hex HMAC-SHA256(secret, "v2\n" tenant "\n" METHOD "\n" target "\n" timestamp "\n" rawBody)>`,
// where `target` is the path and query exactly as sent and the timestamp is Unix milliseconds. The signature covers
// everything the request authorises, so it cannot be moved to another chat, path, query or method.
// `v1` (timestamp and body only) is verified only when the caller allows it (HOP_ACCEPT_V1_SIGNATURES).
import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  HEADER_SIGNATURE,
  HEADER_TENANT,
  HEADER_TIMESTAMP,
  LEGACY_SIGNATURE_VERSION,
  SIGNATURE_VERSION,
} from '../constants.js'

export interface SignedHeaders {
  [HEADER_TENANT]: string
  [HEADER_TIMESTAMP]: string
  [HEADER_SIGNATURE]: string
}

/** What a v2 signature covers besides the tenant and the timestamp. */
export interface SignedRequest {
  method: string
  /** The path and query exactly as sent (`/v1/chats/chat_1?x=1`); for a webhook, its URL (`webhookSignedTarget`). */
  target: string
  /** The raw body (`''` for a GET). */
  rawBody: string | Buffer
}

export type SignatureVersion = typeof SIGNATURE_VERSION | typeof LEGACY_SIGNATURE_VERSION

const MILLISECONDS = /^\d{1,16}$/

export function computeSignature(secret: string, tenant: string, timestamp: string, request: SignedRequest): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${SIGNATURE_VERSION}\n${tenant}\n${request.method.toUpperCase()}\n${request.target}\n${timestamp}\n`)
  hmac.update(request.rawBody)
  return `${SIGNATURE_VERSION}=${hmac.digest('hex')}`
}

/** The deprecated v1 signature: timestamp and body only. Kept to verify clients not yet upgraded. */
export function computeLegacySignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(rawBody)
  return `${LEGACY_SIGNATURE_VERSION}=${hmac.digest('hex')}`
}

/** The three headers for `request`, signed now (or at `now`). */
export function signRequest(tenant: string, secret: string, request: SignedRequest, now = Date.now()): SignedHeaders {
  const timestamp = String(now)
  return {
    [HEADER_TENANT]: tenant,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: computeSignature(secret, tenant, timestamp, request),
  }
}

/**
 * The target a webhook is signed over: the webhook URL itself, absolute (`https://webhook.botpress.cloud/<id>`, as
 * normalized by the URL parser). Botpress Cloud hands the integration's handler only what follows the webhook id
 * (`req.path`, `req.query`), so the integration rebuilds the URL from its own webhook URL plus that; a webhook
 * replayed to another bot's webhook, another path or with a query added does not verify there.
 */
export function webhookSignedTarget(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).href
}

export type VerifyResult =
  { ok: true; tenant: string; signature: string; version: SignatureVersion } | { ok: false; message: string }

export interface VerifyInput {
  headers: Record<string, string | string[] | undefined>
  method: string
  /** The path and query exactly as received. */
  target: string
  rawBody: string | Buffer
  /** tenant id → secret; for a webhook receiver, a map with its one tenant. */
  secrets: ReadonlyMap<string, string>
  windowMs: number
  /** Accept the deprecated v1 signature (off unless configured). */
  acceptV1?: boolean
  now?: number
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Checks tenant, timestamp window and signature (constant time). Replays are the caller's business. */
export function verifyRequest(input: VerifyInput): VerifyResult {
  const tenant = single(input.headers[HEADER_TENANT])
  const timestamp = single(input.headers[HEADER_TIMESTAMP])
  const signature = single(input.headers[HEADER_SIGNATURE])
  if (!tenant) return { ok: false, message: `missing ${HEADER_TENANT} header` }
  if (!timestamp) return { ok: false, message: `missing ${HEADER_TIMESTAMP} header` }
  if (!signature) return { ok: false, message: `missing ${HEADER_SIGNATURE} header` }
  const secret = input.secrets.get(tenant)
  if (secret === undefined) return { ok: false, message: 'unknown tenant' }
  if (!MILLISECONDS.test(timestamp)) {
    return { ok: false, message: `${HEADER_TIMESTAMP} must be Unix time in milliseconds` }
  }
  const skew = Math.abs((input.now ?? Date.now()) - Number(timestamp))
  if (skew > input.windowMs) return { ok: false, message: 'timestamp outside the allowed window' }

  if (signature.startsWith(`${SIGNATURE_VERSION}=`)) {
    const expected = computeSignature(secret, tenant, timestamp, input)
    if (!sameSignature(signature, expected)) return { ok: false, message: 'signature does not match' }
    return { ok: true, tenant, signature, version: SIGNATURE_VERSION }
  }
  if (signature.startsWith(`${LEGACY_SIGNATURE_VERSION}=`)) {
    if (!input.acceptV1) {
      return {
        ok: false,
        message: `${LEGACY_SIGNATURE_VERSION} signatures are not accepted; sign with ${SIGNATURE_VERSION} (docs/bridge-contract.md)`,
      }
    }
    const expected = computeLegacySignature(secret, timestamp, input.rawBody)
    if (!sameSignature(signature, expected)) return { ok: false, message: 'signature does not match' }
    return { ok: true, tenant, signature, version: LEGACY_SIGNATURE_VERSION }
  }
  return { ok: false, message: `unsupported signature version (expected ${SIGNATURE_VERSION}=<hex>)` }
}
