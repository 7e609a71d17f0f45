// A message whose queuing record was lost in a kill -9 (the hop server defers it, conversation.ts isDeferrable) is not
// in the stored cursor at all: the pump re-offers it from the outbox only when it re-reads the outbox after the
// restart. When a 503 hand-over restarts the numbering before that re-offer, the message can no longer be resent
// under its old number; the hand-over's transcript (ChasitorSessionData) must decide. Against the real mock server:
// the previous process sends `v2` and dies before recording it, the next process resumes the older cursor, meets a
// 503 on its first poll, and the outbox re-offers `v2` either while the hand-over awaits its transcript or after it.
// `v2` must reach the agent exactly once, whether the previous process had sent it or not.
import { describe, expect, it } from '@jest/globals'
import { openChat, serializeCursor, type SessionCursor } from '../../src/backends/live-agent/index.js'
import { INIT, RecordingStore, visitorLines, waitUntil, useMockSessions } from './helpers.js'

const rig = useMockSessions()

const { session } = rig

/** When the outbox re-offers the message, relative to the hand-over of the next process. */
type ReOffer = 'awaiting-transcript' | 'after-transcript'

/**
 * A chat with `v1` delivered; the previous process then sends `v2` (or not) and dies. Returns the cursor stored
 * before `v2` was queued, which is all a kill -9 leaves when the records of `v2` were deferred.
 */
async function previousProcess(sentV2: boolean): Promise<{ id: string; stored: SessionCursor }> {
  const cursor = await openChat(rig.client, INIT)
  const store = new RecordingStore(cursor)
  const first = session(cursor, store)
  const run = first.run()
  await rig.mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
  rig.mock.admin.accept(cursor.id, { agentName: 'Andy' })
  await waitUntil(() => store.latest.established, 'ChatEstablished')
  await expect(first.enqueue({ kind: 'ChatMessage', text: 'v1' }, { id: 'v1' })).resolves.toMatchObject({
    status: 'delivered',
  })
  const stored = JSON.parse(serializeCursor(store.latest)) as SessionCursor
  if (sentV2) {
    await expect(first.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })).resolves.toMatchObject({
      status: 'delivered',
    })
  }
  await first.stop()
  await run
  expect(visitorLines(rig.mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(sentV2 ? ['v1', 'v2'] : ['v1'])
  return { id: cursor.id, stored }
}

async function runCase(reOffer: ReOffer, sentV2: boolean): Promise<void> {
  const { id, stored } = await previousProcess(sentV2)
  expect(stored.pendingPosts).toEqual([])

  // The next process: its first poll meets the 503 before the outbox is re-read.
  rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
  const revived = new RecordingStore(stored)
  let releaseReset: (() => void) | undefined
  const resetStored = new Promise<void>((resolve) => {
    revived.onCursorHook = async (cursor) => {
      if (reOffer !== 'awaiting-transcript' || cursor.handover !== 'await-session-data' || releaseReset) return
      // Hold the write of the reset: the re-offer below queues right behind it, before any transcript can come.
      await new Promise<void>((release) => {
        releaseReset = release
        resolve()
      })
    }
  })
  const next = session(stored, revived)
  const nextRun = next.run()
  let v2: Promise<unknown>
  if (reOffer === 'awaiting-transcript') {
    await resetStored
    v2 = next.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
    releaseReset!()
  } else {
    await waitUntil(() => revived.types().includes('ChasitorSessionData') && !revived.latest.handover, 'the hand-over')
    v2 = next.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
  }
  // Checked with the transcript it leaves the queue as delivered; matched after it, as a duplicate of a sent one.
  const landedLate = sentV2 && reOffer === 'after-transcript'
  await expect(v2).resolves.toMatchObject({ status: landedLate ? 'duplicate' : 'delivered' })
  await expect(next.enqueue({ kind: 'ChatMessage', text: 'v3' }, { id: 'v3' })).resolves.toMatchObject({
    status: 'delivered',
  })
  await next.stop()
  await nextRun

  const chat = rig.mock.admin.chat(id)
  expect(visitorLines(chat?.transcript ?? [])).toEqual(['v1', 'v2', 'v3'])
  expect(rig.mock.admin.stats().requests['ReconnectSession']).toBe(1)
  expect(rig.mock.admin.stats().conflicts409).toBe(0)
  expect(rig.mock.admin.stats().violations).toEqual([])
  // The check is over: nothing of it is left on the cursor.
  const last = revived.latest
  expect(last.unrecordedSends).toBeUndefined()
  expect(last.nextSequenceBeforeHandover).toBeUndefined()
  expect(last.landedUnqueuedTexts).toBeUndefined()
}

/**
 * The next process dies too, right after storing the first step of its hand-over: the process after it resumes a
 * cursor stored mid hand-over, which is complete only if the process that stored it had not itself resumed with
 * unrecorded sends. The outbox re-offers `v2` once that process's hand-over is over.
 */
async function runTwoRestarts(sentV2: boolean): Promise<void> {
  const { id, stored } = await previousProcess(sentV2)
  rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
  const second = new RecordingStore(stored)
  let midHandover: SessionCursor | undefined
  second.onCursorHook = (cursor) => {
    if (cursor.handover !== 'reconnect') return
    midHandover = JSON.parse(serializeCursor(cursor)) as SessionCursor
    throw new Error('kill -9 right after this write')
  }
  await expect(session(stored, second).run()).resolves.toMatchObject({ kind: 'failed', error: { kind: 'hook-failed' } })
  expect(midHandover).toMatchObject({ handover: 'reconnect', unrecordedSends: true })

  const third = new RecordingStore(midHandover)
  const last = session(midHandover!, third)
  const lastRun = last.run()
  await waitUntil(() => third.types().includes('ChasitorSessionData') && !third.latest.handover, 'the hand-over')
  await expect(last.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })).resolves.toMatchObject({
    status: sentV2 ? 'duplicate' : 'delivered',
  })
  await expect(last.enqueue({ kind: 'ChatMessage', text: 'v3' }, { id: 'v3' })).resolves.toMatchObject({
    status: 'delivered',
  })
  await last.stop()
  await lastRun
  expect(visitorLines(rig.mock.admin.chat(id)?.transcript ?? [])).toEqual(['v1', 'v2', 'v3'])
  expect(rig.mock.admin.stats().conflicts409).toBe(0)
  expect(rig.mock.admin.stats().violations).toEqual([])
}

describe.each<ReOffer>(['awaiting-transcript', 'after-transcript'])(
  'a message re-offered only after a restart, behind a 503 hand-over (%s)',
  (reOffer) => {
    it('is not resent when the previous process had sent it', () => runCase(reOffer, true))
    it('is sent once when the previous process had not', () => runCase(reOffer, false))
  }
)

describe('a restart in the middle of a hand-over begun after a restart', () => {
  it('still checks a late re-offer the first process had sent: not resent', () => runTwoRestarts(true))
  it('still sends once a late re-offer the first process had not sent', () => runTwoRestarts(false))
})
