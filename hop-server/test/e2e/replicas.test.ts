// Several liveagent-hop processes on one real Redis: every chat is polled by exactly one replica (the mock's 409
// counter stays 0), a killed replica's chats move to another after the lease time, a stopped one hands its
// chats over at once, and any replica accepts requests for any chat.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { RedisStore } from '../../src/store/redis-store.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'
import { startRedisServer, type RedisServer } from '../support/redis-server.js'

const KEY_PREFIX = 'replicas:'
const CHATS_PER_REPLICA = 2
const TAKEOVER_TIMEOUT_MS = 20_000

let redis: RedisServer
let mock: MockServer
let receiver: WebhookReceiver
let store: RedisStore
const processes: HopProcess[] = []

async function startReplica(replicaId: string): Promise<HopProcess> {
  const hop = await startHopProcess(
    fastEnv({ HOP_STORE: 'redis', HOP_REDIS_URL: redis.url, HOP_REDIS_PREFIX: KEY_PREFIX, HOP_REPLICA_ID: replicaId })
  )
  processes.push(hop)
  return hop
}

beforeAll(async () => {
  redis = await startRedisServer()
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  store = new RedisStore({ url: redis.url, keyPrefix: KEY_PREFIX })
})

afterAll(async () => {
  await Promise.all(processes.map((hop) => hop.stop('SIGKILL')))
  await store?.close()
  await receiver?.close()
  await mock?.close()
  await redis?.stop()
})

interface Chat {
  chatId: string
  sessionId: string
  creator: string
}

const agentTexts = (chatId: string) =>
  receiver
    .events(chatId)
    .filter((event) => event.type === 'agent.message')
    .map((event) => event.data.text)

async function agentSays(chat: Chat, text: string, timeoutMs = TAKEOVER_TIMEOUT_MS): Promise<void> {
  mock.admin.agentMessage(chat.sessionId, text)
  await receiver.waitFor(chat.chatId, () => agentTexts(chat.chatId).includes(text), timeoutMs)
}

async function visitorSays(client: HopTestClient, chat: Chat, text: string): Promise<void> {
  expect((await client.sendMessage(chat.chatId, `${text}-id`, text)).status).toBe(202)
  await eventually(
    () => mock.admin.chat(chat.sessionId)!.transcript.some((entry) => entry.text === text),
    TAKEOVER_TIMEOUT_MS
  )
}

describe('replicas on one Redis', () => {
  it('polls each chat from one replica, and moves the chats of a killed or stopped replica', async () => {
    const a = await startReplica('replica-a')
    const b = await startReplica('replica-b')
    const clients = {
      'replica-a': new HopTestClient(a.url, TENANT, SECRET),
      'replica-b': new HopTestClient(b.url, TENANT, SECRET),
    }

    const chats: Chat[] = []
    for (const creator of ['replica-a', 'replica-b'] as const) {
      for (let i = 0; i < CHATS_PER_REPLICA; i += 1) {
        const name = `${creator} visitor ${i}`
        const created = await clients[creator].createChat(chatBody(mock.url, receiver.url, { visitor: { name } }))
        expect(created.status).toBe(201)
        const la = await mock.admin.waitForChat((chat) => chat.visitorName === name)
        mock.admin.accept(la.id)
        chats.push({ chatId: created.body.chatId as string, sessionId: la.id, creator })
      }
    }
    for (const chat of chats) expect(await store.leaseOwner(chat.chatId)).toBe(chat.creator)

    // Requests may reach any replica: visitor messages go through the replica that does not pump the chat.
    for (const chat of chats) {
      await receiver.waitForType(chat.chatId, 'agent.joined')
      await agentSays(chat, `hello ${chat.chatId}`)
      const other = chat.creator === 'replica-a' ? clients['replica-b'] : clients['replica-a']
      await visitorSays(other, chat, `hi from ${chat.chatId}`)
    }

    // kill -9: replica-a's chats move to replica-b once their leases expire.
    expect(await a.stop('SIGKILL')).toBeNull()
    for (const chat of chats) await agentSays(chat, `after the kill ${chat.chatId}`)
    for (const chat of chats) expect(await store.leaseOwner(chat.chatId)).toBe('replica-b')
    for (const chat of chats.filter((c) => c.creator === 'replica-a')) {
      await visitorSays(clients['replica-b'], chat, `visitor after the kill ${chat.chatId}`)
    }

    // A graceful stop releases every lease at once; a new replica takes the chats over.
    const c = await startReplica('replica-c')
    expect(await b.stop('SIGTERM')).toBe(0)
    for (const chat of chats) expect(await store.leaseOwner(chat.chatId)).not.toBe('replica-b')
    for (const chat of chats) await agentSays(chat, `after the stop ${chat.chatId}`)
    for (const chat of chats) expect(await store.leaseOwner(chat.chatId)).toBe('replica-c')
    const clientC = new HopTestClient(c.url, TENANT, SECRET)
    for (const chat of chats) await visitorSays(clientC, chat, `visitor after the stop ${chat.chatId}`)

    // Every agent message reached the bot once, in order; every visitor message reached the agent once.
    for (const chat of chats) {
      expect(agentTexts(chat.chatId)).toEqual([
        `hello ${chat.chatId}`,
        `after the kill ${chat.chatId}`,
        `after the stop ${chat.chatId}`,
      ])
      const visitorLines = mock.admin
        .chat(chat.sessionId)!
        .transcript.filter((entry) => entry.from === 'visitor')
        .map((entry) => entry.text)
      expect(visitorLines).toEqual([
        `hi from ${chat.chatId}`,
        ...(chat.creator === 'replica-a' ? [`visitor after the kill ${chat.chatId}`] : []),
        `visitor after the stop ${chat.chatId}`,
      ])
    }
    expect(mock.admin.stats().conflicts409).toBe(0)
    expect(mock.admin.stats().violations).toEqual([])
  })
})
