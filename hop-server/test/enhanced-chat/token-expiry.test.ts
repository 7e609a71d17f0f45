// A guest token that runs out on its own, as Salesforce's would: it cannot be extended (a new token is a new
// identity), so the hand-off ends with a reason the bot builder can read, after a warning in the log, and nothing
// accepted before the expiry is lost. The simulator ends the open stream at the token's exp; the reconnect meets a
// 401, Spring-style or (plainStream401 fault) the bare "Jwt is expired".
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import type { BackendLogger } from '../../src/backends/chat-backend.js'
import { EnhancedChatBackend } from '../../src/backends/enhanced-chat/backend.js'
import { HopTestClient, startWebhookReceiver } from '../../src/testing/index.js'
import { SECRET, TENANT, TENANTS, eventually, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'
import { chatRecord, FAST, MemoryStore, waitUntil, enhancedChatBody } from './backend-harness.js'

/** Seconds of life of each guest token (the JWT's exp has whole seconds, so a token lives 4 to 5 s). */
const TTL_S = 5
/** The warning comes this long before the expiry: in the first two seconds of the hand-off. */
const WARNING_MS = 3000
const TIMER_SLACK_MS = 5

interface Line {
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string | undefined
  fields: Record<string, unknown>
  at: number
}

function capturingLogger(lines: Line[], bindings: Record<string, unknown> = {}): BackendLogger {
  const write =
    (level: Line['level']) =>
    (object: object, message?: string): void => {
      lines.push({ level, message, fields: { ...bindings, ...object }, at: Date.now() })
    }
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => capturingLogger(lines, { ...bindings, ...more }),
  }
}

let mock: MockServer
const stops: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent', tokenTtlSeconds: TTL_S })
})

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()))
  mock.enhanced.reset()
})

afterAll(async () => {
  await mock.close()
})

async function handOff(lines: Line[]) {
  const logger = capturingLogger(lines)
  const backend = new EnhancedChatBackend({
    loopbackTargets: [new URL(mock.url).host],
    logger,
    tokenExpiryWarningMs: WARNING_MS,
    ...FAST,
  })
  stops.push(async () => backend.close())
  const chat = chatRecord({
    scrtUrl: mock.url,
    orgId: mock.options.orgId,
    esDeveloperName: mock.options.esDeveloperName,
    routingAttributes: { _firstName: 'Ada' },
  })
  const opened = await backend.open(chat, { signal: new AbortController().signal, stillWanted: async () => true })
  if (opened.kind !== 'opened') throw new Error(`open failed: ${JSON.stringify(opened)}`)
  const store = new MemoryStore()
  store.checkpoint = opened.checkpoint
  const conversation = backend.resume(opened.checkpoint.cursor, { chat, hooks: store, logger })
  stops.push(() => conversation.stop())
  const outcome = conversation.run()
  const state = opened.checkpoint.cursor.state as { conversationId: string; expiresAt?: number }
  return { conversation, outcome, store, conversationId: state.conversationId, expiresAt: state.expiresAt }
}

const visitorLines = (id: string, server: MockServer = mock) =>
  (server.enhanced.conversation(id)?.transcript ?? [])
    .filter((line) => line.from === 'visitor')
    .map((line) => line.text)

describe('a guest token that expires during a hand-off', () => {
  it.each([
    ['a Spring-style 401 body', false],
    ['the bare text "Jwt is expired"', true],
  ])(
    'warns a fixed time before, keeps what was accepted, and ends with a reason on the stream’s %s',
    async (_label, plain) => {
      const lines: Line[] = []
      const { conversation, outcome, store, conversationId, expiresAt } = await handOff(lines)
      expect(expiresAt).toEqual(expect.any(Number))
      // The expiry is logged when the token is issued, read from the JWT's exp.
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'info',
          fields: expect.objectContaining({ expiresAt: new Date(expiresAt!).toISOString() }),
        })
      )
      if (plain) mock.enhanced.injectFault({ kind: 'plainStream401' })
      await mock.enhanced.waitFor((view) => view.id === conversationId)
      mock.enhanced.accept(conversationId, { agentName: 'Jane' })
      await waitUntil(() => store.types().includes('agent-joined'), 'agent-joined')
      mock.enhanced.agentMessage(conversationId, 'before the expiry')
      expect(await conversation.send({ id: 'outbox:1', text: 'accepted before' })).toEqual({
        status: 'delivered',
        id: 'outbox:1',
      })
      await waitUntil(() => store.agentTexts().includes('before the expiry'), 'the agent message')

      const ended = await outcome
      expect(ended).toMatchObject({ kind: 'ended', reason: 'error' })
      const detail = ended.kind === 'ended' ? ended.detail : ''
      expect(detail).toMatch(/^the Enhanced Chat guest token expired \(401 "Jwt is expired" on eventStream, exp \S+Z\)/)
      expect(detail).toContain(new Date(expiresAt!).toISOString())
      expect(detail).toContain('a new token is a new identity')
      // Nothing accepted before is lost: the bot has the agent's message, the agent the visitor's, once each.
      expect(store.agentTexts()).toEqual(['before the expiry'])
      expect(visitorLines(conversationId)).toEqual(['accepted before'])
      expect(store.checkpoint?.over).toBe(true)
      // A post after the end is refused as such, not lost silently.
      expect(await conversation.send({ id: 'outbox:2', text: 'too late' })).toMatchObject({
        status: 'dropped',
        reason: 'chat-over',
      })

      const warning = lines.find((line) => line.level === 'warn' && /expires in \d+ s/.test(line.message ?? ''))
      expect(warning).toBeDefined()
      expect(warning!.fields).toMatchObject({ expiresAt: new Date(expiresAt!).toISOString() })
      // Not earlier than the fixed time before the expiry (a timer may fire a millisecond early), and before the end.
      expect(warning!.at).toBeGreaterThanOrEqual(expiresAt! - WARNING_MS - TIMER_SLACK_MS)
      const end = lines.find((line) => line.level === 'warn' && line.message === detail)
      expect(end).toBeDefined()
      expect(lines.indexOf(warning!)).toBeLessThan(lines.indexOf(end!))
    },
    15_000
  )
})

describe('through the real hop process', () => {
  /** Long enough for the hand-off to start under load; the default 5-minute warning is due at once. */
  const HOP_TTL_S = 10
  let hopMock: MockServer
  let hop: HopProcess | undefined
  const dir = tempDir('hop-ec-token-')

  beforeAll(async () => {
    hopMock = await startMockServer({ scenario: 'manual', logLevel: 'silent', tokenTtlSeconds: HOP_TTL_S })
  })

  afterAll(async () => {
    await hop?.stop('SIGKILL')
    await hopMock?.close()
    dir.remove()
  })

  it('tells the bot builder: a warning in the log, then chat.ended with reason error and the token named; nothing accepted before is lost', async () => {
    const receiver = await startWebhookReceiver({ secrets: TENANTS })
    try {
      hop = await startHopProcess(fastEnv({ HOP_DATA_DIR: dir.path }))
      const client = new HopTestClient(hop.url, TENANT, SECRET)
      const created = await client.createChat(
        enhancedChatBody(hopMock, receiver.url, {
          first: 'Short',
          last: 'Lived',
          conversationId: `conv_ec_token_${Date.now()}`,
        })
      )
      expect(created.status).toBe(201)
      const chatId = created.body.chatId as string
      const view = await hopMock.enhanced.waitFor((c) => c.visitorName === 'Short Lived', 15_000)
      hopMock.enhanced.accept(view.id, { agentName: 'Jane' })
      await receiver.waitForType(chatId, 'agent.joined', 15_000)
      hopMock.enhanced.agentMessage(view.id, 'before the expiry')
      expect((await client.sendMessage(chatId, 'v1', 'accepted before')).status).toBe(202)
      await eventually(() => visitorLines(view.id, hopMock).includes('accepted before'), 15_000)

      const events = await receiver.waitForType(chatId, 'chat.ended', 30_000)
      const ended = events.at(-1)!
      expect(ended.data).toMatchObject({ reason: 'error' })
      expect(String(ended.data.detail)).toMatch(
        /^the Enhanced Chat guest token expired \(401 "Jwt is expired" on \w+, exp \S+Z\); a new token is a new identity/
      )
      expect(events.filter((e) => e.type === 'agent.message').map((e) => e.data.text)).toEqual(['before the expiry'])
      expect(visitorLines(view.id, hopMock)).toEqual(['accepted before'])
      expect((await client.status(chatId)).body).toMatchObject({ state: 'ended', endReason: 'error' })
      const output = hop.output()
      expect(output).toMatch(/the Enhanced Chat guest token expires in \d+ s; Salesforce cannot extend a guest token/)
      expect(output.indexOf('guest token expires in')).toBeLessThan(output.indexOf('guest token expired (401'))
    } finally {
      await receiver.close()
    }
  }, 60_000)
})
