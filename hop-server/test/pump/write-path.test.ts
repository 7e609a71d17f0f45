// The durable write path over real servers (mock Live Agent, hop server, webhook receiver). A visitor message costs
// one store write, its enqueue (the signature's replay key commits in the same transaction); queueing it, numbering
// it and its acceptance ride with the next write the pump makes anyway. An agent batch costs one write. And since
// those checkpoints may be lost in a crash, a kill -9 after them must still leave every message there exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import type { SqliteStore } from '../../src/store/sqlite-store.js'
import type { HopStore } from '../../src/store/types.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

const MESSAGES = 5
/** The store operations that write; each call is one write queued for the group commit. */
const WRITES = [
  'createChat',
  'requestEnd',
  'enqueueVisitorMessage',
  'savePumpState',
  'commitBatch',
  'ackWebhook',
  'failWebhook',
  'deadLetterWebhooks',
  'rememberOnce',
] as const
type WriteName = (typeof WRITES)[number]

const dir = tempDir('hop-write-path-')
let mock: MockServer
let receiver: WebhookReceiver

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterAll(async () => {
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

/** Counts the calls of each writing operation on the live store object (the pumps and routes share it). */
function countWrites(store: HopStore): Record<WriteName, number> {
  const counts = Object.fromEntries(WRITES.map((name) => [name, 0])) as Record<WriteName, number>
  const target = store as unknown as Record<WriteName, (...args: unknown[]) => Promise<unknown>>
  for (const name of WRITES) {
    const original = target[name].bind(store)
    target[name] = (...args: unknown[]) => {
      counts[name] += 1
      return original(...args)
    }
  }
  return counts
}

const visitorLines = (laId: string) =>
  mock.admin
    .chat(laId)!
    .transcript.filter((entry) => entry.from === 'visitor')
    .map((entry) => entry.text)

const agentTexts = (events: { type: string; data: Record<string, unknown> }[]) =>
  events.filter((event) => event.type === 'agent.message').map((event) => event.data.text)

describe('writes per message', () => {
  let hop: HopServer

  afterAll(async () => {
    await hop?.close()
  })

  it('one write per visitor message and one per agent batch', async () => {
    hop = await startHopServer(hopConfig(`${dir.path}/counted`))
    const client = new HopTestClient(hop.url, TENANT, SECRET)
    const created = await client.createChat(chatBody(mock.url, receiver.url, { visitor: { name: 'Counted' } }))
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'Counted' && chat.state !== 'ended')
    mock.admin.accept(la.id)
    await receiver.waitForType(chatId, 'agent.joined')
    // Webhook acks of the events so far settle first; from here on every write is counted.
    await eventually(async () => (await hop.store.pendingWebhookCount(chatId)) === 0)
    const counts = countWrites(hop.store)
    // No group commit may run between a request's replay key and its enqueue: then they share one transaction.
    const stats = (hop.store as SqliteStore).stats
    const store = hop.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    const [remember, enqueue] = [store.rememberOnce!, store.enqueueVisitorMessage!]
    let transactionsAtKey = -1
    const apart: number[] = []
    store.rememberOnce = (...args) => {
      transactionsAtKey = stats.transactions
      return remember(...args)
    }
    store.enqueueVisitorMessage = (...args) => {
      apart.push(stats.transactions - transactionsAtKey)
      return enqueue(...args)
    }

    for (let i = 1; i <= MESSAGES; i += 1) {
      expect((await client.sendMessage(chatId, `w${i}`, `visitor ${i}`)).status).toBe(202)
      await eventually(() => visitorLines(la.id).includes(`visitor ${i}`))
    }
    // The visitor side wrote nothing but the enqueues (and the replay keys that commit with them).
    expect(counts).toMatchObject({ enqueueVisitorMessage: MESSAGES, savePumpState: 0, commitBatch: 0 })
    expect(apart).toEqual(Array<number>(MESSAGES).fill(0))

    for (let i = 1; i <= MESSAGES; i += 1) {
      mock.admin.agentMessage(la.id, `agent ${i}`)
      await receiver.waitFor(chatId, (events) => agentTexts(events).includes(`agent ${i}`))
    }
    await eventually(async () => (await hop.store.pendingWebhookCount(chatId)) === 0)
    // One commit per agent batch (each message here is its own batch), then the webhook's acknowledgement.
    expect(counts).toMatchObject({ commitBatch: MESSAGES, ackWebhook: MESSAGES, savePumpState: 0 })
    // The replay keys rode with the enqueues: no transaction of their own is needed for them.
    expect(counts.rememberOnce).toBe(MESSAGES)
    expect(visitorLines(la.id)).toEqual(Array.from({ length: MESSAGES }, (_, i) => `visitor ${i + 1}`))
  })
})

describe('kill -9 after deferred checkpoints', () => {
  const processes: HopProcess[] = []

  afterAll(async () => {
    await Promise.all(processes.map((hop) => hop.stop('SIGKILL')))
  })

  async function startHop(): Promise<HopProcess> {
    const hop = await startHopProcess(fastEnv({ HOP_DATA_DIR: `${dir.path}/killed` }))
    processes.push(hop)
    return hop
  }

  it('replays the messages numbered since the last write; Live Agent drops the copies, none is lost', async () => {
    const first = await startHop()
    const client = new HopTestClient(first.url, TENANT, SECRET)
    const created = await client.createChat(chatBody(mock.url, receiver.url, { visitor: { name: 'Killed' } }))
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'Killed' && chat.state !== 'ended')
    mock.admin.accept(la.id)
    await receiver.waitForType(chatId, 'agent.joined')

    // Delivered, with their numbering and acceptance only in memory: the stored cursor predates them.
    const before = Array.from({ length: MESSAGES }, (_, i) => `before ${i + 1}`)
    for (const [i, text] of before.entries()) {
      expect((await client.sendMessage(chatId, `b${i + 1}`, text)).status).toBe(202)
    }
    await eventually(() => visitorLines(la.id).length === MESSAGES)
    expect(await first.stop('SIGKILL')).toBeNull()

    const second = await startHop()
    const secondClient = new HopTestClient(second.url, TENANT, SECRET)
    // Resumed from the older cursor, the pump offers the same messages again under the same numbers.
    await eventually(() => mock.admin.chat(la.id)!.sequences.length >= 2 * MESSAGES)
    expect((await secondClient.sendMessage(chatId, 'after', 'after the restart')).status).toBe(202)
    await eventually(() => visitorLines(la.id).includes('after the restart'))
    mock.admin.agentMessage(la.id, 'still here')
    await receiver.waitFor(chatId, (events) => agentTexts(events).includes('still here'))

    expect(visitorLines(la.id)).toEqual([...before, 'after the restart'])
    expect(mock.admin.stats().conflicts409).toBe(0)
    expect(mock.admin.stats().violations).toEqual([])
    expect((await secondClient.end(chatId)).status).toBe(202)
    await receiver.waitForType(chatId, 'chat.ended')
    expect(await second.stop('SIGTERM')).toBe(0)
  })
})
