// Self-fencing: a replica whose lease renewals fail stops its pumps (and their held polls) before its leases
// could expire, so a second replica taking the chat never makes Live Agent see two polls (409); once renewals
// work again the chat is re-adopted from its stored cursor and messages still flow. Real SQLite store, real mock.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { createBackendRegistry } from '../../src/backends/registry.js'
import { ChatService } from '../../src/chats/chat-service.js'
import { resolveConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { HopMetrics } from '../../src/metrics.js'
import { ChatSupervisor } from '../../src/pump/supervisor.js'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import type { HopStore } from '../../src/store/types.js'
import { ephemeralLoopbackTargets } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, TENANT, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'

const STEP_TIMEOUT_MS = 15_000
const LEASE_CALLS = new Set<string | symbol>(['renewLeases', 'acquireLeases'])

/** The real store, except that lease renewals and scans fail while `failing` is set (an unreachable store). */
function flakyRenewals(store: HopStore): { store: HopStore; failing: boolean } {
  const control = { failing: false, store }
  control.store = new Proxy(store, {
    get(target, key) {
      if (LEASE_CALLS.has(key) && control.failing) return () => Promise.reject(new Error('store unreachable'))
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
  return control
}

const dir = tempDir('hop-fence-')
const WEBHOOK_TARGET = '127.0.0.1:9'
let mock: MockServer
let store: SqliteStore
const supervisors: ChatSupervisor[] = []

function replica(replicaId: string, replicaStore: HopStore): { supervisor: ChatSupervisor; chats: ChatService } {
  // Webhooks go nowhere here (port 9, never called: deliveries are not started), yet the URL must be allowed.
  const loopbackTargets = [...ephemeralLoopbackTargets(), WEBHOOK_TARGET]
  const config = resolveConfig(hopConfig(dir.path, { replicaId, security: { loopbackTargets } }))
  const logger = createLogger('silent')
  const metrics = new HopMetrics()
  const backends = createBackendRegistry({ config, metrics, logger })
  const supervisor = new ChatSupervisor({
    config,
    store: replicaStore,
    metrics,
    logger,
    backends,
    webhookEventsStored: () => undefined,
    chatsTaken: () => undefined,
    chatDropped: () => undefined,
  })
  supervisors.push(supervisor)
  const chats = new ChatService({
    config,
    store: replicaStore,
    backends,
    onChatCreated: (chatId) => supervisor.adopt(chatId),
  })
  return { supervisor, chats }
}

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  store = new SqliteStore({ file: `${dir.path}/hop.sqlite` })
})

afterAll(async () => {
  await Promise.all(supervisors.map((supervisor) => supervisor.close()))
  await store?.close()
  await mock?.close()
  dir.remove()
})

describe('self-fencing', () => {
  it('stops polling before the lease can expire, lets another replica take over, and resumes when renewals work', async () => {
    const flaky = flakyRenewals(store)
    const a = replica('replica-a', flaky.store)
    await a.supervisor.start()
    const { chat } = await a.chats.create(TENANT, chatBody(mock.url, `http://${WEBHOOK_TARGET}/hook`, {}) as never)
    const la = await mock.admin.waitForChat((view) => view.state !== 'ended')
    mock.admin.accept(la.id)
    const visitorSays = async (text: string) => {
      await a.chats.sendMessage(TENANT, chat.chatId, `${text}-id`, text)
      await eventually(() => mock.admin.chat(la.id)!.transcript.some((entry) => entry.text === text), STEP_TIMEOUT_MS)
    }
    await visitorSays('before the outage')
    await eventually(() => mock.admin.chat(la.id)!.pollOpen, STEP_TIMEOUT_MS)

    // Renewals fail: replica-a stops its pump on its own, and its poll is gone.
    flaky.failing = true
    await eventually(() => !a.supervisor.owns(chat.chatId), STEP_TIMEOUT_MS)
    await eventually(() => !mock.admin.chat(la.id)!.pollOpen, STEP_TIMEOUT_MS)

    // Another replica takes the chat once the lease expired; the session goes on without a duplicate poll.
    const b = replica('replica-b', store)
    await b.supervisor.start()
    await eventually(() => b.supervisor.owns(chat.chatId), STEP_TIMEOUT_MS)
    await visitorSays('while replica-b pumps')
    expect(a.supervisor.owns(chat.chatId)).toBe(false)

    // replica-b leaves (releasing its lease); replica-a's renewals work again and it takes the chat back.
    flaky.failing = false
    await b.supervisor.close()
    await eventually(() => a.supervisor.owns(chat.chatId), STEP_TIMEOUT_MS)
    await visitorSays('back on replica-a')

    // A short outage while the lease is still held: fenced, then re-adopted from the stored cursor.
    flaky.failing = true
    await eventually(() => !a.supervisor.owns(chat.chatId), STEP_TIMEOUT_MS)
    flaky.failing = false
    await eventually(() => a.supervisor.owns(chat.chatId), STEP_TIMEOUT_MS)
    await visitorSays('after the short outage')
    await eventually(() => mock.admin.chat(la.id)!.pollOpen, STEP_TIMEOUT_MS)

    // One Live Agent session throughout (cursors resumed, never reopened), never two polls at once.
    expect(mock.admin.chats()).toHaveLength(1)
    expect(mock.admin.chat(la.id)!.state).not.toBe('ended')
    expect(mock.admin.stats().conflicts409).toBe(0)
    expect(mock.admin.stats().violations).toEqual([])
  })
})
