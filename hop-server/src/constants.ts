// Named constants of the hop server. The defaults of its settings are in config/settings.ts, the one table of them.
/** Fence checks per safety margin: a check that runs late still fences well inside the margin. */
export const LEASE_FENCE_CHECKS_PER_MARGIN = 4

/** The version the hop server reports (OpenAPI document, start-up summary). */
export const HOP_VERSION = '0.1.0'

/** Live Agent hosts a real org uses (Setup › Chat Settings › Chat API Endpoint). */
export const DEFAULT_LIVE_AGENT_ALLOWLIST = ['*.salesforceliveagent.com', '*.my.salesforce-scrt.com']
/** Botpress Cloud delivers integration webhooks here. */
export const DEFAULT_WEBHOOK_ALLOWLIST = ['webhook.botpress.cloud']

/** The tenant used when none is configured outside production: documented in the README, never for real use. */
export const DEV_TENANT = { id: 'dev', secret: 'dev-secret-change-me' } as const
