// kill -9 at random moments: a child process runs one Enhanced Chat hand-off with a file-backed store and is killed
// over and over while both sides keep talking. The restarted child resumes from the stored cursor (the same token,
// conversation and Last-Event-Id): every visitor message must reach the agent once, in order, and every agent
// message must be stored once, in order.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import type { BackendEvent, Checkpoint } from '../../src/backends/chat-backend.js'
import { CrashRig, type OutboxRow } from '../support/crash-rig.js'
import { waitUntil } from './backend-harness.js'

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url))
const KILLS = 10
const MESSAGES_PER_ROUND = 2
const MAX_KILL_DELAY_MS = 150

interface State {
  checkpoint?: Checkpoint
  events: BackendEvent[]
}

let mock: MockServer
let rig: CrashRig<State>

beforeAll(async () => {
  // Rate limits off: this test is about kills, and 20 messages in a few seconds would meet the 22-a-minute limit.
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent', rateLimits: false })
  rig = new CrashRig(CHILD, 'enhanced-chat-crash')
})

afterAll(async () => {
  await rig?.close()
  await mock?.close()
})

const startChild = () => rig.start([mock.url, rig.dir, mock.options.orgId, mock.options.esDeveloperName])

const agentTexts = () =>
  (rig.readState()?.events ?? []).flatMap((event) => (event.type === 'agent-message' ? [event.text] : []))
const conversationIdOf = () =>
  (rig.readState()?.checkpoint?.cursor.state as { conversationId?: string } | undefined)?.conversationId

it('resumes after every kill -9 losing and repeating nothing, in either direction', async () => {
  let child = startChild()
  const conversationId = await waitUntil(conversationIdOf, 'the stored cursor', 15_000)
  await mock.enhanced.waitFor((view) => view.id === conversationId, 15_000)
  mock.enhanced.accept(conversationId, { agentName: 'Kim' })
  await waitUntil(() => rig.readState()?.events.some((event) => event.type === 'agent-joined'), 'agent-joined', 15_000)

  const visitor: OutboxRow[] = []
  const agent: string[] = []
  for (let round = 0; round < KILLS; round++) {
    for (let i = 0; i < MESSAGES_PER_ROUND; i++) {
      const n = visitor.length + 1
      visitor.push({ id: `outbox:${n}`, text: `visitor ${n}` })
      agent.push(`agent ${agent.length + 1}`)
      rig.writeOutbox(visitor)
      mock.enhanced.agentMessage(conversationId, agent[agent.length - 1]!)
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_KILL_DELAY_MS))
    await rig.kill(child)
    child = startChild()
  }

  const lines = () =>
    (mock.enhanced.conversation(conversationId)?.transcript ?? [])
      .filter((l) => l.from === 'visitor')
      .map((l) => l.text)
  await waitUntil(
    () => lines().length >= visitor.length && agentTexts().length >= agent.length,
    'every message',
    20_000
  )
  // Give a duplicate the chance to show before asserting there is none.
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(lines()).toEqual(visitor.map((row) => row.text))
  expect(agentTexts()).toEqual(agent)
  expect(rig.readState()?.events.filter((event) => event.type === 'agent-joined')).toHaveLength(1)
  expect(mock.enhanced.conversations()).toHaveLength(1)
  await rig.kill(child)
}, 90_000)
