// The Enhanced Chat client against the simulator (mock-server) on loopback: a whole hand-off, a dropped stream
// resumed with nothing lost or repeated, token expiry, the 22-a-minute limit, bad input. Faults go through the
// simulator's HTTP admin API (/__admin/enhanced), as an operator would drive them.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ENHANCED_ADMIN_PREFIX, startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import {
  EnhancedChatClient,
  EnhancedChatError,
  EnhancedChatEventStream,
  EnhancedChatInputError,
  OutboxPacer,
  translateEnhancedBatch,
  type StreamEvent,
} from '../../src/backends/enhanced-chat/index.js'
import type { ChatSnapshot } from '../../src/pump/translate.js'
import type { NewHopEvent } from '../../src/store/types.js'

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200, maxRetries: 5 }

let mock: MockServer
let client: EnhancedChatClient
const streams: EnhancedChatEventStream[] = []

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent' })
  client = new EnhancedChatClient({
    baseUrl: mock.url,
    orgId: mock.options.orgId,
    esDeveloperName: mock.options.esDeveloperName,
    retry: { initialDelayMs: 10, maxDelayMs: 100 },
  })
})

afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()))
  await admin('reset')
})

afterAll(async () => {
  client.close()
  await mock.close()
})

async function admin(path: string, body: object = {}): Promise<unknown> {
  const res = await fetch(`${mock.url}${ENHANCED_ADMIN_PREFIX}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json: unknown = await res.json()
  if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** Reads the stream the way the backend will: every event kept raw, and translated with the chat's snapshot. */
class Reader {
  readonly raw: StreamEvent[] = []
  readonly bridge: NewHopEvent[] = []
  snapshot: ChatSnapshot = { state: 'connecting', progress: {} }
  readonly stream: EnhancedChatEventStream
  readonly done: Promise<unknown>
  private waiters: (() => void)[] = []

  constructor(token: { accessToken: string; lastEventId: string }, conversationId: () => string) {
    this.stream = new EnhancedChatEventStream({
      baseUrl: client.baseUrl,
      orgId: client.orgId,
      accessToken: token.accessToken,
      lastEventId: token.lastEventId,
      retry: FAST_RECONNECT,
      onEvent: (event) => {
        this.raw.push(event)
        const result = translateEnhancedBatch([event], this.snapshot, { conversationId: conversationId() }, Date.now())
        this.bridge.push(...result.events)
        this.snapshot = { state: result.state?.state ?? this.snapshot.state, progress: result.progress }
        for (const wake of this.waiters.splice(0)) wake()
      },
    })
    streams.push(this.stream)
    // Settled either way; tests that expect a rejection read it from `done`.
    this.done = this.stream.run().then(
      () => 'closed',
      (error: unknown) => error
    )
  }

  async until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}; bridge events: ${this.types().join(', ')}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  types(): string[] {
    return this.bridge.map((event) => event.type)
  }
}

/** Waits (polling loopback state, at most 2 s) until `condition` holds; the caller asserts afterwards. */
async function settled(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

async function openConversation(attributes?: Record<string, string>) {
  const token = await client.accessToken()
  const conversationId = randomUUID()
  const reader = new Reader(token, () => conversationId)
  await client.createConversation(token.accessToken, {
    conversationId,
    ...(attributes ? { routingAttributes: attributes } : {}),
  })
  return { token, conversationId, reader }
}

describe('Enhanced Chat client against the simulator', () => {
  it('runs a whole hand-off: token, stream, create, routing, agent joins, messages both ways, typing, agent ends', async () => {
    const { token, conversationId, reader } = await openConversation({ _firstName: 'Ada', Unknown_Field: 'dropped' })
    expect(token.expiresAt).toBeGreaterThan(Date.now())
    expect(mock.enhanced.conversation(conversationId)?.routingAttributes).toEqual({ _firstName: 'Ada' })
    await reader.until(() => reader.types().includes('chat.queued'), 'chat.queued')
    expect((await client.routingStatus(token.accessToken, conversationId)).routingStatus).toBe('ROUTED')

    await admin(`conversations/${conversationId}/queue`, { position: 2 })
    await admin(`conversations/${conversationId}/accept`, { agentName: 'Jane Agent' })
    await reader.until(() => reader.types().includes('agent.joined'), 'agent.joined')

    const messageId = randomUUID()
    const sent = await client.sendMessage(token.accessToken, conversationId, {
      messageId,
      text: 'hello from the bot user',
    })
    await client.typing(token.accessToken, conversationId, true)
    await client.typing(token.accessToken, conversationId, false)
    await admin(`conversations/${conversationId}/typing`, { typing: true })
    await admin(`conversations/${conversationId}/message`, { text: 'Hi, how can I help?' })
    await reader.until(() => reader.types().includes('agent.message'), 'agent.message')
    // The guest's own message came back on the stream (the raw events show it) and was not handed to the bot.
    expect(reader.raw.some((e) => e.entry.identifier === sent.entryId && e.entry.sender.role === 'EndUser')).toBe(true)

    await admin(`conversations/${conversationId}/end`)
    await reader.until(() => reader.snapshot.state === 'ended', 'chat.ended')
    const jane = { id: mock.enhanced.conversation(conversationId)!.agentId, name: 'Jane Agent' }
    expect(reader.bridge.map((e) => [e.type, e.data])).toEqual([
      ['chat.queued', { position: 0 }],
      ['chat.queued', { position: 2 }],
      ['agent.joined', { agent: jane }],
      ['agent.typing', { typing: true }],
      ['agent.message', { text: 'Hi, how can I help?', agent: jane }],
      ['chat.ended', { reason: 'agent', detail: 'the session was ended by Agent' }],
    ])
    expect(reader.raw.some((e) => e.name === 'CONVERSATION_CLOSE_CONVERSATION')).toBe(false)
    expect((await client.routingStatus(token.accessToken, conversationId)).routingStatus).toBe('NEEDS_ROUTING')
    const view = mock.enhanced.conversation(conversationId)!
    expect(view.transcript.filter((line) => line.text === 'hello from the bot user')).toHaveLength(1)

    // After the agent's end a message is refused as such (417), and the end user's end still closes cleanly.
    const late = await client
      .sendMessage(token.accessToken, conversationId, { messageId: randomUUID(), text: 'anyone?' })
      .catch((e: unknown) => e)
    expect(late).toMatchObject({ kind: 'session-ended', status: 417 })
    await client.end(token.accessToken, conversationId)
    expect(mock.enhanced.conversation(conversationId)?.closed).toBe(true)
    const entries = await client.listEntries(token.accessToken, conversationId, { entryTypeFilter: ['Message'] })
    expect(entries.map((e) => e.entryPayload['entryType'])).toEqual(['Message', 'Message'])

    await reader.stream.close()
    expect(await reader.done).toBe('closed')
    // The server sees the socket go a moment after close() destroyed it.
    await settled(() => mock.enhanced.openStreams() === 0)
    expect(mock.enhanced.openStreams()).toBe(0)
  })

  it('resumes a dropped or ended stream from the last event id: nothing lost, nothing repeated', async () => {
    const { conversationId, reader } = await openConversation()
    await admin(`conversations/${conversationId}/accept`, {})
    await reader.until(() => reader.types().includes('agent.joined'), 'agent.joined')
    const say = async (from: number, to: number) => {
      for (let i = from; i <= to; i++) await admin(`conversations/${conversationId}/message`, { text: `m${i}` })
    }
    await say(1, 3)
    await reader.until(() => reader.types().filter((t) => t === 'agent.message').length === 3, 'three messages')
    expect(await admin('streams/drop', { conversationId })).toMatchObject({ dropped: 1 })
    await say(4, 6) // while the client is away: the replay must bring them
    await reader.until(() => reader.types().filter((t) => t === 'agent.message').length === 6, 'six messages')
    await admin('streams/close-after', { events: 1, conversationId })
    await say(7, 9)
    await reader.until(() => reader.types().filter((t) => t === 'agent.message').length === 9, 'nine messages')

    const texts = reader.bridge.filter((e) => e.type === 'agent.message').map((e) => e.data['text'])
    expect(texts).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'])
    const ids = reader.raw.map((e) => BigInt(e.id))
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
    expect(reader.stream.connectionCount).toBeGreaterThanOrEqual(3)
    expect(reader.stream.lastEventId).toBe(reader.raw.at(-1)!.id)
  })

  it('surfaces token expiry as token-expired on REST and ends the stream with it instead of reconnecting', async () => {
    const { token, conversationId, reader } = await openConversation()
    await reader.until(() => reader.types().includes('chat.queued'), 'chat.queued')
    await admin(`conversations/${conversationId}/expire-token`)
    const error = await reader.done
    expect(error).toBeInstanceOf(EnhancedChatError)
    expect(error).toMatchObject({ kind: 'token-expired', status: 401, operation: 'eventStream' })
    const rest = await client.routingStatus(token.accessToken, conversationId).catch((e: unknown) => e)
    expect(rest).toMatchObject({ kind: 'token-expired', status: 401, serverMessage: 'Jwt is expired' })
  })

  it('retries a 5xx on a REST call and a refused stream connect, within the bound', async () => {
    const { token, conversationId, reader } = await openConversation()
    await admin('faults', { kind: 'error', route: 'routingStatus', status: 503, count: 2 })
    expect((await client.routingStatus(token.accessToken, conversationId)).routingStatus).toBe('ROUTED')
    await admin('faults', { kind: 'error', route: 'routingStatus', status: 500, count: 10 })
    const spent = await client.routingStatus(token.accessToken, conversationId).catch((e: unknown) => e)
    expect(spent).toMatchObject({ kind: 'server', status: 500 })
    await admin('faults', { kind: 'error', route: 'sse', status: 502, count: 2 })
    await admin('streams/drop', { conversationId })
    await admin(`conversations/${conversationId}/accept`, {})
    await reader.until(() => reader.types().includes('agent.joined'), 'agent.joined after two refused connects')
  })

  it('answers the 23rd message in a minute with a classified 429 that the pacer would have avoided', async () => {
    const { token, conversationId } = await openConversation()
    const pacer = new OutboxPacer()
    const first = randomUUID()
    let firstEntry = ''
    for (let i = 0; i < 22; i++) {
      await pacer.acquire(conversationId)
      const sent = await client.sendMessage(token.accessToken, conversationId, {
        messageId: i === 0 ? first : randomUUID(),
        text: `t${i}`,
      })
      if (i === 0) firstEntry = sent.entryId
    }
    // The pacer holds the 23rd back for the rest of the minute rather than sending (or dropping) it.
    expect(pacer.delayFor(conversationId)).toBeGreaterThan(50_000)
    const over = await client
      .sendMessage(token.accessToken, conversationId, { messageId: randomUUID(), text: 'one too many' })
      .catch((e: unknown) => e)
    expect(over).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 60_000 })
    // A message that may have arrived (a crash after the send) is looked up by its id, not sent again: the
    // simulator, like Salesforce, would take a resent id as a second message.
    const again = await client.sendMessage(token.accessToken, conversationId, {
      messageId: first,
      text: 't0',
      mayHaveArrived: true,
    })
    expect(again.entryId).toBe(firstEntry)
    const view = mock.enhanced.conversation(conversationId)!
    expect(view.transcript.filter((line) => line.text === 't0')).toHaveLength(1)
  })

  it('refuses bad input with an error naming the field, before anything is created', async () => {
    const base = { baseUrl: mock.url, esDeveloperName: mock.options.esDeveloperName }
    const before = mock.enhanced.conversations().length
    expect(() => new EnhancedChatClient({ ...base, orgId: '00D5g000004AbC' })).toThrow(
      expect.objectContaining({ field: 'orgId', message: expect.stringMatching(/15 or 18 characters/) })
    )
    expect(() => new EnhancedChatClient({ ...base, orgId: mock.options.orgId, baseUrl: 'ftp://x' })).toThrow(
      EnhancedChatInputError
    )
    const unknown = new EnhancedChatClient({
      ...base,
      orgId: mock.options.orgId,
      esDeveloperName: 'No_Such_Deployment',
    })
    const error = await unknown.accessToken().catch((e: unknown) => e)
    unknown.close()
    expect(error).toMatchObject({ kind: 'bad-request', status: 400 })
    expect((error as Error).message).toMatch(/esDeveloperName No_Such_Deployment/)
    const token = await client.accessToken()
    const upper = await client
      .createConversation(token.accessToken, { conversationId: randomUUID().toUpperCase() })
      .catch((e: unknown) => e)
    expect(upper).toMatchObject({ field: 'conversationId' })
    expect(mock.enhanced.conversations().length).toBe(before)
  })

  it('accepts an 18-character org id and speaks with its 15-character form on the stream', async () => {
    const orgId18 = `${mock.options.orgId}EAK`
    const long = new EnhancedChatClient({
      baseUrl: mock.url,
      orgId: orgId18,
      esDeveloperName: mock.options.esDeveloperName,
    })
    expect(long.orgId).toBe(mock.options.orgId)
    const token = await long.accessToken()
    long.close()
    const conversationId = randomUUID()
    const reader = new Reader(token, () => conversationId)
    await client.createConversation(token.accessToken, { conversationId })
    await reader.until(() => reader.types().includes('chat.queued'), 'chat.queued')
  })

  it('renews a token for the same identity without a later expiry, and classifies another identity as forbidden', async () => {
    const { token, conversationId, reader } = await openConversation()
    const renewed = await client.continuationToken(token.accessToken)
    expect(renewed.accessToken).not.toBe(token.accessToken)
    expect(renewed.subject).toBe(token.subject)
    expect(renewed.expiresAt).toBe(token.expiresAt)
    await expect(client.routingStatus(renewed.accessToken, conversationId)).resolves.toMatchObject({ conversationId })
    // A new guest token is a new identity: it cannot reach the first one's conversation.
    const stranger = await client.accessToken()
    const error = await client.routingStatus(stranger.accessToken, conversationId).catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'forbidden', status: 403 })
    await reader.until(() => reader.types().includes('chat.queued'), 'chat.queued')
  })
})
