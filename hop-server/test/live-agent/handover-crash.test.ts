// kill -9 at every step of a 503 hand-over (§ "Persisting and resuming" in the README): the store refuses the
// write at a chosen step, exactly as a process killed before (or right after) that write would leave it, and a
// new ChatSession resumes from what was stored. Each case is one state a kill can leave the hand-over in; each
// runs three ways: the 503 answers a poll with no post around, the 503 answers a ChatMessage (which the server
// did not apply), and a ChatMessage the server applied is in flight when the poll gets the 503.
// Every visitor message must reach the agent once, in order; every agent message must be stored once, in order.
import { describe, expect, it } from '@jest/globals'
import {
  cloneCursor,
  openChat,
  serializeCursor,
  type LiveAgentEvent,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'
import { INIT, RecordingStore, visitorLines, waitUntil, useMockSessions } from './helpers.js'

/** How the hand-over meets the visitor's message `v2`. */
type Via = 'poll' | 'post-503' | 'post-applied'

/** Where the write fails, and whether the process died just before it (`before`) or just after it (`after`). */
interface CrashPoint {
  name: string
  /** The write the kill interrupts. */
  at(write: {
    kind: 'cursor' | 'batch'
    cursor: SessionCursor
    events?: LiveAgentEvent[]
    previous: SessionCursor
  }): boolean
  /** before: the write was lost; after: it was stored, then the process died before doing anything else. */
  stored: 'before' | 'after'
  /** ReconnectSession had reached the server when the process died. */
  reconnected: boolean
  /** Only meaningful when the visitor message waits behind the hand-over (the 503 answered it). */
  onlyVia?: Via
}

const isStage = (stage: SessionCursor['handover']) => (w: { kind: string; cursor: SessionCursor }) =>
  w.kind === 'cursor' && w.cursor.handover === stage
const sessionDataIn = (w: { kind: string; events?: LiveAgentEvent[] }) =>
  w.kind === 'batch' && (w.events ?? []).some((e) => e.type === 'ChasitorSessionData')
const resynced = (w: { kind: string; cursor: SessionCursor; previous: SessionCursor }) =>
  w.kind === 'cursor' && w.previous.handover === 'resync' && w.cursor.handover === undefined

const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'the 503 came, the hand-over is not stored yet',
    at: isStage('reconnect'),
    stored: 'before',
    reconnected: false,
  },
  {
    name: 'the hand-over is stored, ReconnectSession not sent',
    at: isStage('reconnect'),
    stored: 'after',
    reconnected: false,
  },
  {
    name: 'ReconnectSession was answered, the new token is not stored',
    at: isStage('await-session-data'),
    stored: 'before',
    reconnected: true,
  },
  {
    name: 'the new token is stored, ChasitorSessionData not polled yet',
    at: isStage('await-session-data'),
    stored: 'after',
    reconnected: true,
  },
  {
    name: 'ChasitorSessionData arrived, its batch is not stored',
    at: sessionDataIn,
    stored: 'before',
    reconnected: true,
  },
  {
    name: 'ChasitorSessionData is stored, ChasitorResyncState not sent',
    at: sessionDataIn,
    stored: 'after',
    reconnected: true,
  },
  {
    name: 'ChasitorResyncState was answered, the end of the hand-over is not stored',
    at: resynced,
    stored: 'before',
    reconnected: true,
  },
  {
    name: 'the hand-over is over and stored, the buffered message was resent and its answer not stored',
    at: (w) => w.kind === 'cursor' && w.cursor.handover === undefined && w.cursor.deliveredPostIds.includes('v2'),
    stored: 'before',
    reconnected: true,
    onlyVia: 'post-503',
  },
]

const VIAS: Via[] = ['poll', 'post-503', 'post-applied']
/** The mock holds ChatMessage `v2` this long before applying it (case post-applied). */
const APPLY_DELAY_MS = 400

const rig = useMockSessions()

const { session } = rig

/** A crashing store: the write matching `point` throws (the kill); returns the cursor the next process finds. */
function crashAt(store: RecordingStore, point: CrashPoint): { stored: () => SessionCursor | undefined } {
  let found: SessionCursor | undefined
  const check = (kind: 'cursor' | 'batch', cursor: SessionCursor, events?: LiveAgentEvent[]): void => {
    if (found) throw new Error('kill -9 (already dead)')
    const previous = store.latest
    if (!point.at({ kind, cursor, previous, ...(events ? { events } : {}) })) return
    found = point.stored === 'after' ? cloneCursor(cursor) : previous
    // stored with its cursor, in the same transaction
    if (point.stored === 'after' && events) store.events.push(...events)
    throw new Error('kill -9')
  }
  store.onCursorHook = (cursor) => check('cursor', cursor)
  store.onBatchHook = (events, cursor) => check('batch', cursor, events)
  return { stored: () => found }
}

const requests = (resource: string): number => rig.mock.admin.stats().requests[resource] ?? 0

async function runCase(via: Via, point: CrashPoint): Promise<void> {
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
  rig.mock.admin.agentMessage(cursor.id, 'a1')
  await waitUntil(() => store.agentTexts().includes('a1'), 'a1')

  const crash = crashAt(store, point)
  const id = cursor.id
  if (via === 'post-503') {
    rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'handover', sessionId: id })
    void first.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
  } else if (via === 'post-applied') {
    const before = requests('ChatMessage')
    rig.mock.admin.injectFault({ resource: 'ChatMessage', kind: 'delay', delayMs: APPLY_DELAY_MS, sessionId: id })
    void first.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
    // the POST passed the mock's checks and is held: the hand-over starts behind it, on the next poll
    await waitUntil(() => requests('ChatMessage') > before, 'the ChatMessage to reach the mock')
    rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
  } else {
    rig.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: id })
  }
  await expect(run).resolves.toMatchObject({ kind: 'failed', error: { kind: 'hook-failed' } })
  // the agent goes on talking while the process is down
  rig.mock.admin.agentMessage(id, 'a2')
  const stored = crash.stored()
  if (!stored) throw new Error(`the run never reached "${point.name}"`)
  expect(requests('ReconnectSession')).toBe(point.reconnected ? 1 : 0)
  if (via === 'post-applied')
    await waitUntil(() => visitorLines(rig.mock.admin.chat(id)?.transcript ?? []).length === 2, 'v2 applied')

  // The next process: the stored cursor, and the outbox offering every message not known as sent, same ids.
  const resumedFrom = JSON.parse(serializeCursor(stored)) as SessionCursor
  const revived = new RecordingStore(resumedFrom)
  const next = session(resumedFrom, revived)
  const nextRun = next.run()
  const v2 = await next.enqueue({ kind: 'ChatMessage', text: 'v2' }, { id: 'v2' })
  expect(v2.status).toBe(resumedFrom.deliveredPostIds.includes('v2') ? 'duplicate' : 'delivered')
  await expect(next.enqueue({ kind: 'ChatMessage', text: 'v3' }, { id: 'v3' })).resolves.toMatchObject({
    status: 'delivered',
  })
  rig.mock.admin.agentMessage(id, 'a3')
  await waitUntil(() => revived.agentTexts().includes('a3'), 'a3 after the restart')
  await next.stop()
  await nextRun

  const chat = rig.mock.admin.chat(id)
  expect(visitorLines(chat?.transcript ?? [])).toEqual(['v1', 'v2', 'v3'])
  expect([...store.agentTexts(), ...revived.agentTexts()]).toEqual(['a1', 'a2', 'a3'])
  expect([...store.types(), ...revived.types()]).toContain('ChasitorSessionData')
  expect(revived.latest.handover).toBeUndefined()
  expect(revived.latest.affinityToken).toBe(chat?.affinityToken)
  expect(chat?.handoverPending).toBe(false)
  expect(chat?.state).toBe('active')
  expect(rig.mock.admin.stats().conflicts409).toBe(0)
  expect(rig.mock.admin.stats().violations).toEqual([])
}

describe.each(VIAS)('kill -9 during a 503 hand-over (%s)', (via) => {
  const points = CRASH_POINTS.filter((point) => point.onlyVia === undefined || point.onlyVia === via)
  it.each(points.map((point) => [point.name, point] as const))('%s: resumes, nothing lost or repeated', (_, point) =>
    runCase(via, point)
  )
})
