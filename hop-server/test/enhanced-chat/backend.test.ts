// The Enhanced Chat backend behind the seam, against the simulator on loopback: a full hand-off, the visitor's end,
// a dropped stream, token expiry, and bad input refused with the field named and nothing created in Salesforce.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { salesforceLanguage, type EnhancedChatBackend } from '../../src/backends/enhanced-chat/backend.js'
import { EnhancedChatClient } from '../../src/backends/enhanced-chat/client.js'
import { checksumOf } from '../../src/backends/enhanced-chat/org-id.js'
import { backendFor, chatRecord, MemoryStore, openAndRun, silentLogger, waitUntil } from './backend-harness.js'

let mock: MockServer
let backend: EnhancedChatBackend
const stops: (() => Promise<unknown>)[] = []

const target = (overrides: Record<string, unknown> = {}) => ({
  scrtUrl: mock.url,
  orgId: mock.options.orgId,
  esDeveloperName: mock.options.esDeveloperName,
  routingAttributes: { _firstName: 'Ada', _lastName: 'Lovelace', Not_A_Field: 'dropped by Salesforce' },
  ...overrides,
})

const visitorLines = (id: string) =>
  (mock.enhanced.conversation(id)?.transcript ?? []).filter((line) => line.from === 'visitor').map((line) => line.text)

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent' })
  backend = backendFor(Number(new URL(mock.url).port))
})

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()))
  mock.enhanced.reset()
})

afterAll(async () => {
  backend.close()
  await mock.close()
})

async function started(overrides: Record<string, unknown> = {}) {
  const run = await openAndRun(backend, chatRecord(target(overrides)))
  stops.push(() => run.conversation.stop())
  await mock.enhanced.waitFor((view) => view.id === run.conversationId)
  return run
}

describe('the Enhanced Chat backend against the simulator', () => {
  it('runs a full hand-off: create with routing attributes, queued, agent joins, messages both ways once, typing, agent ends', async () => {
    const { conversation, outcome, store, conversationId } = await started()
    expect(mock.enhanced.conversation(conversationId)?.routingAttributes).toEqual({
      _firstName: 'Ada',
      _lastName: 'Lovelace',
    })
    await waitUntil(() => store.types().includes('queued'), 'queued')

    // Sent before an agent is there: Enhanced Chat keeps it in the conversation for the agent.
    const summary = await conversation.send({ id: 'outbox:1', text: 'Bot transcript:\nCustomer: where is my order?' })
    expect(summary).toEqual({ status: 'delivered', id: 'outbox:1' })

    mock.enhanced.accept(conversationId, { agentName: 'Jane Agent' })
    await waitUntil(() => store.types().includes('agent-joined'), 'agent-joined')
    expect(store.events.find((event) => event.type === 'agent-joined')).toMatchObject({ agent: { name: 'Jane Agent' } })

    const [first, again] = await Promise.all([
      conversation.send({ id: 'outbox:2', text: 'hello' }),
      conversation.send({ id: 'outbox:2', text: 'hello' }),
    ])
    expect(first).toEqual({ status: 'delivered', id: 'outbox:2' })
    expect(again).toEqual({ status: 'delivered', id: 'outbox:2' })
    expect(await conversation.send({ id: 'outbox:2', text: 'hello' })).toEqual({ status: 'duplicate', id: 'outbox:2' })
    conversation.typing(true)
    await waitUntil(() => mock.enhanced.conversation(conversationId)?.visitorTyping, 'visitor typing')

    mock.enhanced.agentTyping(conversationId, true)
    mock.enhanced.agentMessage(conversationId, 'Hi Ada, let me look.')
    await waitUntil(() => store.agentTexts().includes('Hi Ada, let me look.'), 'agent message')
    expect(store.types()).toContain('agent-typing')
    mock.enhanced.endChat(conversationId)

    expect(await outcome).toMatchObject({ kind: 'ended', reason: 'agent' })
    expect(visitorLines(conversationId)).toEqual(['Bot transcript:\nCustomer: where is my order?', 'hello'])
    // Our own messages came back on the stream as the end user's: none reached the bot.
    expect(store.agentTexts()).toEqual(['Hi Ada, let me look.'])
    expect(store.checkpoint?.over).toBe(true)
    expect(store.checkpoint?.postIds).toEqual(['outbox:1', 'outbox:2'])
    // The guest closes the conversation once the agent ended the session.
    await waitUntil(() => mock.enhanced.conversation(conversationId)?.closed, 'conversation closed')
    expect(await conversation.send({ id: 'outbox:3', text: 'late' })).toEqual({
      status: 'dropped',
      id: 'outbox:3',
      reason: 'chat-over',
    })
  })

  it('ends from the visitor side behind the queued posts: end the session, then close the conversation', async () => {
    const { conversation, outcome, conversationId } = await started()
    mock.enhanced.accept(conversationId)
    const sent = conversation.send({ id: 'outbox:1', text: 'thanks, bye' })
    const ended = conversation.end()
    expect(await sent).toMatchObject({ status: 'delivered' })
    expect(await ended).toMatchObject({ status: 'delivered' })
    expect(await outcome).toMatchObject({ kind: 'ended', reason: 'visitor' })
    const view = mock.enhanced.conversation(conversationId)
    expect(view).toMatchObject({ closed: true, sessionStatus: 'Ended' })
    expect(visitorLines(conversationId)).toEqual(['thanks, bye'])
  })

  it('resumes a dropped stream from its cursor: nothing the agent wrote meanwhile is lost or repeated', async () => {
    const { store, conversationId } = await started()
    mock.enhanced.accept(conversationId)
    await waitUntil(() => store.types().includes('agent-joined'), 'agent-joined')
    for (let round = 1; round <= 3; round++) {
      expect(mock.enhanced.dropStreams(conversationId)).toBeGreaterThan(0)
      mock.enhanced.agentMessage(conversationId, `after drop ${round}`)
      await waitUntil(() => store.agentTexts().includes(`after drop ${round}`), `message ${round}`)
    }
    expect(store.agentTexts()).toEqual(['after drop 1', 'after drop 2', 'after drop 3'])
  })

  it('ends the chat with a clear reason when the guest token expires mid-chat (401)', async () => {
    const { outcome, store, conversationId } = await started()
    mock.enhanced.accept(conversationId)
    await waitUntil(() => store.types().includes('agent-joined'), 'agent-joined')
    mock.enhanced.expireToken(conversationId)
    const ended = await outcome
    expect(ended).toMatchObject({ kind: 'ended', reason: 'error' })
    expect(ended.kind === 'ended' && ended.detail).toContain('guest token expired (401 "Jwt is expired"')
    expect(store.checkpoint?.over).toBe(true)
  })

  it('retries a 5xx on a visitor message and sends it once', async () => {
    const { conversation, conversationId } = await started()
    mock.enhanced.accept(conversationId)
    mock.enhanced.injectFault({ kind: 'error', route: 'sendMessage', status: 503, count: 2 })
    expect(await conversation.send({ id: 'outbox:1', text: 'through the 503s' })).toMatchObject({
      status: 'delivered',
    })
    expect(visitorLines(conversationId)).toEqual(['through the 503s'])
  })
})

describe('a send that may have arrived before a crash (the cursor says it was in flight)', () => {
  it.each([
    ['with the time of its first try', true],
    ['from a cursor that does not say when it was first tried', false],
  ])('is looked up, not sent again, %s', async (_label, withTime) => {
    const chat = chatRecord(target())
    const opened = await backend.open(chat, { signal: new AbortController().signal, stillWanted: async () => true })
    if (opened.kind !== 'opened') throw new Error('open failed')
    const state = opened.checkpoint.cursor.state as { token: string; conversationId: string }
    // What the killed owner did: create the conversation and send the message, but store neither answer.
    const firstTriedAt = Date.now()
    const client = new EnhancedChatClient({
      baseUrl: mock.url,
      orgId: mock.options.orgId,
      esDeveloperName: mock.options.esDeveloperName,
    })
    const messageId = randomUUID()
    try {
      await client.createConversation(state.token, { conversationId: state.conversationId })
      mock.enhanced.accept(state.conversationId)
      await client.sendMessage(state.token, state.conversationId, { messageId, text: 'sent before the crash' })
    } finally {
      client.close()
    }
    const cursor = {
      ...opened.checkpoint.cursor,
      state: {
        ...state,
        created: true,
        queued: [{ id: 'outbox:1', messageId, text: 'sent before the crash' }],
        ownMessageIds: [messageId],
        sending: messageId,
        ...(withTime ? { sendingSince: firstTriedAt } : {}),
      },
    }
    const store = new MemoryStore()
    const conversation = backend.resume(cursor as typeof opened.checkpoint.cursor, {
      chat,
      hooks: store,
      logger: silentLogger,
    })
    stops.push(() => conversation.stop())
    void conversation.run()
    expect(await conversation.send({ id: 'outbox:1', text: 'sent before the crash' })).toEqual({
      status: 'delivered',
      id: 'outbox:1',
    })
    expect(await conversation.send({ id: 'outbox:2', text: 'after the restart' })).toEqual({
      status: 'delivered',
      id: 'outbox:2',
    })
    expect(visitorLines(state.conversationId)).toEqual(['sent before the crash', 'after the restart'])
    expect((store.checkpoint?.cursor.state as { sending?: string }).sending).toBeUndefined()
  })
})

describe('bad input: the field named, nothing created', () => {
  const refused = (overrides: Record<string, unknown>) => backend.targetProblem(chatRecord(target(overrides)).request)

  it('refuses an org id of the wrong length or with a wrong checksum', () => {
    expect(refused({ orgId: '00D5g000004AbC' })).toMatch(/^enhancedChat\.orgId: an org id has 15 or 18 characters/)
    const id15 = mock.options.orgId.slice(0, 15)
    expect(refused({ orgId: `${id15}${checksumOf(id15)}` })).toBeUndefined()
    expect(refused({ orgId: `${id15}AAA` === `${id15}${checksumOf(id15)}` ? `${id15}BBB` : `${id15}AAA` })).toMatch(
      /^enhancedChat\.orgId: the last 3 characters/
    )
  })

  it('refuses an SCRT2 URL off the allowlist, a path, and a malformed deployment name', () => {
    expect(refused({ scrtUrl: 'https://acme.my.salesforce.com' })).toBe(
      'enhancedChat.scrtUrl: https://acme.my.salesforce.com host acme.my.salesforce.com is not on the allowlist (*.my.salesforce-scrt.com, *.sandbox.my.salesforce-scrt.com, *.develop.my.salesforce-scrt.com)'
    )
    expect(refused({ scrtUrl: 'http://127.0.0.1:9' })).toMatch(/^enhancedChat\.scrtUrl: .*HOP_LOOPBACK_TARGETS/)
    expect(refused({ scrtUrl: `${mock.url}/iamessage` })).toMatch(
      /^enhancedChat\.scrtUrl: the SCRT2 URL is an origin only/
    )
    expect(refused({ esDeveloperName: 'Bad Name' })).toMatch(/^enhancedChat\.esDeveloperName: "Bad Name" is not/)
    expect(refused({ esDeveloperName: undefined })).toMatch(/^enhancedChat\.esDeveloperName: /)
  })

  it('fails to open a deployment Salesforce does not know, naming the field, and creates nothing', async () => {
    const outcome = await backend.open(chatRecord(target({ esDeveloperName: 'No_Such_Deployment' })), {
      signal: new AbortController().signal,
      stillWanted: async () => true,
    })
    expect(outcome).toMatchObject({ kind: 'failed' })
    expect(outcome.kind === 'failed' && outcome.detail).toMatch(
      /^enhancedChat\.esDeveloperName: Salesforce does not know the deployment No_Such_Deployment in this org; nothing was created/
    )
    expect(mock.enhanced.conversations()).toEqual([])
  })

  it('ends with a clear reason when the token expired before the conversation was created, and creates nothing', async () => {
    const chat = chatRecord(target())
    const opened = await backend.open(chat, { signal: new AbortController().signal, stillWanted: async () => true })
    if (opened.kind !== 'opened') throw new Error('open failed')
    const { token, conversationId } = opened.checkpoint.cursor.state as { token: string; conversationId: string }
    // Another conversation of the same identity lets the simulator expire that identity's tokens.
    const other = randomUUID()
    const created = await fetch(`${mock.url}/iamessage/api/v2/conversation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: other, esDeveloperName: mock.options.esDeveloperName }),
    })
    expect(created.status).toBe(201)
    mock.enhanced.expireToken(other)

    const store = new MemoryStore()
    const conversation = backend.resume(opened.checkpoint.cursor, {
      chat,
      hooks: store,
      logger: (await import('./backend-harness.js')).silentLogger,
    })
    stops.push(() => conversation.stop())
    const outcome = await conversation.run()
    expect(outcome).toMatchObject({ kind: 'ended', reason: 'error' })
    expect(outcome.kind === 'ended' && outcome.detail).toContain(
      'expired before the conversation was created (401); nothing was created'
    )
    expect(mock.enhanced.conversation(conversationId)).toBeUndefined()
  })
})

describe('salesforceLanguage', () => {
  it('spells the visitor language as Salesforce locales, and drops what is not a language tag', () => {
    expect(salesforceLanguage('en-US')).toBe('en_US')
    expect(salesforceLanguage('fr')).toBe('fr')
    expect(salesforceLanguage('de-DE,de;q=0.9')).toBe('de_DE')
    expect(salesforceLanguage('not a tag')).toBeUndefined()
    expect(salesforceLanguage(undefined)).toBeUndefined()
  })
})
