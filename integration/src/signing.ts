// Request signing of the bridge contract (docs/bridge-contract.md, "Signing"). The rule itself (what is signed, how
// it is verified, the header names) is @liveagent-hop/bridge-contract's, shared with the hop server; what is here is
// the integration's side of it: strictly increasing timestamps for its client, the webhook target rebuilt from what
// Botpress Cloud hands the handler, and the verdict in the shape the handler and the contract tests use.
import {
  HEADER_SIGNATURE,
  HEADER_TENANT,
  HEADER_TIMESTAMP,
  signRequest as signWithContract,
  verifyRequest,
  webhookSignedTarget,
  type SignedHeaders,
  type SignedRequest,
} from '@liveagent-hop/bridge-contract'

export { computeSignature, requestTarget, type SignedRequest } from '@liveagent-hop/bridge-contract'

export const HOP_HEADERS = { tenant: HEADER_TENANT, timestamp: HEADER_TIMESTAMP, signature: HEADER_SIGNATURE } as const

export type HopSignatureHeaders = SignedHeaders

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
): HopSignatureHeaders => signWithContract(props.tenantId, props.secret, props, props.now)

/**
 * The target a webhook was signed over: the absolute URL it was posted to. Botpress Cloud relays
 * `<webhookUrl>/rest?q` to the handler as `req.path = "/rest"`, `req.query = "q"` (the webhook id is not in the
 * path it hands over; `""` or `"/"` when nothing follows it), so the URL is rebuilt from the integration's own
 * webhook URL plus what followed it.
 */
export const webhookTarget = (webhookUrl: string, req: { path: string; query: string }): string => {
  const rest = req.path === '/' ? '' : req.path
  return webhookSignedTarget(`${webhookUrl.replace(/\/+$/, '')}${rest}${req.query ? `?${req.query}` : ''}`)
}

export type VerificationResult = { valid: true } | { valid: false; reason: string }

/**
 * Checks a webhook as the contract says, for the one tenant this integration is configured with. The reason is safe
 * to return to the caller. Replays of webhooks are harmless by the seq rule (docs/bridge-contract.md), so no cache is
 * kept here.
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
  const verdict = verifyRequest({
    ...props,
    secrets: new Map([[props.expectedTenantId, props.secret]]),
    windowMs: props.toleranceMs,
  })
  return verdict.ok ? { valid: true } : { valid: false, reason: verdict.message }
}
