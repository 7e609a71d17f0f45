// The 503 hand-over procedure on its own (src/backends/live-agent/handover.ts): a fake client scripted with the
// answers Live Agent gives (docs/live-agent-protocol.md, "Server hand-over"), a fake host standing for the session's
// cursor and store, and a fake clock, so retries and budgets are checked without waiting. The whole procedure
// against the mock server, with kills at every step, is in session-recovery.test.ts and handover-crash.test.ts.
import { describe, expect, it } from '@jest/globals'
import {
  ServerHandover,
  applySessionData,
  flagUnrecordedSends,
  mayHoldUnrecordedSends,
  queuePost,
  type HandoverClock,
  type HandoverHost,
} from '../../src/backends/live-agent/handover.js'
import {
  LiveAgentHttpError,
  LiveAgentNetworkError,
  cloneCursor,
  parseEvent,
  type EventOf,
  type LiveAgentClient,
  type ReconnectResult,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'

const BUDGET_MS = 10_000
const BACKOFF = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0 }

function baseCursor(): SessionCursor {
  return {
    version: 1,
    id: 'session-1',
    key: 'key-1',
    affinityToken: 'affinity-old',
    organizationId: '00D000000000001',
    ack: 4,
    pc: 7,
    lastOffset: 123,
    nextSequence: 5,
    established: true,
    connectionTimeoutMs: BUDGET_MS,
    clientPollTimeoutSec: 30,
    pendingPosts: [
      { id: 'outbox:3', post: { kind: 'ChatMessage', text: 'where is my order?' }, sequence: 4 },
      { id: 'outbox:4', post: { kind: 'ChatMessage', text: 'hello?' } },
    ],
    deliveredPostIds: ['outbox:1', 'outbox:2'],
    acceptedChatMessages: 2,
    lastChatMessageText: 'second',
  }
}

class FakeClock implements HandoverClock {
  at = 0
  readonly sleeps: number[] = []
  now(): number {
    return this.at
  }
  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    this.sleeps.push(ms)
    this.at += ms
    return Promise.resolve(!signal.aborted)
  }
}

class FakeHost implements HandoverHost {
  current = baseCursor()
  readonly halting = new AbortController()
  readonly halt = this.halting.signal
  inFlight: Promise<unknown> | undefined
  commits = 0
  over: { reason: string; detail: string } | undefined

  cursor(): SessionCursor {
    return this.current
  }
  sendInFlight(): Promise<unknown> | undefined {
    return this.inFlight
  }
  setSendInFlight(request: Promise<unknown> | undefined): void {
    this.inFlight = request
  }
  async commit(mutate: (next: SessionCursor) => boolean | void): Promise<void> {
    const next = cloneCursor(this.current)
    if (mutate(next) === false) return
    this.commits += 1
    this.current = next
  }
  async finishOver(reason: string, detail: string): Promise<void> {
    this.over = { reason, detail }
    this.halting.abort()
  }
  refusedBy: string | undefined
  async refused(resource: string): Promise<void> {
    this.refusedBy = resource
    this.halting.abort()
  }
  retryBudgetMs(): number {
    return BUDGET_MS
  }
  auth() {
    return { key: this.current.key, affinityToken: this.current.affinityToken }
  }
}

type Answer<T> = () => Promise<T>
const RECONNECTED: ReconnectResult = { affinityToken: 'affinity-new', resetSequence: true }
const ok =
  <T>(value: T): Answer<T> =>
  () =>
    Promise.resolve(value)
const fails =
  (error: Error): Answer<never> =>
  () =>
    Promise.reject(error)
const http = (resource: string, status: number) => fails(new LiveAgentHttpError(resource, status, ''))

/** Answers each call with the next scripted answer (the last one repeats), and records the calls. */
class FakeClient {
  readonly calls: string[] = []
  constructor(
    private readonly reconnects: Answer<ReconnectResult>[] = [ok(RECONNECTED)],
    private readonly resyncs: Answer<void>[] = [ok(undefined)]
  ) {}
  reconnectSession(key: string, offset: number): Promise<ReconnectResult> {
    this.calls.push(`ReconnectSession ${key} ${offset}`)
    return (this.reconnects.length > 1 ? this.reconnects.shift()! : this.reconnects[0]!)()
  }
  resyncState(auth: { affinityToken: string }): Promise<void> {
    this.calls.push(`ChasitorResyncState ${auth.affinityToken}`)
    return (this.resyncs.length > 1 ? this.resyncs.shift()! : this.resyncs[0]!)()
  }
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

function setUp(client = new FakeClient()) {
  const host = new FakeHost()
  const clock = new FakeClock()
  const handover = new ServerHandover({
    client: client as unknown as LiveAgentClient,
    host,
    backoff: BACKOFF,
    logger: silent,
    clock,
  })
  return { host, clock, client, handover }
}

describe('the 503 hand-over', () => {
  it('begins by interrupting the poll and recording the reconnect stage, once', async () => {
    const { host, handover } = setUp()
    await handover.begin('Messages')
    await handover.begin('ChatMessage')
    expect(host.current.handover).toBe('reconnect')
    expect(handover.interrupted).toBe(true)
    // The open poll listens to this signal: aborting it closes the poll.
    expect(handover.signal.aborted).toBe(true)
    expect(host.commits).toBe(1)
  })

  it('interrupts the poll and every wait when the session halts, without counting as a hand-over', () => {
    const { host, handover } = setUp()
    expect(handover.signal.aborted).toBe(false)
    host.halting.abort()
    expect(handover.signal.aborted).toBe(true)
    expect(handover.interrupted).toBe(false)
  })

  it('reconnects with the last offset: new affinity, numbering from 1, the numbered message marked uncertain', async () => {
    const { host, client, handover } = setUp()
    await handover.begin('Messages')
    const signalBefore = handover.signal
    await handover.reconnect()
    expect(client.calls).toEqual(['ReconnectSession key-1 123'])
    expect(host.current).toMatchObject({
      affinityToken: 'affinity-new',
      nextSequence: 1,
      handover: 'await-session-data',
    })
    expect(host.current.pendingPosts).toEqual([
      { id: 'outbox:3', post: { kind: 'ChatMessage', text: 'where is my order?' }, sequenceBeforeHandover: 4 },
      { id: 'outbox:4', post: { kind: 'ChatMessage', text: 'hello?' } },
    ])
    expect(handover.epoch).toBe(1)
    expect(signalBefore.aborted).toBe(true)
    expect(handover.interrupted).toBe(false)
  })

  it('waits for the answer of the POST in flight before reconnecting', async () => {
    const { host, client, handover } = setUp()
    let answer!: () => void
    host.inFlight = new Promise<void>((resolve) => (answer = resolve)).finally(() => (host.inFlight = undefined))
    await handover.begin('Messages')
    const reconnecting = handover.reconnect()
    await new Promise((resolve) => setImmediate(resolve))
    expect(client.calls).toEqual([])
    answer()
    await reconnecting
    expect(client.calls).toEqual(['ReconnectSession key-1 123'])
  })

  it('treats a 503 to a request sent before the last reconnect as stale', async () => {
    const { host, handover } = setUp()
    const epochBefore = handover.epoch
    await handover.begin('Messages')
    await handover.reconnect()
    const commits = host.commits
    await handover.onUnavailable('ChatMessage', epochBefore)
    expect(host.commits).toBe(commits)
    expect(handover.interrupted).toBe(false)
    await handover.onUnavailable('ChatMessage', handover.epoch)
    expect(host.current.handover).toBe('reconnect')
  })

  it('retries ReconnectSession on 5xx, 503 and network errors with backoff, then succeeds', async () => {
    const client = new FakeClient([
      http('ReconnectSession', 500),
      http('ReconnectSession', 503),
      fails(new LiveAgentNetworkError('ReconnectSession', 'socket hang up', 'ECONNRESET')),
      ok(RECONNECTED),
    ])
    const { host, clock, handover } = setUp(client)
    await handover.begin('Messages')
    await handover.reconnect()
    expect(client.calls).toHaveLength(4)
    expect(clock.sleeps).toEqual([100, 200, 400])
    expect(host.current.handover).toBe('await-session-data')
  })

  it('gives up with retries-exhausted once the budget is spent, never waiting past it', async () => {
    const { clock, handover } = setUp(new FakeClient([http('ReconnectSession', 502)]))
    await handover.begin('Messages')
    await expect(handover.reconnect()).rejects.toMatchObject({
      kind: 'retries-exhausted',
      resource: 'ReconnectSession',
    })
    expect(clock.at).toBe(BUDGET_MS)
  })

  it('ends the chat on 403 and fails with reconnect-failed on another 4xx', async () => {
    const gone = setUp(new FakeClient([http('ReconnectSession', 403)]))
    await gone.handover.begin('Messages')
    await gone.handover.reconnect()
    expect(gone.host.over).toEqual({ reason: 'session-invalid', detail: 'ReconnectSession answered 403' })

    const refused = setUp(new FakeClient([http('ReconnectSession', 400)]))
    await refused.handover.begin('Messages')
    await expect(refused.handover.reconnect()).rejects.toMatchObject({ kind: 'reconnect-failed', status: 400 })
  })

  it('resyncs after a poll with nothing pending, then clears the stage', async () => {
    const { host, client, handover } = setUp()
    await handover.begin('Messages')
    await handover.reconnect()
    await handover.afterEmptyPoll()
    expect(host.current.handover).toBe('resync')
    await handover.resync()
    expect(client.calls.at(-1)).toBe('ChasitorResyncState affinity-new')
    expect(host.current.handover).toBeUndefined()
    expect(host.inFlight).toBeUndefined()
  })

  /** A hand-over through to its resync, which the server answers with `status`. */
  async function resyncAnswered(status: number) {
    const client = new FakeClient([ok(RECONNECTED)], [http('ChasitorResyncState', status)])
    const { host, handover } = setUp(client)
    await handover.begin('Messages')
    await handover.reconnect()
    await handover.afterEmptyPoll()
    await handover.resync()
    return { client, host, handover }
  }

  it('starts another hand-over when the resync itself is answered 503', async () => {
    const { host, handover } = await resyncAnswered(503)
    expect(host.current.handover).toBe('reconnect')
    expect(handover.interrupted).toBe(true)
  })

  it('hands a 403 on the resync to the session, whose poll decides how the chat ended, and asks nothing more', async () => {
    const { client, host } = await resyncAnswered(403)
    expect(host.refusedBy).toBe('ChasitorResyncState')
    expect(host.over).toBeUndefined()
    expect(client.calls.filter((call) => call.startsWith('ChasitorResyncState'))).toHaveLength(1)
  })
})

describe('ChasitorSessionData after a reconnect', () => {
  const sessionData = (chatMessages?: { type: string; content: string }[]) =>
    parseEvent({
      type: 'ChasitorSessionData',
      message: chatMessages ? { chatMessages } : {},
    }) as EventOf<'ChasitorSessionData'>

  function awaiting(): SessionCursor {
    const cursor = baseCursor()
    cursor.handover = 'await-session-data'
    cursor.nextSequence = 1
    const { sequence, ...head } = cursor.pendingPosts[0]!
    cursor.pendingPosts[0] = { ...head, sequenceBeforeHandover: sequence! }
    return cursor
  }

  it('settles the uncertain message as delivered when the transcript shows it landed', () => {
    const next = awaiting()
    const transcript = [
      { type: 'Chasitor', content: 'first' },
      { type: 'Chasitor', content: 'second' },
      { type: 'Chasitor', content: 'where is my order?' },
    ]
    expect(applySessionData(next, sessionData(transcript))).toEqual([{ id: 'outbox:3', sequenceBeforeHandover: 4 }])
    expect(next.handover).toBe('resync')
    expect(next.pendingPosts.map((post) => post.id)).toEqual(['outbox:4'])
    expect(next.deliveredPostIds.at(-1)).toBe('outbox:3')
    expect(next.acceptedChatMessages).toBe(3)
  })

  it('resends it when the transcript does not show it, or when there is no transcript', () => {
    const missing = awaiting()
    const transcript = [
      { type: 'Chasitor', content: 'first' },
      { type: 'Chasitor', content: 'second' },
    ]
    expect(applySessionData(missing, sessionData(transcript))).toEqual([])
    expect(missing.pendingPosts[0]).toEqual({
      id: 'outbox:3',
      post: { kind: 'ChatMessage', text: 'where is my order?' },
    })

    const silentServer = awaiting()
    expect(applySessionData(silentServer, sessionData())).toEqual([])
    expect(silentServer.pendingPosts).toHaveLength(2)
    expect(silentServer.handover).toBe('resync')
  })

  it('after a restart, settles every uncertain message the transcript shows and resends only the rest', () => {
    // Both posts had numbers: their "delivered" record was deferred and lost in a crash before the 503.
    const next = awaiting()
    const second = next.pendingPosts[1]!
    next.pendingPosts[1] = { ...second, sequenceBeforeHandover: 5 }
    const transcript = [
      { type: 'Chasitor', content: 'first' },
      { type: 'Chasitor', content: 'second' },
      { type: 'Chasitor', content: 'where is my order?' },
      { type: 'Chasitor', content: 'hello?' },
    ]
    expect(applySessionData(next, sessionData(transcript))).toEqual([
      { id: 'outbox:3', sequenceBeforeHandover: 4 },
      { id: 'outbox:4', sequenceBeforeHandover: 5 },
    ])
    expect(next.pendingPosts).toEqual([])
    expect(next.acceptedChatMessages).toBe(4)

    const onlyFirst = awaiting()
    onlyFirst.pendingPosts[1] = { ...onlyFirst.pendingPosts[1]!, sequenceBeforeHandover: 5 }
    expect(applySessionData(onlyFirst, sessionData(transcript.slice(0, 3)))).toEqual([
      { id: 'outbox:3', sequenceBeforeHandover: 4 },
    ])
    expect(onlyFirst.pendingPosts).toEqual([{ id: 'outbox:4', post: { kind: 'ChatMessage', text: 'hello?' } }])
  })

  it('after a restart that lost the numbering, checks the unnumbered messages too: none resent if they landed', async () => {
    // The previous process numbered outbox:3 and outbox:4 as 4 and 5 and sent both, but those records were
    // deferred and died with it (kill -9): the stored cursor shows them queued, without sequences.
    const restored = baseCursor()
    restored.pendingPosts = restored.pendingPosts.map(({ id, post }) => ({ id, post }))
    restored.nextSequence = 4
    expect(mayHoldUnrecordedSends(restored)).toBe(true)
    const reconnectAfterRestart = async () => {
      const { host, handover } = setUp(new FakeClient())
      host.current = cloneCursor(restored)
      flagUnrecordedSends(host.current)
      await handover.begin('Messages')
      await handover.reconnect()
      return host.current
    }
    const transcript = [
      { type: 'Chasitor', content: 'first' },
      { type: 'Chasitor', content: 'second' },
      { type: 'Chasitor', content: 'where is my order?' },
      { type: 'Chasitor', content: 'hello?' },
    ]

    const landed = await reconnectAfterRestart()
    expect(landed.pendingPosts.map((post) => post.sequenceBeforeHandover)).toEqual([4, 5])
    expect(applySessionData(landed, sessionData(transcript))).toEqual([
      { id: 'outbox:3', sequenceBeforeHandover: 4 },
      { id: 'outbox:4', sequenceBeforeHandover: 5 },
    ])
    expect(landed.pendingPosts).toEqual([])

    // The server never had them: both stay queued, unmarked, and go out once under the new numbering.
    const missing = await reconnectAfterRestart()
    expect(applySessionData(missing, sessionData(transcript.slice(0, 2)))).toEqual([])
    expect(missing.pendingPosts).toEqual(restored.pendingPosts)
    expect(missing.nextSequence).toBe(1)
  })

  it('knows an unnumbered post of another kind, or a cursor stored mid hand-over, was complete when stored', async () => {
    const typingFirst = baseCursor()
    typingFirst.pendingPosts = [
      { id: 'typing', post: { kind: 'ChasitorTyping' } },
      ...typingFirst.pendingPosts.map(({ id, post }) => ({ id, post })),
    ]
    expect(mayHoldUnrecordedSends(typingFirst)).toBe(false)
    expect(mayHoldUnrecordedSends({ ...baseCursor(), handover: 'await-session-data' })).toBe(false)

    // Even with the flag, nothing behind a never-numbered post of another kind is marked, and the check ends.
    const endFirst = baseCursor()
    endFirst.pendingPosts = [
      { id: 'end', post: { kind: 'ChatEnd', reason: 'client' } },
      ...endFirst.pendingPosts.map(({ id, post }) => ({ id, post })),
    ]
    const { host, handover } = setUp(new FakeClient())
    host.current = { ...endFirst, unrecordedSends: true }
    await handover.begin('Messages')
    await handover.reconnect()
    expect(host.current.pendingPosts.every((post) => post.sequenceBeforeHandover === undefined)).toBe(true)
    expect(host.current.unrecordedSends).toBeUndefined()
    expect(host.current.nextSequenceBeforeHandover).toBeUndefined()
  })

  it('after a restart, marks messages re-offered late with the numbers they had, across a second 503', async () => {
    // The previous process sent outbox:3 and outbox:4 as 4 and 5; the records of their queuing died with it, and
    // the session queued a typing post of its own before the pump re-read the outbox.
    const restored = baseCursor()
    restored.pendingPosts = [{ id: 'typing', post: { kind: 'ChasitorTyping' }, sequence: 4 }]
    restored.nextSequence = 5
    flagUnrecordedSends(restored)
    const { host, handover } = setUp()
    host.current = restored
    await handover.begin('Messages')
    await handover.reconnect()
    expect(host.current).toMatchObject({ unrecordedSends: true, nextSequenceBeforeHandover: 5, nextSequence: 1 })
    await host.commit((next) => void queuePost(next, 'outbox:3', { kind: 'ChatMessage', text: 'where is my order?' }))
    // Another 503 before the transcript: the marks and the guess go on where they were.
    await handover.begin('Messages')
    await handover.reconnect()
    await host.commit((next) => void queuePost(next, 'outbox:4', { kind: 'ChatMessage', text: 'hello?' }))
    expect(host.current.pendingPosts.map((post) => [post.id, post.sequenceBeforeHandover])).toEqual([
      ['typing', undefined],
      ['outbox:3', 5],
      ['outbox:4', 6],
    ])
    const transcript = ['first', 'second', 'where is my order?'].map((content) => ({ type: 'Chasitor', content }))
    // The typing post leaves no line: the check goes past it.
    expect(applySessionData(host.current, sessionData(transcript))).toEqual([
      { id: 'outbox:3', sequenceBeforeHandover: 5 },
    ])
    expect(host.current.pendingPosts.map((post) => post.id)).toEqual(['typing', 'outbox:4'])
    expect(host.current.unrecordedSends).toBeUndefined()
    expect(host.current.nextSequenceBeforeHandover).toBeUndefined()
    expect(host.current.landedUnqueuedTexts).toBeUndefined()
  })

  it('keeps the lines past the checked ones for messages re-offered after the transcript, in order', async () => {
    const restored = baseCursor()
    restored.pendingPosts = []
    restored.nextSequence = 4
    flagUnrecordedSends(restored)
    const { host, handover } = setUp()
    host.current = restored
    await handover.begin('Messages')
    await handover.reconnect()
    const transcript = ['first', 'second', 'where is my order?', 'hello?'].map((content) => ({
      type: 'Chasitor',
      content,
    }))
    expect(applySessionData(host.current, sessionData(transcript))).toEqual([])
    expect(host.current.landedUnqueuedTexts).toEqual(['where is my order?', 'hello?'])
    const next = cloneCursor(host.current)
    expect(queuePost(next, 'outbox:3', { kind: 'ChatMessage', text: 'where is my order?' })).toBe('landed')
    expect(queuePost(next, 'outbox:4', { kind: 'ChatMessage', text: 'hello?' })).toBe('landed')
    expect(queuePost(next, 'outbox:5', { kind: 'ChatMessage', text: 'hello?' })).toBe('queued')
    expect(next.deliveredPostIds.slice(-2)).toEqual(['outbox:3', 'outbox:4'])
    expect(next.pendingPosts.map((post) => post.id)).toEqual(['outbox:5'])
    expect(next.landedUnqueuedTexts).toBeUndefined()

    // A re-offer with another text: those lines were not what they seemed; it is queued, and so is the rest.
    const other = cloneCursor(host.current)
    expect(queuePost(other, 'outbox:3', { kind: 'ChatMessage', text: 'something else' })).toBe('queued')
    expect(queuePost(other, 'outbox:4', { kind: 'ChatMessage', text: 'hello?' })).toBe('queued')
    expect(other.landedUnqueuedTexts).toBeUndefined()
  })

  it('without a restart, keeps no lines past the checked ones and marks nothing late', async () => {
    const { host, handover } = setUp()
    await handover.begin('Messages')
    await handover.reconnect()
    expect(host.current.nextSequenceBeforeHandover).toBeUndefined()
    await host.commit((next) => void queuePost(next, 'outbox:5', { kind: 'ChatMessage', text: 'late' }))
    expect(host.current.pendingPosts.at(-1)).toEqual({ id: 'outbox:5', post: { kind: 'ChatMessage', text: 'late' } })
    const transcript = ['first', 'second', 'where is my order?', 'extra'].map((content) => ({
      type: 'Chasitor',
      content,
    }))
    applySessionData(host.current, sessionData(transcript))
    expect(host.current.landedUnqueuedTexts).toBeUndefined()
  })

  it('changes nothing when no hand-over awaits it', () => {
    const next = baseCursor()
    expect(applySessionData(next, sessionData([]))).toEqual([])
    expect(next).toEqual(baseCursor())
  })
})
