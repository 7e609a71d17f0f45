// The 22-messages-a-minute limit is met by pacing the outbox, never by dropping: the 23rd post of a minute waits for
// a free slot, and the window is stored in the cursor so a new owner keeps pacing after a restart. A fake clock
// stands in for the minute (its sleep moves time on); the simulator's own limits are off so only our pacing counts.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { EnhancedChatBackend } from '../../src/backends/enhanced-chat/backend.js'
import { LIMITS, MINUTE_MS } from '../../src/backends/enhanced-chat/constants.js'
import { OutboxPacer, type PacerClock } from '../../src/backends/enhanced-chat/pacer.js'
import { chatRecord, FAST, MemoryStore, silentLogger } from './backend-harness.js'

const POSTS = LIMITS.messagesPerMinutePerConversation + 3

class FakeClock implements PacerClock {
  time = 1_000_000
  readonly sleeps: number[] = []
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
  }
}

let mock: MockServer

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent', rateLimits: false })
})

afterAll(async () => {
  await mock.close()
})

function backendWith(clock: FakeClock): EnhancedChatBackend {
  return new EnhancedChatBackend({
    loopbackTargets: [new URL(mock.url).host],
    logger: silentLogger,
    ...FAST,
    pacer: new OutboxPacer({ clock }),
  })
}

it('holds the 23rd post of a minute until a slot frees, sends every post once, and keeps the window across a restart', async () => {
  const clock = new FakeClock()
  const backend = backendWith(clock)
  const chat = chatRecord({
    scrtUrl: mock.url,
    orgId: mock.options.orgId,
    esDeveloperName: mock.options.esDeveloperName,
  })
  const opened = await backend.open(chat, { signal: new AbortController().signal, stillWanted: async () => true })
  if (opened.kind !== 'opened') throw new Error('open failed')
  const store = new MemoryStore()
  const conversation = backend.resume(opened.checkpoint.cursor, { chat, hooks: store, logger: silentLogger })
  void conversation.run()
  const { conversationId } = opened.checkpoint.cursor.state as { conversationId: string }

  const texts = Array.from({ length: POSTS }, (_, i) => `line ${i + 1}`)
  const outcomes = await Promise.all(texts.map((text, i) => conversation.send({ id: `outbox:${i + 1}`, text })))
  expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true)
  const lines = mock.enhanced.conversation(conversationId)!.transcript.filter((l) => l.from === 'visitor')
  expect(lines.map((l) => l.text)).toEqual(texts)
  // The first 22 went at once; each of the 3 others waited for the minute of the one 22 places before it.
  expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(MINUTE_MS)
  const checkpoint = await conversation.stop()
  const stored = checkpoint.cursor.state as { sentAt: number[] }
  expect(stored.sentAt.length).toBeGreaterThan(0)
  backend.close()

  // A new owner (another process: a fresh pacer) with a window full of recent sends must wait before its next post.
  const later = new FakeClock()
  later.time = clock.time
  const full = Array.from({ length: LIMITS.messagesPerMinutePerConversation }, (_, i) => later.time - 1000 + i)
  const cursor = { ...checkpoint.cursor, state: { ...(checkpoint.cursor.state as object), sentAt: full } }
  const second = backendWith(later)
  const resumed = second.resume(cursor, { chat, hooks: new MemoryStore(), logger: silentLogger })
  void resumed.run()
  expect(await resumed.send({ id: `outbox:${POSTS + 1}`, text: 'after the restart' })).toMatchObject({
    status: 'delivered',
  })
  expect(later.sleeps.length).toBeGreaterThan(0)
  expect(later.sleeps[0]).toBeGreaterThan(MINUTE_MS - 2000)
  await resumed.stop()
  second.close()
})
