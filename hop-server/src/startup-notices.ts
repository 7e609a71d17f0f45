// What an operator must know at start: settings that are fine for a try-out but not for production. Each notice
// names the variable (or file) that changes it. The JSON log and the terminal summary both show these.
import { DEV_TENANT } from './constants.js'
import type { HopConfig } from './config.js'

export const HOP_README = 'hop-server/README.md'

export function startupNotices(config: HopConfig): string[] {
  const notices: string[] = []
  if (config.usingDevTenant) {
    notices.push(
      `no tenant configured: using the development tenant "${DEV_TENANT.id}" with its published secret (${HOP_README}, ` +
        '"Configuration"); set HOP_TENANTS=id:secret,... or HOP_TENANTS_FILE=/path/tenants.json before any real use'
    )
  }
  if (config.security.acceptV1Signatures) {
    notices.push(
      'HOP_ACCEPT_V1_SIGNATURES is on: deprecated v1 signatures (not covering method, path or query) are accepted; ' +
        'turn it off once every integration signs with v2'
    )
  }
  if (config.security.loopbackTargets.length > 0) {
    notices.push(
      `HOP_LOOPBACK_TARGETS allows plain http to ${config.security.loopbackTargets.join(', ')}: for local runs only`
    )
  }
  return notices
}
