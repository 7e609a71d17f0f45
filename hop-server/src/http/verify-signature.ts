// The /v1 authentication hook: the signature must verify over what was received (method, path and query as sent,
// timestamp, raw body) and must not have been used before. Every refusal is a 401 with the reason.
import type { FastifyRequest } from 'fastify'
import type { HopConfig } from '../config.js'
import type { LegacySignatureNotice } from '../security/legacy-signature-notice.js'
import type { ReplayGuard } from '../security/replay-guard.js'
import { verifyRequest } from '@liveagent-hop/bridge-contract'
import { HttpError } from './errors.js'

export interface SignatureCheckDeps {
  config: HopConfig
  replays: ReplayGuard
  legacyNotice: LegacySignatureNotice
}

export function signatureCheck(deps: SignatureCheckDeps) {
  const { config } = deps
  return async (request: FastifyRequest): Promise<void> => {
    const verdict = verifyRequest({
      headers: request.headers,
      method: request.method,
      // The request target exactly as it arrived, before any decoding or routing.
      target: request.raw.url ?? request.url,
      rawBody: request.rawBody ?? '',
      secrets: config.tenants,
      windowMs: config.security.signatureWindowMs,
      acceptV1: config.security.acceptV1Signatures,
    })
    if (!verdict.ok) throw new HttpError(401, verdict.message)
    if (!(await deps.replays.firstUse(verdict.tenant, verdict.signature))) {
      throw new HttpError(401, 'replayed request')
    }
    if (verdict.version === 'v1') deps.legacyNotice.used(verdict.tenant)
    request.tenant = verdict.tenant
  }
}
