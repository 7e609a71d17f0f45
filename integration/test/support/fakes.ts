// Fakes for calling the handlers directly: a Botpress client over the in-memory store, a logger that records, a ctx.
import { createInProcessClient, type BotpressStore } from '@liveagent-hop/botpress-emulator'
import type * as bp from '../../src/bp.js'
import type { ConfigurationInput } from '../../src/definitions/configuration.js'

/** Lets a test provide only the parts of a type it uses. */
export const as = <T>(partial: Partial<T>): T => partial as T

/**
 * A `bp.Client` over the store: the emulator's in-process client, which validates, records and fails like the HTTP
 * API and throws the ApiErrors the real client throws.
 */
export const createFakeClient = (store: BotpressStore): bp.Client =>
  createInProcessClient(store) as unknown as bp.Client

export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; forBot: boolean }

/** A logger that records instead of printing; `forBot()` entries are marked. */
export const createFakeLogger = (entries: LogEntry[] = [], forBot = false): bp.Logger & { entries: LogEntry[] } => {
  const log = (level: LogEntry['level']) => (message: unknown) => {
    entries.push({ level, message: String(message), forBot })
  }
  const logger = {
    entries,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    forBot: () => createFakeLogger(entries, true),
    forBotOnly: () => createFakeLogger(entries, true),
    with: () => createFakeLogger(entries, forBot),
    withUserId: () => createFakeLogger(entries, forBot),
    withConversationId: () => createFakeLogger(entries, forBot),
    withVisibleToBotOwners: () => createFakeLogger(entries, true),
    withHiddenToIntegrationOwners: () => createFakeLogger(entries, forBot),
  }
  return logger as unknown as bp.Logger & { entries: LogEntry[] }
}

export const TEST_IDENTITY = {
  botId: 'bot_test',
  botUserId: 'user_bot',
  integrationId: 'int_liveagent',
  integrationAlias: 'liveagent',
  webhookId: 'wh_test',
} as const

export const fakeContext = (configuration: ConfigurationInput): bp.Context => ({
  ...TEST_IDENTITY,
  operation: 'action_triggered',
  configurationType: null,
  configuration,
})

export const TEST_SECRET = 'test-shared-secret-0123456789'
export const TEST_TENANT = 'tenant-test'

/** A valid configuration pointing at a hop server. */
export const testConfiguration = (
  hopServerUrl: string,
  overrides: Partial<ConfigurationInput> = {}
): ConfigurationInput => ({
  hopServerUrl,
  tenantId: TEST_TENANT,
  sharedSecret: TEST_SECRET,
  liveAgentEndpoint: 'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
  organizationId: '00D5g000004XXXX',
  deploymentId: '5725g000000XXXX',
  buttonId: '5735g000000XXXX',
  ...overrides,
})
