// ChatSession against the real mock server: the lifecycle of a chat, the ack/pc rules, the POST queue.
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { pino } from 'pino'
import {
  ChatSession,
  LiveAgentClient,
  LiveAgentInputError,
  openChat,
  type ChatSessionOptions,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'
import { FAST, INIT, RecordingStore, agentLines, visitorLines, waitUntil } from './helpers.js'

let mock: MockServer
let client: LiveAgentClient
const sessions: ChatSession[] = []

// A fresh mock per test: a request aborted at the very end of one test can still reach the server
// afterwards, and must not show up in the next test's counters.
beforeEach(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: 100, acceptDelayMs: 10, replyDelayMs: 10 })
  client = new LiveAgentClient({ endpoint: `${mock.url}/chat` })
})

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()))
  client.close()
  await mock.close()
})

async function start(
  options: Partial<ChatSessionOptions> = {},
  liveAgent: LiveAgentClient = client
): Promise<{ session: ChatSession; store: RecordingStore; cursor: SessionCursor }> {
  const cursor = await openChat(liveAgent, INIT)
  const store = new RecordingStore(cursor)
  const session = new ChatSession({ client: liveAgent, cursor, hooks: store, ...FAST, ...options })
  sessions.push(session)
  return { session, store, cursor }
}

function expectCleanProtocol(server: MockServer = mock): void {
  expect(server.admin.stats().violations).toEqual([])
  expect(server.admin.stats().conflicts409).toBe(0)
}

describe('ChatSession: lifecycle', () => {
  it('happy path: queued, agent joins, messages both ways, the agent ends the chat', async () => {
    const echo = await startMockServer({ scenario: 'echo', holdMs: 100, acceptDelayMs: 10, replyDelayMs: 10 })
    const echoClient = new LiveAgentClient({ endpoint: `${echo.url}/chat` })
    try {
      const { session, store, cursor } = await start({}, echoClient)
      const run = session.run()
      await waitUntil(() => store.types().includes('ChatEstablished'), 'ChatEstablished')
      await expect(session.enqueue({ kind: 'ChatMessage', text: 'hello' }, { id: 'm1' })).resolves.toEqual({
        status: 'delivered',
        id: 'm1',
        sequence: 2,
      })
      await waitUntil(() => store.agentTexts().includes('Echo: hello'), 'the echo')
      await session.enqueue({ kind: 'ChatMessage', text: 'bye' }, { id: 'm2' })
      const outcome = await run
      expect(outcome).toMatchObject({ kind: 'over', reason: 'agent-ended', detail: 'agent' })
      expect(store.types()).toEqual([
        'ChatRequestSuccess',
        'ChatEstablished',
        'ChatMessage',
        'ChatMessage',
        'ChatEnded',
      ])
      expect(store.agentTexts()).toEqual(['Echo: hello', 'Echo: bye'])
      expect(store.latest.over).toEqual({ reason: 'agent-ended', detail: 'agent' })
      expect(store.latest.connectionTimeoutMs).toBe(150_000)
      const chat = echo.admin.chat(cursor.id)
      expect(visitorLines(chat?.transcript ?? [])).toEqual(['hello', 'bye'])
      expect(chat?.sequences).toEqual([1, 2, 3])
      // every poll acknowledged exactly the last sequence received before it
      const acked = new Set([-1, ...store.batches.map((b) => b.cursor.ack)])
      for (const ack of chat?.acks ?? []) expect(acked.has(ack ?? Number.NaN)).toBe(true)
      expectCleanProtocol(echo)
    } finally {
      echoClient.close()
      await echo.close()
    }
  })

  it('the visitor ends an established chat with ChatEnd, after the messages queued before it', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id)
    mock.admin.accept(cursor.id)
    await waitUntil(() => store.latest.established, 'established')
    const sent = session.enqueue({ kind: 'ChatMessage', text: 'thanks' })
    await expect(session.end()).resolves.toMatchObject({ status: 'delivered' })
    await expect(sent).resolves.toMatchObject({ status: 'delivered' })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'visitor-ended' })
    const chat = mock.admin.chat(cursor.id)
    expect(chat?.endReason).toBe('client')
    expect(visitorLines(chat?.transcript ?? [])).toEqual(['thanks'])
    expect(store.latest.over?.reason).toBe('visitor-ended')
    expect(store.latest.pendingPosts).toEqual([])
    expectCleanProtocol()
  })

  it('cancelling before an agent joined deletes the session instead of posting', async () => {
    const { session, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
    await expect(session.end()).resolves.toMatchObject({ status: 'delivered' })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'visitor-ended' })
    expect(mock.admin.chat(cursor.id)?.endReason).toBe('deleted')
    expect(mock.admin.stats().requests.ChatEnd).toBeUndefined()
    expectCleanProtocol()
  })

  it('ends with request-failed when no agent is available', async () => {
    mock.admin.setAvailability(false)
    const { session, store } = await start()
    await expect(session.run()).resolves.toMatchObject({
      kind: 'over',
      reason: 'request-failed',
      detail: 'Unavailable',
    })
    expect(store.types()).toEqual(['ChatRequestFail'])
  })

  it('ends with session-invalid on a 403 (expired session) and drops what was still queued', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
    const queued = session.enqueue({ kind: 'ChatMessage', text: 'anyone?' }) // buffered: no agent yet
    mock.admin.expire(cursor.id)
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'session-invalid' })
    await expect(queued).resolves.toMatchObject({ status: 'dropped', reason: 'chat-over' })
    expect(store.latest.over?.reason).toBe('session-invalid')
    await expect(session.enqueue({ kind: 'ChatMessage', text: 'late' })).resolves.toMatchObject({
      status: 'dropped',
      reason: 'chat-over',
    })
    // a finished cursor resumes straight to its outcome, with no request
    const requests = mock.admin.stats().requests.Messages
    const again = new ChatSession({ client, cursor: store.latest, hooks: new RecordingStore() })
    await expect(again.run()).resolves.toMatchObject({ kind: 'over', reason: 'session-invalid' })
    expect(mock.admin.stats().requests.Messages).toBe(requests)
  })

  it('never changes a cursor after handing it to a hook (hooks get the draft itself, not a copy)', async () => {
    const echo = await startMockServer({ scenario: 'echo', holdMs: 100, acceptDelayMs: 10, replyDelayMs: 10 })
    const echoClient = new LiveAgentClient({ endpoint: `${echo.url}/chat` })
    try {
      const cursor = await openChat(echoClient, INIT)
      const handed: Array<{ cursor: SessionCursor; json: string }> = []
      const keep = async (next: SessionCursor): Promise<void> => {
        handed.push({ cursor: next, json: JSON.stringify(next) })
      }
      const session = new ChatSession({
        client: echoClient,
        cursor,
        hooks: { onBatch: (_events, next) => keep(next), onCursor: keep },
        ...FAST,
      })
      sessions.push(session)
      const run = session.run()
      await waitUntil(() => handed.some((h) => h.cursor.established), 'ChatEstablished')
      await session.enqueue({ kind: 'ChatMessage', text: 'hello' }, { id: 'm1' })
      await session.enqueue({ kind: 'ChatMessage', text: 'bye' }, { id: 'm2' })
      await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'agent-ended' })
      expect(handed.length).toBeGreaterThan(5)
      for (const { cursor: kept, json } of handed) expect(JSON.stringify(kept)).toBe(json)
      // distinct objects: no commit edited the previous one in place
      expect(new Set(handed.map((h) => h.cursor)).size).toBe(handed.length)
    } finally {
      echoClient.close()
      await echo.close()
    }
  })
})

describe('ChatSession: polling rules', () => {
  it('keeps the ack on 204 and sets it to the last sequence on 200', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length >= 4) // three 204s after the first batch
    mock.admin.accept(cursor.id)
    mock.admin.agentMessage(cursor.id, 'one')
    await waitUntil(() => store.agentTexts().includes('one'), 'the agent message')
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.at(-1) === 2)
    await session.stop()
    await run
    const acks = mock.admin.chat(cursor.id)?.acks ?? []
    const firstAfterAgent = acks.indexOf(2)
    expect(acks[0]).toBe(-1)
    // 204s in between: the ack stays at 0 (ChatRequestSuccess), never moves on its own
    expect(acks.slice(1, firstAfterAgent)).toEqual(Array(firstAfterAgent - 1).fill(0))
    expect(firstAfterAgent).toBeGreaterThanOrEqual(4)
    expect(store.batches.map((b) => b.cursor.ack)).toEqual([0, 2])
    expectCleanProtocol()
  })

  it('counts every Messages request in pc, retries included, starting at 0', async () => {
    const { session, cursor } = await start()
    mock.admin.injectFault({ resource: 'Messages', kind: 'reset', count: 2 })
    mock.admin.injectFault({ resource: 'Messages', kind: 'error500', count: 1 })
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.pcs.length >= 4)
    const stopped = await session.stop()
    await run
    const total = mock.admin.stats().requests.Messages ?? 0
    const recorded = mock.admin.chat(cursor.id)?.pcs ?? []
    // the faulted requests never reach the ack/pc bookkeeping, but they used up their pc numbers
    expect(stopped.pc).toBe(total)
    expect(recorded).toEqual(
      Array.from({ length: total }, (_, pc) => pc).filter((pc) => pc >= 3) // pc 0, 1, 2 were reset, reset, 500
    )
    expectCleanProtocol()
  })

  it('never opens a second poll when a poll outlives clientPollTimeout and is retried', async () => {
    // the server holds 5 s but tells the client to give up after 1 s: every poll times out and is retried
    const slow = await startMockServer({ scenario: 'manual', holdMs: 5000, clientPollTimeout: 1 })
    const slowClient = new LiveAgentClient({ endpoint: `${slow.url}/chat` })
    try {
      const { session, store, cursor } = await start({}, slowClient)
      const run = session.run()
      await slow.admin.waitForChat((c) => c.id === cursor.id && c.acks.length >= 3, 10_000)
      slow.admin.accept(cursor.id)
      slow.admin.agentMessage(cursor.id, 'still there?')
      await waitUntil(() => store.agentTexts().includes('still there?'), 'the agent message', 10_000)
      await session.stop()
      await run
      expect(slow.admin.chat(cursor.id)?.state).toBe('active')
      expectCleanProtocol(slow)
    } finally {
      slowClient.close()
      await slow.close()
    }
  })

  // The mock drops a request whose client gave up during an injected delay, as a server whose client went away
  // would; without that, the abandoned poll would meet the retry and both would get 409.
  it('never opens a second poll when a delayed poll times out and is retried (mock delay fault)', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 3000, clientPollTimeout: 1 })
    const slowClient = new LiveAgentClient({ endpoint: `${slow.url}/chat` })
    try {
      const { session, store, cursor } = await start({}, slowClient)
      const run = session.run()
      await slow.admin.waitForChat((c) => c.id === cursor.id && c.acks.length >= 1)
      // the next poll is delayed 2.5 s; the client gives up at 1.2 s and polls again. Keep polling past the
      // moment the abandoned request leaves its delay
      slow.admin.injectFault({ resource: 'Messages', kind: 'delay', delayMs: 2500, sessionId: cursor.id })
      const delayOver = Date.now() + 5000
      await waitUntil(() => Date.now() > delayOver, 'the end of the injected delay', 10_000)
      slow.admin.accept(cursor.id)
      slow.admin.agentMessage(cursor.id, 'after the delay')
      await waitUntil(() => store.agentTexts().includes('after the delay'), 'the agent message', 10_000)
      await session.stop()
      await expect(run).resolves.toMatchObject({ kind: 'stopped' })
      expectCleanProtocol(slow)
    } finally {
      slowClient.close()
      await slow.close()
    }
  })

  it('stop() during a held poll returns at once and leaves a resumable cursor', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 60_000 })
    const slowClient = new LiveAgentClient({ endpoint: `${slow.url}/chat` })
    try {
      const { session, store, cursor } = await start({}, slowClient)
      const run = session.run()
      await slow.admin.waitForChat((c) => c.id === cursor.id && c.acks.length === 2) // the second poll is held
      // the hold is 60 s and the test's timeout 30 s: only an immediate abort gets past these lines
      const stopped = await session.stop()
      await expect(run).resolves.toMatchObject({ kind: 'stopped' })
      expect(stopped).toMatchObject({ ack: 0, pc: 2, nextSequence: 2, pendingPosts: [] })

      const resumedStore = new RecordingStore(stopped)
      const resumed = new ChatSession({ client: slowClient, cursor: stopped, hooks: resumedStore, ...FAST })
      sessions.push(resumed)
      const resumedRun = resumed.run()
      slow.admin.accept(cursor.id)
      await waitUntil(() => resumedStore.types().includes('ChatEstablished'), 'ChatEstablished after resume')
      await slow.admin.waitForChat((c) => c.id === cursor.id && c.acks.at(-1) === 1) // the next poll is held
      await resumed.stop()
      await resumedRun
      expect(store.types()).toEqual(['ChatRequestSuccess'])
      // first run: -1 (batch), 0 (held, aborted); resumed: 0 again (ChatEstablished), then 1 (held, stopped)
      expect(slow.admin.chat(cursor.id)?.acks).toEqual([-1, 0, 0, 1])
      expectCleanProtocol(slow)
    } finally {
      slowClient.close()
      await slow.close()
    }
  })

  it('ends with duplicate-poll when the server saw a second poll (409 on Messages)', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length >= 2) // the session's poll is held
    // another process polling the same session: the server answers 409 to both and ends the chat
    const intruder = client.messages({ key: cursor.key, affinityToken: cursor.affinityToken }, { ack: 0 })
    await expect(intruder).rejects.toMatchObject({ status: 409 })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'duplicate-poll' })
    expect(store.latest.over?.reason).toBe('duplicate-poll')
    expect(mock.admin.chat(cursor.id)?.endReason).toBe('duplicatePoll')
  })

  it('fails with retries-exhausted once 5xx outlast the connection timeout', async () => {
    const { session } = await start({ maxConnectionTimeoutMs: 300 })
    mock.admin.injectFault({ resource: 'Messages', kind: 'error500', count: 1000 })
    const outcome = await session.run()
    expect(outcome.kind).toBe('failed')
    if (outcome.kind !== 'failed') throw new Error('expected a failure')
    expect(outcome.error).toMatchObject({ kind: 'retries-exhausted', resource: 'Messages', status: 500 })
    expect(outcome.cursor.over).toBeUndefined() // still resumable
  })
})

describe('ChatSession: the POST queue', () => {
  it('buffers everything but ChasitorInit until ChatEstablished, then sends in order', async () => {
    const { session, cursor } = await start()
    const run = session.run()
    const early = [1, 2, 3].map((n) => session.enqueue({ kind: 'ChatMessage', text: `early ${n}` }))
    await expect(session.enqueue({ kind: 'ChasitorTyping' })).resolves.toMatchObject({
      status: 'dropped',
      reason: 'not-established',
    })
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length >= 3)
    expect(mock.admin.stats().requests.ChatMessage).toBeUndefined()
    mock.admin.accept(cursor.id)
    expect((await Promise.all(early)).map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered'])
    await expect(session.enqueue({ kind: 'ChasitorTyping' })).resolves.toMatchObject({ status: 'delivered' })
    expect(mock.admin.chat(cursor.id)?.visitorTyping).toBe(true)
    await session.stop()
    await run
    expect(visitorLines(mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(['early 1', 'early 2', 'early 3'])
    expect(mock.admin.chat(cursor.id)?.sequences).toEqual([1, 2, 3, 4, 5])
    expectCleanProtocol()
  })

  it('spaces ChatMessages by at least minChatMessageGapMs, however fast they are queued', async () => {
    const gapMs = 120
    const { session, cursor } = await start({ minChatMessageGapMs: gapMs })
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id)
    mock.admin.accept(cursor.id)
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => session.enqueue({ kind: 'ChatMessage', text })))
    await session.stop()
    await run
    const at = (mock.admin.chat(cursor.id)?.transcript ?? [])
      .filter((t) => t.from === 'visitor')
      .map((t) => Date.parse(t.at))
    expect(at).toHaveLength(4)
    // a lower bound, not a speed measurement: each message left at least gapMs after the previous one was accepted
    const timerSlackMs = 2
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(gapMs - timerSlackMs)
  })

  it('is idempotent per post id, also across the delivered ids kept in the cursor', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id)
    mock.admin.accept(cursor.id)
    const [a, b] = await Promise.all([
      session.enqueue({ kind: 'ChatMessage', text: 'once' }, { id: 'dup' }),
      session.enqueue({ kind: 'ChatMessage', text: 'once' }, { id: 'dup' }),
    ])
    expect(a).toEqual(b)
    expect(a.status).toBe('delivered')
    await expect(session.enqueue({ kind: 'ChatMessage', text: 'once' }, { id: 'dup' })).resolves.toEqual({
      status: 'duplicate',
      id: 'dup',
    })
    await session.stop()
    await run
    expect(store.latest.deliveredPostIds).toContain('dup')
    expect(visitorLines(mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(['once'])
  })

  it('throws LiveAgentInputError at once for an invalid post, and queues nothing', async () => {
    const { session, store } = await start()
    const persisted = store.cursors.length
    expect(() => session.enqueue({ kind: 'ChatMessage', text: '' })).toThrow(LiveAgentInputError)
    expect(() => session.enqueue({ kind: 'ChatEnd', reason: 'agent' } as never)).toThrow(/reason/)
    expect(() => session.enqueue({ kind: 'ChatMessage', text: 'x' }, { id: '' })).toThrow(/id/)
    expect(store.cursors.length).toBe(persisted)
    expect(session.cursor.pendingPosts.map((p) => p.post.kind)).toEqual(['ChasitorInit'])
  })

  it('fails with hook-failed and keeps the cursor when onBatch throws; the batch comes again on resume', async () => {
    const { session, store, cursor } = await start()
    store.onBatchHook = (events) => {
      if (events.some((e) => e.type === 'ChatEstablished')) throw new Error('disk full')
    }
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
    mock.admin.accept(cursor.id)
    const outcome = await run
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'hook-failed' } })
    expect(store.latest.established).toBe(false)

    const retryStore = new RecordingStore()
    const resumed = new ChatSession({ client, cursor: store.latest, hooks: retryStore, ...FAST })
    sessions.push(resumed)
    const resumedRun = resumed.run()
    await waitUntil(() => retryStore.types().includes('ChatEstablished'), 'ChatEstablished again')
    await resumed.stop()
    await resumedRun
    expectCleanProtocol()
  })
})

describe('ChatSession: logging', () => {
  it('never writes the session key to the logs, even on errors', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const logger = pino({ level: 'debug' }, sink)
    const logged = new LiveAgentClient({ endpoint: `${mock.url}/chat`, logger })
    try {
      const { session, store, cursor } = await start({ logger }, logged)
      mock.admin.injectFault({ resource: 'Messages', kind: 'reset' })
      const run = session.run()
      await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
      mock.admin.accept(cursor.id)
      mock.admin.injectFault({ resource: 'ChatMessage', kind: 'error500' })
      await session.enqueue({ kind: 'ChatMessage', text: 'hi' })
      mock.admin.expire(cursor.id)
      await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'session-invalid' })
      const text = lines.join('')
      expect(text).toContain('poll failed, retrying')
      expect(text).toContain('post failed, retrying with the same sequence')
      expect(text).toContain(cursor.id.slice(0, 8))
      expect(text).not.toContain(cursor.key)
      expect(text).not.toContain(cursor.key.split('!')[2])
      expect(store.latest.key).toBe(cursor.key)
    } finally {
      logged.close()
    }
  })
})

describe('ChatSession: agent-side events', () => {
  it('passes queue updates, typing, transfers and messages through in order', async () => {
    const { session, store, cursor } = await start()
    const run = session.run()
    await mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
    mock.admin.queueUpdate(cursor.id, 2)
    mock.admin.accept(cursor.id, { agentName: 'Andy' })
    mock.admin.agentTyping(cursor.id, true)
    mock.admin.agentMessage(cursor.id, 'Hi, Andy here')
    mock.admin.agentTyping(cursor.id, false)
    mock.admin.transfer(cursor.id, 'Bea')
    mock.admin.agentMessage(cursor.id, 'Bea now')
    await waitUntil(() => store.agentTexts().includes('Bea now'), 'the last message')
    await session.stop()
    await run
    expect(store.types()).toEqual([
      'ChatRequestSuccess',
      'QueueUpdate',
      'ChatEstablished',
      'AgentTyping',
      'ChatMessage',
      'AgentNotTyping',
      'ChatTransferred',
      'ChatMessage',
    ])
    expect(agentLines(mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(store.agentTexts())
    expectCleanProtocol()
  })
})
