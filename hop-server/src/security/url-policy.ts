// The outbound URL policy of each kind of target, from the configuration: one place decides which allowlist,
// which loopback targets and which own port apply, so every call site checks the same way.
import type { HopConfig } from '../config.js'
import type { UrlPolicy } from './allowlist.js'

export type TargetKind = 'liveAgent' | 'webhook'

export function urlPolicy(config: HopConfig, kind: TargetKind): UrlPolicy {
  const { security } = config
  return {
    allowlist: kind === 'liveAgent' ? security.liveAgentAllowlist : security.webhookAllowlist,
    loopbackTargets: security.loopbackTargets,
    ownPort: config.port === 0 ? undefined : config.port,
  }
}
