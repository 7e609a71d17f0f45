// ChatSession recovery paths against the real mock: 503 hand-over, sequence 409, resets and 5xx on POSTs,
// and resuming from a persisted cursor (the crash-safety contract the hop server builds on).
import { describe, expect, it } from '@jest/globals'
import type { MockServer } from '@liveagent-hop/mock-server'
import {
  ChatSession,
  LiveAgentClient,
  cloneCursor,
  openChat,
  serializeCursor,
  type PostOutcome,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'
import { FAST, INIT, RecordingStore, visitorLines, waitUntil, useMockSessions } from './helpers.js'

const rig = useMockSessions()

const { session } = rig

/** A running session whose agent has joined. */
async function established(): Promise<{ chat: ChatSession; store: RecordingStore; id: string; run: Promise<unknown> }> {
  const cursor = await openChat(rig.client, INIT)
  const store = new RecordingStore(cursor)
  const chat = session(cursor, store)
  const run = chat.run()
  await rig.mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
  rig.mock.admin.accept(cursor.id, { agentName: 'Andy' })
  await waitUntil(() => store.latest.established, 'ChatEstablished')
  return { chat, store, id: cursor.id, run }
}

function transcriptOf(id: string): { visitor: string[]; chat: ReturnType<MockServer['admin']['chat']> } {
  const chat = rig.mock.admin.chat(id)
  return { visitor: visitorLines(chat?.transcript ?? []), chat }
}

/**
 * Runs a session that delivers `earlier` (ids earlier-1…), then POSTs `text` as post-1, capturing the cursor
 * persisted right before that request: resuming from it is a restart after kill -9 with the post in flight.
 * dropFirstEarlier: the server answers the first earlier message 200 but loses it (the mock's 'drop' fault).
 * after-send: the server applied the post but its answer is lost; before-send: the request never left.
 */
async function sendAndCaptureInFlight(
  text: string,
  crash: 'after-send' | 'before-send',
  earlier: string[] = [],
  { dropFirstEarlier = false } = {}
): Promise<{ inFlight: SessionCursor; id: string }> {
  const { chat, store, id, run } = await established()
  // the mock answers the next ChatMessage 200 and forgets it, as Salesforce does with messages sent too fast
  if (dropFirstEarlier) rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'drop', sessionId: id })
  for (const [index, line] of earlier.entries()) {
    await expect(
      chat.enqueue({ kind: 'ChatMessage', text: line }, { id: `earlier-${index + 1}` })
    ).resolves.toMatchObject({ status: 'delivered' })
  }
  let inFlight: SessionCursor | undefined
  store.onCursorHook = (cursor) => {
    const head = cursor.pendingPosts[0]
    if (!inFlight && head?.id === 'post-1' && head.sequence !== undefined) {
      inFlight = cloneCursor(cursor)
      if (crash === 'before-send') throw new Error('kill -9 before the request left')
    }
  }
  const outcome = await chat.enqueue({ kind: 'ChatMessage', text }, { id: 'post-1' })
  expect(outcome.status).toBe(crash === 'after-send' ? 'delivered' : 'interrupted')
  await chat.stop()
  await run
  if (!inFlight) throw new Error('no in-flight cursor was persisted')
  return { inFlight: JSON.parse(serializeCursor(inFlight)) as SessionCursor, id }
}

/**
 * Restarts from `inFlight` with a hand-over armed: the first request of the new process gets the 503, so the
 * sequence restarts at 1 before the in-flight post can be resent under its old number. Re-offers post-1 (as
 * the caller's outbox does) and then a follow-up; returns their outcomes.
 */
async function resumeThroughHandover(
  inFlight: SessionCursor,
  id: string,
  text: string
): Promise<{ first: PostOutcome; next: PostOutcome; store: RecordingStore }> {
  rig.mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: id })
  const store = new RecordingStore(inFlight)
  const resumed = session(inFlight, store)
  const run = resumed.run()
  const first = await resumed.enqueue({ kind: 'ChatMessage', text }, { id: 'post-1' })
  const next = await resumed.enqueue({ kind: 'ChatMessage', text: 'and then' }, { id: 'post-2' })
  await resumed.stop()
  await run
  expect(store.types()).toContain('ChasitorSessionData')
  expect(rig.mock.admin.stats().requests.ReconnectSession).toBe(1)
  return { first, next, store }
}

describe('503 hand-over', () => {
  it('mid-conversation, with messages flowing both ways: nothing lost, nothing repeated', async () => {
    const { chat, store, id, run } = await established()
    await chat.enqueue({ kind: 'ChatMessage', text: 'v1' })
    rig.mock.admin.agentMessage(id, 'a1')
    await waitUntil(() => store.agentTexts().includes('a1'), 'a1')
    const affinityBefore = store.latest.affinityToken

    // the next request of this session (the poll) hits the hand-over; while it is pending both sides keep talking
    rig.mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: id })
    await rig.mock.admin.waitForChat((c) => c.id === id && c.handoverPending)
    rig.mock.admin.agentMessage(id, 'a2')
    const during = [
      chat.enqueue({ kind: 'ChatMessage', text: 'v2' }),
      chat.enqueue({ kind: 'ChatMessage', text: 'v3' }),
    ]
    rig.mock.admin.agentMessage(id, 'a3')
    expect((await Promise.all(during)).map((o) => o.status)).toEqual(['delivered', 'delivered'])
    await chat.enqueue({ kind: 'ChatMessage', text: 'v4' })
    rig.mock.admin.agentMessage(id, 'a4')
    await waitUntil(() => store.agentTexts().includes('a4'), 'a4')
    await chat.stop()
    await run

    const { visitor, chat: view } = transcriptOf(id)
    expect(visitor).toEqual(['v1', 'v2', 'v3', 'v4'])
    expect(store.agentTexts()).toEqual(['a1', 'a2', 'a3', 'a4'])
    expect(store.types()).toContain('ChasitorSessionData')
    expect(store.latest.affinityToken).not.toBe(affinityBefore)
    expect(store.latest.handover).toBeUndefined()
    // the sequence restarted at 1 after ReconnectSession
    expect(view?.sequences).toEqual([1, 2, 1, 2, 3])
    expect(rig.mock.admin.stats().requests.ReconnectSession).toBe(1)
    expect(rig.mock.admin.stats().requests.ChasitorResyncState).toBe(1)
    expect(rig.mock.admin.stats().violations).toEqual([])
    expect(rig.mock.admin.stats().conflicts409).toBe(0)
  })

  it('when the 503 answers a ChatMessage: the message is buffered and resent after the resync', async () => {
    const { chat, store, id, run } = await established()
    rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'handover', sessionId: id })
    await expect(chat.enqueue({ kind: 'ChatMessage', text: 'through the hand-over' })).resolves.toMatchObject({
      status: 'delivered',
      sequence: 1,
    })
    rig.mock.admin.agentMessage(id, 'got it')
    await waitUntil(() => store.agentTexts().includes('got it'), 'the answer')
    await chat.stop()
    await run
    expect(transcriptOf(id).visitor).toEqual(['through the hand-over'])
    expect(rig.mock.admin.stats().violations).toEqual([])
    expect(rig.mock.admin.stats().conflicts409).toBe(0)
  })

  it('the agent ends the chat while the hand-over is under way: its last message and the end still arrive', async () => {
    const { store, id, run } = await established()
    // between the 503 and ReconnectSession, the agent says goodbye and ends the chat
    store.onCursorHook = (cursor) => {
      if (cursor.handover === 'reconnect' && rig.mock.admin.chat(id)?.state === 'active') {
        rig.mock.admin.agentMessage(id, 'goodbye')
        rig.mock.admin.endChat(id)
      }
    }
    rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
    await expect(run).resolves.toMatchObject({ kind: 'over', reason: 'agent-ended' })
    expect(store.agentTexts()).toEqual(['goodbye'])
    expect(rig.mock.admin.stats().requests.ReconnectSession).toBe(1)
    expect(rig.mock.admin.stats().violations).toEqual([])
  })

  it('a restart in the middle of a hand-over continues from the recorded stage', async () => {
    const { store, id, run } = await established()
    // persist everything, but "crash" as soon as the hand-over is recorded
    let crashedAt: SessionCursor | undefined
    store.onCursorHook = (cursor) => {
      if (cursor.handover === 'reconnect' && !crashedAt) {
        crashedAt = cloneCursor(cursor)
        throw new Error('kill -9')
      }
    }
    rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
    await expect(run).resolves.toMatchObject({ kind: 'failed', error: { kind: 'hook-failed' } })
    expect(crashedAt?.handover).toBe('reconnect')

    const revived = new RecordingStore()
    const next = session(JSON.parse(serializeCursor(crashedAt!)) as SessionCursor, revived)
    const nextRun = next.run()
    await expect(next.enqueue({ kind: 'ChatMessage', text: 'after the restart' })).resolves.toMatchObject({
      status: 'delivered',
    })
    await waitUntil(() => revived.latest.handover === undefined, 'the resync')
    await next.stop()
    await nextRun
    expect(transcriptOf(id).visitor).toEqual(['after the restart'])
    expect(rig.mock.admin.stats().violations).toEqual([])
  })
})

describe('sequence 409 ("Out of sync")', () => {
  it('resends with Actual + 1 and delivers once', async () => {
    const { chat, id, run } = await established()
    await chat.enqueue({ kind: 'ChatMessage', text: 'one' })
    const cursor = await chat.stop()
    await run
    // a cursor whose sequence ran ahead of the server (e.g. restored from a stale copy)
    const ahead = { ...cursor, nextSequence: cursor.nextSequence + 5 }
    const resumedStore = new RecordingStore(ahead)
    const resumed = session(ahead, resumedStore)
    const resumedRun = resumed.run()
    await expect(resumed.enqueue({ kind: 'ChatMessage', text: 'two' })).resolves.toEqual(
      expect.objectContaining({ status: 'delivered', sequence: 3 })
    )
    await expect(resumed.enqueue({ kind: 'ChatMessage', text: 'three' })).resolves.toMatchObject({ sequence: 4 })
    await resumed.stop()
    await resumedRun
    expect(transcriptOf(id).visitor).toEqual(['one', 'two', 'three'])
    expect(resumedStore.latest.nextSequence).toBe(5)
    // exactly the one 409 we provoked, and nothing else
    expect(rig.mock.admin.stats().conflicts409).toBe(1)
    expect(rig.mock.admin.stats().violations.map((v) => v.rule)).toEqual(['sequence-gap'])
  })

  it('gives up with out-of-sync after the allowed recoveries', async () => {
    const { chat, run } = await established()
    const stopped = await chat.stop()
    await run
    const ahead = { ...stopped, nextSequence: 50 }
    const strict = new ChatSession({
      client: rig.client,
      cursor: ahead,
      hooks: new RecordingStore(),
      ...FAST,
      maxOutOfSyncRecoveries: 0,
    })
    rig.track(strict)
    const strictRun = strict.run()
    await expect(strict.enqueue({ kind: 'ChatMessage', text: 'x' })).resolves.toMatchObject({
      status: 'interrupted',
      queued: true,
    })
    await expect(strictRun).resolves.toMatchObject({ kind: 'failed', error: { kind: 'out-of-sync', status: 409 } })
  })
})

describe('transport failures on POSTs', () => {
  it('a reset connection and a 500 are retried with the same sequence: delivered once', async () => {
    const { chat, id, run } = await established()
    rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'reset', sessionId: id })
    rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'error500', sessionId: id })
    await expect(chat.enqueue({ kind: 'ChatMessage', text: 'persistent' })).resolves.toMatchObject({
      status: 'delivered',
      sequence: 2,
    })
    await chat.enqueue({ kind: 'ChatMessage', text: 'next' })
    await chat.stop()
    await run
    expect(rig.mock.admin.stats().requests.ChatMessage).toBe(4)
    expect(transcriptOf(id).visitor).toEqual(['persistent', 'next'])
    expect(rig.mock.admin.stats().violations).toEqual([])
  })

  it('a slow POST answered after its timeout is resent with the same number and applied once', async () => {
    const cursor = await openChat(rig.client, INIT)
    const store = new RecordingStore(cursor)
    const impatient = new LiveAgentClient({ endpoint: `${rig.mock.url}/chat`, timeouts: { post: 150 } })
    try {
      const chat = new ChatSession({ client: impatient, cursor, hooks: store, ...FAST })
      rig.track(chat)
      const run = chat.run()
      await rig.mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
      rig.mock.admin.accept(cursor.id)
      await waitUntil(() => store.latest.established, 'ChatEstablished')
      // the server applies the message after 400 ms, but the client gave up at 150 ms and sent it again
      rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'delay', delayMs: 400, sessionId: cursor.id })
      await expect(chat.enqueue({ kind: 'ChatMessage', text: 'slow' })).resolves.toMatchObject({ status: 'delivered' })
      await rig.mock.admin.waitForChat((c) => c.id === cursor.id && c.sequences.length >= 3)
      await chat.stop()
      await run
      expect(transcriptOf(cursor.id).visitor).toEqual(['slow'])
      expect(rig.mock.admin.chat(cursor.id)?.sequences).toEqual([1, 2, 2])
    } finally {
      impatient.close()
    }
  })
})

describe('resume from a persisted cursor (crash safety)', () => {
  it('the request reached the server before the crash: resent with the same sequence, delivered once', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('exactly once', 'after-send')
    expect(inFlight.pendingPosts[0]).toMatchObject({ id: 'post-1', sequence: 2 })
    expect(transcriptOf(id).visitor).toEqual(['exactly once'])

    const store = new RecordingStore(inFlight)
    const resumed = session(inFlight, store)
    const run = resumed.run()
    // the caller re-offers what its outbox has not seen delivered: the same id joins the pending post
    await expect(resumed.enqueue({ kind: 'ChatMessage', text: 'exactly once' }, { id: 'post-1' })).resolves.toEqual({
      status: 'delivered',
      id: 'post-1',
      sequence: 2,
    })
    await expect(resumed.enqueue({ kind: 'ChatMessage', text: 'and then' }, { id: 'post-2' })).resolves.toMatchObject({
      sequence: 3,
    })
    await resumed.stop()
    await run
    const { visitor, chat } = transcriptOf(id)
    expect(visitor).toEqual(['exactly once', 'and then'])
    expect(chat?.sequences).toEqual([1, 2, 2, 3])
    expect(rig.mock.admin.stats().violations).toEqual([])
    expect(rig.mock.admin.stats().conflicts409).toBe(0)
  })

  it('the crash came before the request left: the resumed session sends it, once', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('sent after restart', 'before-send')
    expect(transcriptOf(id).visitor).toEqual([])
    const resumed = session(inFlight, new RecordingStore(inFlight))
    const run = resumed.run()
    await expect(
      resumed.enqueue({ kind: 'ChatMessage', text: 'sent after restart' }, { id: 'post-1' })
    ).resolves.toMatchObject({
      status: 'delivered',
      sequence: 2,
    })
    await resumed.stop()
    await run
    expect(transcriptOf(id).visitor).toEqual(['sent after restart'])
    expect(rig.mock.admin.stats().violations).toEqual([])
  })

  it('a post already delivered and recorded is recognised when re-offered after a restart', async () => {
    const { chat, store, id, run } = await established()
    await chat.enqueue({ kind: 'ChatMessage', text: 'done' }, { id: 'outbox-7' })
    await chat.stop()
    await run
    const resumed = session(store.latest, new RecordingStore())
    const resumedRun = resumed.run()
    await expect(resumed.enqueue({ kind: 'ChatMessage', text: 'done' }, { id: 'outbox-7' })).resolves.toEqual({
      status: 'duplicate',
      id: 'outbox-7',
    })
    await resumed.stop()
    await resumedRun
    expect(transcriptOf(id).visitor).toEqual(['done'])
  })

  it('agent events persisted before the crash are not delivered again; the rest arrive once', async () => {
    const { chat, store, id, run } = await established()
    rig.mock.admin.agentMessage(id, 'before')
    await waitUntil(() => store.agentTexts().includes('before'), 'before')
    const persisted = store.latest
    await chat.stop()
    await run
    rig.mock.admin.agentMessage(id, 'while down')
    const revived = new RecordingStore()
    const resumed = session(persisted, revived)
    const resumedRun = resumed.run()
    await waitUntil(() => revived.agentTexts().includes('while down'), 'while down')
    rig.mock.admin.agentMessage(id, 'after')
    await waitUntil(() => revived.agentTexts().includes('after'), 'after')
    await resumed.stop()
    await resumedRun
    expect([...store.agentTexts(), ...revived.agentTexts()]).toEqual(['before', 'while down', 'after'])
    expect(rig.mock.admin.stats().conflicts409).toBe(0)
  })
})

describe('crash with a ChatMessage in flight, then a hand-over before the resend (the sequence restarts)', () => {
  it('the server had applied it: the transcript shows it, so it counts as delivered and is not sent again', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('hello once', 'after-send')
    expect(transcriptOf(id).visitor).toEqual(['hello once'])
    const { first, next, store } = await resumeThroughHandover(inFlight, id, 'hello once')
    expect(first).toEqual({ status: 'delivered', id: 'post-1', sequence: 2 })
    // the numbering restarted and the landed message did not use a number
    expect(next).toMatchObject({ status: 'delivered', sequence: 1 })
    expect(transcriptOf(id).visitor).toEqual(['hello once', 'and then'])
    expect(store.latest.deliveredPostIds).toEqual(expect.arrayContaining(['post-1', 'post-2']))
    expect(store.latest).toMatchObject({ acceptedChatMessages: 2, lastChatMessageText: 'and then' })
    expect(rig.mock.admin.stats().violations).toEqual([])
  })

  it('the request never left: the transcript lacks it, so it is resent once under the new numbering', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('not lost', 'before-send')
    expect(transcriptOf(id).visitor).toEqual([])
    const { first, next } = await resumeThroughHandover(inFlight, id, 'not lost')
    expect(first).toEqual({ status: 'delivered', id: 'post-1', sequence: 1 })
    expect(next).toMatchObject({ status: 'delivered', sequence: 2 })
    expect(transcriptOf(id).visitor).toEqual(['not lost', 'and then'])
    expect(rig.mock.admin.stats().violations).toEqual([])
  })

  it('two identical texts in a row, the second applied: the count tells it from the first; not repeated', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('ok', 'after-send', ['ok'])
    expect(transcriptOf(id).visitor).toEqual(['ok', 'ok'])
    const { first } = await resumeThroughHandover(inFlight, id, 'ok')
    expect(first).toEqual({ status: 'delivered', id: 'post-1', sequence: 3 })
    expect(transcriptOf(id).visitor).toEqual(['ok', 'ok', 'and then'])
  })

  it('two identical texts in a row, the second never sent: the first one in the transcript is not taken for it', async () => {
    const { inFlight, id } = await sendAndCaptureInFlight('ok', 'before-send', ['ok'])
    expect(transcriptOf(id).visitor).toEqual(['ok'])
    const { first } = await resumeThroughHandover(inFlight, id, 'ok')
    expect(first).toEqual({ status: 'delivered', id: 'post-1', sequence: 1 })
    expect(transcriptOf(id).visitor).toEqual(['ok', 'ok', 'and then'])
  })

  it('an earlier message the server answered 200 but lost (drop) does not turn the landed one into a resend', async () => {
    // the server's count of visitor lines falls one behind ours
    const { inFlight, id } = await sendAndCaptureInFlight('kept once', 'after-send', ['lost by the server'], {
      dropFirstEarlier: true,
    })
    expect(transcriptOf(id).visitor).toEqual(['kept once'])
    const { first } = await resumeThroughHandover(inFlight, id, 'kept once')
    expect(first).toMatchObject({ status: 'delivered', id: 'post-1' })
    expect(transcriptOf(id).visitor).toEqual(['kept once', 'and then'])
  })
})
