// HMAC request signing of the bridge contract, both ways (docs/bridge-contract.md, "Signing"):
// `x-hop-signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`, timestamp in milliseconds.
// Exported for the integration, the playground and tests, so every side signs exactly the same way.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { HEADER_SIGNATURE, HEADER_TENANT, HEADER_TIMESTAMP, SIGNATURE_VERSION } from '../constants.js'

export interface SignedHeaders {
  [HEADER_TENANT]: string
  [HEADER_TIMESTAMP]: string
  [HEADER_SIGNATURE]: string
}

export function computeSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(rawBody)
  return `${SIGNATURE_VERSION}=${hmac.digest('hex')}`
}

/** The three headers for a request whose body is `rawBody` (`''` for a GET). */
export function signRequest(tenant: string, secret: string, rawBody: string | Buffer, now = Date.now()): SignedHeaders {
  const timestamp = String(now)
  return {
    [HEADER_TENANT]: tenant,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: computeSignature(secret, timestamp, rawBody),
  }
}

export type VerifyResult = { ok: true; tenant: string; signature: string } | { ok: false; message: string }

export interface VerifyInput {
  headers: Record<string, string | string[] | undefined>
  rawBody: string | Buffer
  /** tenant id → secret; for a webhook receiver, a map with its one tenant. */
  secrets: ReadonlyMap<string, string>
  windowMs: number
  now?: number
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

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
  if (!/^\d{1,16}$/.test(timestamp))
    return { ok: false, message: `${HEADER_TIMESTAMP} must be Unix time in milliseconds` }
  const skew = Math.abs((input.now ?? Date.now()) - Number(timestamp))
  if (skew > input.windowMs) return { ok: false, message: 'timestamp outside the allowed window' }
  const expected = Buffer.from(computeSignature(secret, timestamp, input.rawBody))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'signature does not match' }
  }
  return { ok: true, tenant, signature }
}
