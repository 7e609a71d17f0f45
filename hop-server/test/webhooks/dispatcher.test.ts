// The webhook dispatcher finds its work through events, not by querying the store: the events a commit stored
// are delivered on the commit's nudge, a failed attempt is retried from the in-memory queue at its backoff time,
// and the store is swept for due chats only at start (what a previous process left) and in the slow safety-net
// sweep (a lost note). Real SQLite store, real signed deliveries to a webhook receiver on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { resolveConfig, type HopConfigInput } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { HopMetrics } from '../../src/metrics.js'
import { agentMessageEvent } from '../../src/store/events.js'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { INITIAL_PUMP_STATE } from '../../src/store/types.js'
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js'
import { countingStore, type CountingStore } from '../support/counting-store.js'
import { TENANT, TENANTS, eventually, hopConfig, tempDir } from '../support/harness.js'
import { newChat } from '../store/store-contract.js'

const REPLICA = 'replica-a'
const LEASE_TTL_MS = 60_000
/** Long enough that no safety-net sweep runs during a test that does not ask for one. */
const NO_SWEEP_MS = 10 * 60_000
const SHORT_SWEEP_MS = 100

const dir = tempDir('hop-dispatcher-')
let sqlite: SqliteStore
let receiver: WebhookReceiver
const dispatchers: WebhookDispatcher[] = []

beforeAll(async () => {
  sqlite = new SqliteStore({ file: `${dir.path}/hop.sqlite` })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()))
  receiver.recover()
})

afterAll(async () => {
  await receiver.close()
  await sqlite.close()
  dir.remove()
})

function startDispatcher(counting: CountingStore, overrides: HopConfigInput = {}): WebhookDispatcher {
  const config = resolveConfig(hopConfig(dir.path, { replicaId: REPLICA, storeSweepMs: NO_SWEEP_MS, ...overrides }))
  const dispatcher = new WebhookDispatcher({
    config,
    store: counting.store,
    metrics: new HopMetrics(),
    logger: createLogger('silent'),
    owns: () => true,
    onDrained: () => undefined,
  })
  dispatchers.push(dispatcher)
  dispatcher.start()
  return dispatcher
}

async function chatWithEvents(texts: string[]): Promise<string> {
  const { chat } = await sqlite.createChat(
    { ...newChat(), tenant: TENANT, request: { ...newChat().request, webhookUrl: receiver.url } },
    REPLICA,
    LEASE_TTL_MS
  )
  await storeEvents(chat.chatId, texts)
  return chat.chatId
}

async function storeEvents(chatId: string, texts: string[]): Promise<void> {
  const agent = { id: '005000000000001', name: 'Andy' }
  const result = await sqlite.commitBatch(chatId, REPLICA, {
    events: texts.map((text) => agentMessageEvent(text, agent, Date.now())),
    pump: INITIAL_PUMP_STATE,
    at: Date.now(),
  })
  expect(result.status).toBe('ok')
}

const texts = (chatId: string) => receiver.events(chatId).map((event) => event.data.text)

async function delivered(chatId: string, expected: string[]): Promise<void> {
  await receiver.waitFor(chatId, () => texts(chatId).length >= expected.length)
  expect(texts(chatId)).toEqual(expected)
  await eventually(async () => (await sqlite.pendingWebhookCount(chatId)) === 0)
}

describe('WebhookDispatcher', () => {
  it('delivers what a previous process left after one sweep at start, then new events on their nudge alone', async () => {
    const counting = countingStore(sqlite)
    const leftOver = await chatWithEvents(['left 1', 'left 2'])
    const dispatcher = startDispatcher(counting)
    await delivered(leftOver, ['left 1', 'left 2'])
    expect(counting.count('dueWebhookChats')).toBe(1)

    const chatId = await chatWithEvents([])
    counting.reset()
    await storeEvents(chatId, ['one', 'two', 'three'])
    dispatcher.eventsStored(chatId)
    await delivered(chatId, ['one', 'two', 'three'])
    // Per event: read the head, acknowledge it; then one read finds the chat drained. No sweep.
    await eventually(() => counting.count('webhookHead') === 4)
    expect(counting.count('ackWebhook')).toBe(3)
    expect(counting.count('dueWebhookChats')).toBe(0)
    expect(counting.total()).toBe(7)
  })

  it('retries a failed delivery at its backoff time from memory, without sweeping the store', async () => {
    const counting = countingStore(sqlite)
    const dispatcher = startDispatcher(counting)
    await eventually(() => counting.count('dueWebhookChats') === 1)
    const chatId = await chatWithEvents(['after two failures', 'next'])
    receiver.fail(2)
    dispatcher.eventsStored(chatId)
    await delivered(chatId, ['after two failures', 'next'])
    expect(counting.count('failWebhook')).toBe(2)
    expect(counting.count('dueWebhookChats')).toBe(1)
  })

  it('finds events whose note was lost in the safety-net sweep', async () => {
    const counting = countingStore(sqlite)
    startDispatcher(counting, { storeSweepMs: SHORT_SWEEP_MS })
    await eventually(() => counting.count('dueWebhookChats') === 1)
    const chatId = await chatWithEvents(['nobody said'])
    await delivered(chatId, ['nobody said'])
    expect(counting.count('dueWebhookChats')).toBeGreaterThan(1)
  })

  it('delivers nothing of a chat this replica does not hold, even when nudged', async () => {
    const counting = countingStore(sqlite)
    const config = resolveConfig(hopConfig(dir.path, { replicaId: REPLICA, storeSweepMs: NO_SWEEP_MS }))
    const dispatcher = new WebhookDispatcher({
      config,
      store: counting.store,
      metrics: new HopMetrics(),
      logger: createLogger('silent'),
      owns: () => false,
      onDrained: () => undefined,
    })
    dispatchers.push(dispatcher)
    const chatId = await chatWithEvents(['not ours'])
    dispatcher.eventsStored(chatId)
    await dispatcher.stop()
    expect(counting.count('webhookHead')).toBe(0)
    expect(await sqlite.pendingWebhookCount(chatId)).toBe(1)
  })
})
