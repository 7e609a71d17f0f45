// Request signing of the bridge contract (docs/bridge-contract.md, "Signing"): both directions carry
// x-hop-tenant, x-hop-timestamp (Unix milliseconds) and x-hop-signature = "v1=" + hex HMAC-SHA256(timestamp + "." + rawBody).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { SIGNATURE_TOLERANCE_MS } from './const.js'

export const HOP_HEADERS = {
  tenant: 'x-hop-tenant',
  timestamp: 'x-hop-timestamp',
  signature: 'x-hop-signature',
} as const

const SIGNATURE_VERSION = 'v1='

export type HopSignatureHeaders = {
  [HOP_HEADERS.tenant]: string
  [HOP_HEADERS.timestamp]: string
  [HOP_HEADERS.signature]: string
}

/** `v1=<hex>` for this timestamp and raw body. */
export const computeSignature = (secret: string, timestamp: string, rawBody: string): string =>
  SIGNATURE_VERSION + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')

/** The three headers for a request with this raw body ("" for a GET). */
export const signRequest = (props: {
  tenantId: string
  secret: string
  rawBody: string
  now?: number
}): HopSignatureHeaders => {
  const timestamp = String(props.now ?? Date.now())
  return {
    [HOP_HEADERS.tenant]: props.tenantId,
    [HOP_HEADERS.timestamp]: timestamp,
    [HOP_HEADERS.signature]: computeSignature(props.secret, timestamp, props.rawBody),
  }
}

export type VerificationResult = { valid: true } | { valid: false; reason: string }

/**
 * Checks a signed request as the contract says: known tenant, all headers, a timestamp within the window and a
 * matching signature (constant-time compare). The reason is safe to return to the caller.
 */
export const verifySignature = (props: {
  headers: Record<string, string | string[] | undefined>
  rawBody: string
  expectedTenantId: string
  secret: string
  now?: number
  toleranceMs?: number
}): VerificationResult => {
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
  const expected = Buffer.from(computeSignature(props.secret, timestamp, props.rawBody))
  const received = Buffer.from(signature)
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { valid: false, reason: 'signature does not match' }
  }
  return { valid: true }
}
