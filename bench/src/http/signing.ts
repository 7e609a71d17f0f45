// The bench's use of the bridge contract's signing (@liveagent-hop/bridge-contract, docs/bridge-contract.md): headers
// for a request to the hop server or a webhook, and the check of a request the bench receives.
import {
  requestTarget,
  signRequest,
  verifyRequest,
  webhookSignedTarget,
  type SignedRequest,
} from '@liveagent-hop/bridge-contract'

/** Headers for `method url` with this body; a webhook (`webhook: true`) is signed over its absolute URL. */
export function signedHeaders(
  tenant: string,
  secret: string,
  request: { method: string; url: string; rawBody: string; webhook?: boolean }
): Record<string, string> {
  const target = request.webhook ? webhookSignedTarget(request.url) : requestTarget(request.url)
  return signRequest(tenant, secret, { method: request.method, target, rawBody: request.rawBody })
}

export type Verdict = { ok: true } | { ok: false; reason: string }

/** Checks the three headers of a request signed by `tenant` with `secret` over `request`. */
export function verifySigned(
  headers: Record<string, string | string[] | undefined>,
  request: SignedRequest,
  tenant: string,
  secret: string,
  now = Date.now()
): Verdict {
  const verdict = verifyRequest({ headers, ...request, secrets: new Map([[tenant, secret]]), now })
  return verdict.ok ? { ok: true } : { ok: false, reason: verdict.message }
}
