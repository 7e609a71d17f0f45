// The start-up summary printed when `liveagent-hop` runs in a terminal: where it listens, which tenants (ids only,
// never a secret), where its data lives, how to configure it, and anything to fix before real use.
import type { HopConfig, StoreConfig } from '../config.js'
import { HOP_VERSION } from '../constants.js'
import { HOP_README, startupNotices } from '../startup-notices.js'

const LABEL_WIDTH = 12

/** A Redis URL without its credentials. */
function redisLocation(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.toString().replace(/\/$/, '')
  } catch {
    return 'Redis (URL not shown)'
  }
}

function dataLocation(store: StoreConfig): string {
  return store.kind === 'sqlite'
    ? `SQLite file ${store.file}`
    : `Redis ${redisLocation(store.url)} (keys prefixed "${store.keyPrefix}")`
}

function tenantsLine(config: HopConfig): string {
  const ids = [...config.tenants.keys()]
  if (config.usingDevTenant) return `${ids.join(', ')} (development tenant, see below)`
  return `${ids.length} configured: ${ids.join(', ')}`
}

const row = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`

export function formatStartupSummary(config: HopConfig, url: string): string {
  const lines = [
    `liveagent-hop ${HOP_VERSION} is running`,
    '',
    row('Listening', `${url}  (signed API under /v1, health ${url}/healthz, metrics ${url}/metrics)`),
    row('Tenants', tenantsLine(config)),
    row('Data', dataLocation(config.store)),
    row('Live Agent', `calls only ${config.security.liveAgentAllowlist.join(', ')}`),
    row('Webhooks', `posts only to ${config.security.webhookAllowlist.join(', ')}`),
    row('Configure', `environment variables: liveagent-hop --help lists them, ${HOP_README} explains each`),
  ]
  const notices = startupNotices(config)
  if (notices.length > 0) {
    lines.push('', 'Before real use:')
    for (const notice of notices) lines.push(`  - ${notice}`)
  }
  lines.push('', 'Logs follow. Ctrl-C stops the server (chats resume on the next start).', '')
  return lines.join('\n')
}
