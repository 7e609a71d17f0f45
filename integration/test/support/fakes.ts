// Fakes for calling the handlers directly: a Botpress client over the in-memory store, a logger that records, a ctx.
import { errorFrom } from '@botpress/client'
import type * as bp from '../../src/bp.js'
import type { ConfigurationInput } from '../../src/definitions/configuration.js'
import { ApiFailure, type BotpressStore } from './botpress-store.js'

/** Lets a test provide only the parts of a type it uses. */
export const as = <T>(partial: Partial<T>): T => partial as T

type Operations = Pick<
  bp.Client,
  | 'createUser'
  | 'getUser'
  | 'getOrCreateUser'
  | 'updateUser'
  | 'createConversation'
  | 'getConversation'
  | 'listConversations'
  | 'getOrCreateConversation'
  | 'updateConversation'
  | 'createMessage'
  | 'getOrCreateMessage'
  | 'getMessage'
  | 'updateMessage'
  | 'listMessages'
  | 'createEvent'
  | 'getState'
  | 'setState'
  | 'patchState'
  | 'getOrSetState'
>

/**
 * A `bp.Client` over the store. Results are copies (as over HTTP) and store failures become the same ApiErrors the
 * real client throws, so `isApiError(e) && e.code === 404` works alike.
 */
export const createFakeClient = (store: BotpressStore): bp.Client => {
  const operation = <K extends keyof Operations>(name: K, run: (input: never) => unknown): Operations[K] =>
    (async (input: unknown) => {
      try {
        store.record(name, structuredClone(input))
        return structuredClone(run(input as never))
      } catch (thrown) {
        if (thrown instanceof ApiFailure) {
          throw errorFrom({ id: 'err_fake', code: thrown.code, type: thrown.type, message: thrown.message })
        }
        throw thrown
      }
    }) as unknown as Operations[K]

  const client: Operations = {
    createUser: operation('createUser', (i) => store.createUser(i)),
    getUser: operation('getUser', (i) => store.getUser(i)),
    getOrCreateUser: operation('getOrCreateUser', (i) => store.getOrCreateUser(i)),
    updateUser: operation('updateUser', (i) => store.updateUser(i)),
    createConversation: operation('createConversation', (i) => store.createConversation(i)),
    getConversation: operation('getConversation', (i) => store.getConversation(i)),
    listConversations: operation('listConversations', (i) => store.listConversations(i)),
    getOrCreateConversation: operation('getOrCreateConversation', (i) => store.getOrCreateConversation(i)),
    updateConversation: operation('updateConversation', (i) => store.updateConversation(i)),
    createMessage: operation('createMessage', (i) => store.createMessage(i)),
    getOrCreateMessage: operation('getOrCreateMessage', (i) => store.getOrCreateMessage(i)),
    getMessage: operation('getMessage', (i) => store.getMessage(i)),
    updateMessage: operation('updateMessage', (i) => store.updateMessage(i)),
    listMessages: operation('listMessages', (i) => store.listMessages(i)),
    createEvent: operation('createEvent', (i) => store.createEvent(i)),
    getState: operation('getState', (i) => store.getState(i)),
    setState: operation('setState', (i) => store.setState(i)),
    patchState: operation('patchState', (i) => store.patchState(i)),
    getOrSetState: operation('getOrSetState', (i) => store.getOrSetState(i)),
  }
  return as<bp.Client>(client)
}

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
