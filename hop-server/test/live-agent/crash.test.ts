// kill -9 at random moments: a child process runs one chat with a file-backed store and is killed over and
// over while both sides keep talking, and a 503 hand-over starts right before every other kill (so kills land
// before, during and after its steps). Every visitor message must reach the agent once, in order, and every
// agent message must be stored once, in order.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import type { LiveAgentEvent, SessionCursor } from '../../src/backends/live-agent/index.js'
import { CrashRig, type OutboxRow } from '../support/crash-rig.js'
import { INIT, visitorLines, waitUntil } from './helpers.js'

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url))
const KILLS = 10
const VISITOR_MESSAGES = 30
const AGENT_MESSAGES = 30
/** Shorter than the library default, to keep the test quick; loopback closes are seen within it. */
const GRACE_MS = 100

interface State {
  cursor?: SessionCursor
  events: LiveAgentEvent[]
  sent: string[]
}

let mock: MockServer
let rig: CrashRig<State>

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: 300 })
  rig = new CrashRig(CHILD, 'live-agent-crash')
})

afterAll(async () => {
  await rig?.close()
  await mock?.close()
})

const startChild = () =>
  rig.start([`${mock.url}/chat`, rig.dir, JSON.stringify(INIT)], { CRASH_CHILD_GRACE_MS: String(GRACE_MS) })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('survives kill -9 at random moments: nothing lost, nothing repeated, in both directions', async () => {
  const outbox: OutboxRow[] = []
  rig.writeOutbox(outbox)
  let child = startChild()
  const cursor = await waitUntil(() => rig.readState()?.cursor, 'the first cursor', 20_000)
  await mock.admin.waitForChat((c) => c.id === cursor.id, 20_000)
  mock.admin.accept(cursor.id)
  await waitUntil(() => rig.readState()?.cursor?.established, 'ChatEstablished stored', 20_000)

  let visitor = 0
  let agent = 0
  const requests = (): number => Object.values(mock.admin.stats().requests).reduce((a, b) => a + b, 0)
  for (let round = 0; round < KILLS; round++) {
    // wait until the new child talks to Live Agent, then give both sides work and kill it at a random instant
    const before = requests()
    await waitUntil(() => requests() > before, 'the child to resume', 20_000)
    for (let i = 0; i < 3 && visitor < VISITOR_MESSAGES; i++) {
      visitor += 1
      outbox.push({ id: `out-${visitor}`, text: `visitor ${visitor}` })
    }
    rig.writeOutbox(outbox)
    for (let i = 0; i < 3 && agent < AGENT_MESSAGES; i++) mock.admin.agentMessage(cursor.id, `agent ${++agent}`)
    if (round % 2 === 0) mock.admin.injectFault({ resource: '*', kind: 'handover', sessionId: cursor.id })
    await sleep(Math.floor(Math.random() * 80))
    await rig.kill(child)
    child = startChild()
  }
  while (visitor < VISITOR_MESSAGES) {
    visitor += 1
    outbox.push({ id: `out-${visitor}`, text: `visitor ${visitor}` })
  }
  rig.writeOutbox(outbox)
  while (agent < AGENT_MESSAGES) mock.admin.agentMessage(cursor.id, `agent ${++agent}`)

  const expectedAgent = Array.from({ length: AGENT_MESSAGES }, (_, i) => `agent ${i + 1}`)
  const expectedVisitor = outbox.map((row) => row.text)
  const stored = (): string[] =>
    (rig.readState()?.events ?? []).flatMap((e) => (e.type === 'ChatMessage' ? [e.message.text] : []))
  await waitUntil(() => rig.readState()?.sent.length === VISITOR_MESSAGES, 'every visitor message sent', 20_000)
  await waitUntil(() => stored().length >= AGENT_MESSAGES, 'every agent message stored', 20_000)
  await rig.kill(child)

  expect(stored()).toEqual(expectedAgent)
  expect(visitorLines(mock.admin.chat(cursor.id)?.transcript ?? [])).toEqual(expectedVisitor)
  expect(mock.admin.chat(cursor.id)?.state).toBe('active')
  expect(mock.admin.stats().conflicts409).toBe(0)
  expect(mock.admin.stats().violations).toEqual([])
  expect(mock.admin.stats().requests.ReconnectSession).toBeGreaterThanOrEqual(KILLS / 2)
}, 120_000)
