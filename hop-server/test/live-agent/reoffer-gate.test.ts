// After a restart, a message whose queuing record a kill -9 lost is not in the stored cursor: the pump re-offers it
// only when it re-reads the visitor outbox. The previous process had sent it under the cursor's next number; resent
// under that number, Live Agent drops it as a repeat. A typing post numbered first would take that number (ignored
// as a repeat) and push the message to the next one, which Live Agent accepts again: the agent would read it twice.
// Against the real mock server: typing arrives before the re-offer, and the message must reach the agent once.
import { describe, expect, it } from '@jest/globals'
import {
  openChat,
  serializeCursor,
  type LiveAgentLogger,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'
import { INIT, RecordingStore, visitorLines, waitUntil, useMockSessions } from './helpers.js'

const rig = useMockSessions()

/** Records warnings, to check the session says why it let a hint go without the re-offer signal. */
function recordingLogger(): LiveAgentLogger & { warnings: string[] } {
  const warnings: string[] = []
  const noop = (): void => {}
  return { debug: noop, info: noop, error: noop, warn: (_obj, msg) => warnings.push(msg ?? ''), warnings }
}

const { session } = rig

/**
 * A chat with `v1` delivered; the previous process then sends `v2` and dies before recording it. Returns the cursor
 * stored before `v2` was queued, which is all a kill -9 leaves when the records of `v2` were deferred.
 */
async function previousProcessSentV2(): Promise<{ id: string; stored: SessionCursor; v2Sequence: number }> {
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
  const v2 = await first.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
  if (v2.status !== 'delivered') throw new Error(`v2 was not delivered: ${v2.status}`)
  await first.stop()
  await run
  expect(visitorLines(rig.mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(['v1', 'v2'])
  expect(stored.pendingPosts).toEqual([])
  expect(stored.nextSequence).toBe(v2.sequence)
  return { id: cursor.id, stored, v2Sequence: v2.sequence }
}

describe('typing after a restart that may have lost queuing records', () => {
  it('waits until the stored messages are re-offered, so the re-offered message keeps its number: the agent sees it once', async () => {
    const { id, stored, v2Sequence } = await previousProcessSentV2()
    const revived = session(stored, new RecordingStore(stored))
    const run = revived.run()

    // The typing hint arrives before the pump has re-read the outbox.
    const typing = revived.enqueue({ kind: 'ChasitorTyping' })
    const notTyping = revived.enqueue({ kind: 'ChasitorNotTyping' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(rig.mock.admin.chat(id)?.visitorTyping).toBe(false)

    // The pump re-offers v2, then says the outbox pass is done.
    const v2 = revived.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
    revived.storedPostsOffered()

    await expect(v2).resolves.toEqual({ status: 'delivered', id: 'v2', sequence: v2Sequence })
    // Only the latest hint goes out, after v2; the one it replaced shares its outcome.
    const latest = await notTyping
    expect(latest).toMatchObject({ status: 'delivered', sequence: v2Sequence + 1 })
    await expect(typing).resolves.toMatchObject({ status: 'delivered', sequence: v2Sequence + 1 })
    expect(visitorLines(rig.mock.admin.chat(id)?.transcript ?? [])).toEqual(['v1', 'v2'])
    await revived.stop()
    await run
  })

  it('lets a held hint go after the bounded wait when the re-offer is never signalled, and says why', async () => {
    const { id, stored, v2Sequence } = await previousProcessSentV2()
    const logger = recordingLogger()
    const revived = session(stored, new RecordingStore(stored), { logger, reofferWaitMs: 50 })
    const run = revived.run()

    await expect(revived.enqueue({ kind: 'ChasitorTyping' })).resolves.toMatchObject({
      status: 'delivered',
      sequence: v2Sequence,
    })
    // It went out under the number v2 had (Live Agent took it as a repeat): the hazard the wait bounds, logged.
    expect(rig.mock.admin.chat(id)?.sequences.at(-1)).toBe(v2Sequence)
    expect(logger.warnings.some((line) => line.includes('not signalled in time'))).toBe(true)
    await revived.stop()
    await run
  })

  it('does not hold hints in a chat whose cursor records everything it sent', async () => {
    const cursor = await openChat(rig.client, INIT)
    const store = new RecordingStore(cursor)
    const fresh = session(cursor, store, { reofferWaitMs: 60_000 })
    const run = fresh.run()
    await rig.mock.admin.waitForChat((c) => c.id === cursor.id && c.acks.length > 0)
    rig.mock.admin.accept(cursor.id, { agentName: 'Andy' })
    await waitUntil(() => store.latest.established, 'ChatEstablished')

    await expect(fresh.enqueue({ kind: 'ChasitorTyping' })).resolves.toMatchObject({ status: 'delivered' })
    expect(rig.mock.admin.chat(cursor.id)?.visitorTyping).toBe(true)
    await fresh.stop()
    await run
  })

  it('answers a held hint when the session stops before the re-offer', async () => {
    const { stored } = await previousProcessSentV2()
    const revived = session(stored, new RecordingStore(stored), { reofferWaitMs: 60_000 })
    const run = revived.run()
    const typing = revived.enqueue({ kind: 'ChasitorTyping' }, { id: 'typing-1' })
    await revived.stop()
    await expect(typing).resolves.toEqual({ status: 'interrupted', id: 'typing-1', queued: false })
    await run
  })
})
