// Everything the playground needs is embedded here, so `npm start` works with no setup. None of it is a secret worth
// keeping: the tenant and its secret only exist between processes on this machine.
import { fileURLToPath } from 'node:url'
import type { ScenarioName } from '@liveagent-hop/mock-server'

/** Fixed ports, so the printed URLs stay the same from one run to the next. */
export const DEFAULT_PORTS = {
  chat: 3000,
  console: 3001,
  hop: 3002,
  botpress: 3003,
  integration: 3004,
} as const

export type PortName = keyof typeof DEFAULT_PORTS

/** What each port serves, and the flag that changes it (for the "port in use" sentence). */
export const PORT_LABELS: Record<PortName, { what: string; flag: string }> = {
  chat: { what: 'the chat page', flag: '--port' },
  console: { what: 'the mock Live Agent and its agent console', flag: '--console-port' },
  hop: { what: 'the hop server', flag: '--hop-port' },
  botpress: { what: 'the local Botpress API', flag: '--botpress-port' },
  integration: { what: 'the integration', flag: '--integration-port' },
}

export const DEFAULT_SCENARIO: ScenarioName = 'manual'
export const HOST = '127.0.0.1'

/** playground/data: the hop server's SQLite file and the logs. Ignored by git; kept between runs. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url))

export const PLAYGROUND_TENANT = { id: 'playground', secret: 'playground-shared-secret-0001' } as const

/** Who the local Botpress says is calling the integration (the x-bot-id, x-webhook-id… headers). */
export const RUNTIME_IDENTITY = {
  botId: 'bot_playground',
  botUserId: 'user_bot_playground',
  integrationId: 'intver_liveagent_hop_playground',
  integrationAlias: 'liveagent-hop',
  webhookId: 'wh_playground',
} as const

/** How long the bot shows "typing" before it answers. */
export const BOT_TYPING_MS = 450
