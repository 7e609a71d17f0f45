// Verifying a signed request (docs/bridge-contract.md, "Signing"): known tenant, all three headers, a timestamp in
// the window and a matching signature over this method, target and body, compared in constant time. Replays are
// the receiver's business (the hop server keeps a cache; the integration relies on the seq rule).
import { timingSafeEqual } from 'node:crypto'
import {
  HEADER_SIGNATURE,
  HEADER_TENANT,
  HEADER_TIMESTAMP,
  LEGACY_SIGNATURE_VERSION,
  SIGNATURE_VERSION,
  SIGNATURE_WINDOW_MS,
  type SignatureVersion,
} from './headers.js'
import { computeLegacySignature, computeSignature, type SignedRequest } from './signing.js'

export type VerifyResult =
  { ok: true; tenant: string; signature: string; version: SignatureVersion } | { ok: false; message: string }

export interface VerifyInput extends SignedRequest {
  headers: Record<string, string | string[] | undefined>
  /** tenant id → secret; for a webhook receiver, a map with its one tenant. */
  secrets: ReadonlyMap<string, string>
  /** How far the timestamp may be from `now`; the contract's five minutes unless given. */
  windowMs?: number
  /** Accept the deprecated v1 signature (only the hop server offers this, off unless configured). */
  acceptV1?: boolean
  now?: number
}

/** Unix milliseconds as a decimal string, at most 16 digits. */
const MILLISECONDS = /^\d{1,16}$/

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Checks tenant, timestamp window and signature. The message is safe to send back to the caller. */
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
  if (skew > (input.windowMs ?? SIGNATURE_WINDOW_MS))
    return { ok: false, message: 'timestamp outside the allowed window' }

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
