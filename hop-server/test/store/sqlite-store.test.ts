import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { describeStoreContract, newChat } from './store-contract.js'

const dir = mkdtempSync(join(tmpdir(), 'hop-sqlite-'))
let files = 0

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeStoreContract('SQLite', () => ({
  create: async () => {
    const store = new SqliteStore({ file: join(dir, `store-${(files += 1)}.sqlite`) })
    await store.ping() // as the server does before it serves: the writer thread is up
    return store
  },
}))

describe('SQLite group commit', () => {
  it('undoes a failing write alone: the writes committed with it in one transaction stand', async () => {
    const store = new SqliteStore({ file: join(dir, 'group-commit.sqlite') })
    try {
      const first = newChat()
      await store.createChat(first, 'replica-a', 60_000)
      // Queued in the same turn, so they share one transaction: a duplicate chat id fails, the others commit.
      const [duplicate, other, message] = await Promise.allSettled([
        store.createChat({ ...newChat(), chatId: first.chatId }, 'replica-a', 60_000),
        store.createChat(newChat(), 'replica-a', 60_000),
        store.enqueueVisitorMessage(first.chatId, 'm1', 'hello'),
      ])
      expect(duplicate.status).toBe('rejected')
      expect(other.status).toBe('fulfilled')
      expect(message).toEqual({ status: 'fulfilled', value: 'accepted' })
      expect(await store.activeChatCount()).toBe(2)
      expect(await store.readOutbox(first.chatId, 0, 10)).toHaveLength(1)
    } finally {
      await store.close()
    }
  })
})

describe('SQLite replay keys', () => {
  it('commits a replay key in the same transaction as the action queued after it', async () => {
    const store = new SqliteStore({ file: join(dir, 'replay-same-transaction.sqlite') })
    try {
      const chat = newChat()
      await store.createChat(chat, 'replica-a', 60_000)
      const before = { ...store.stats }
      // What the signature check and the message route do for one request, within one turn of the event loop.
      expect(await store.rememberOnce('sig:tenantA:s1', 60_000, Date.now())).toBe(true)
      expect(await store.enqueueVisitorMessage(chat.chatId, 'm1', 'hello')).toBe('accepted')
      expect(store.stats.transactions - before.transactions).toBe(1)
      expect(store.stats.writes - before.writes).toBe(2)
    } finally {
      await store.close()
    }
  })

  it('refuses a key after a restart within its time to live, even one answered just before the close', async () => {
    const file = join(dir, 'replay-restart.sqlite')
    const first = new SqliteStore({ file })
    const now = Date.now()
    expect(await first.rememberOnce('sig:tenantA:s1', 60_000, now)).toBe(true)
    // Not committed yet, but already answered: a second use in the meantime is refused too.
    expect(await first.rememberOnce('sig:tenantA:s1', 60_000, now)).toBe(false)
    await first.close()
    const second = new SqliteStore({ file })
    try {
      expect(await second.rememberOnce('sig:tenantA:s1', 60_000, Date.now())).toBe(false)
      expect(await second.rememberOnce('sig:tenantA:s2', 60_000, Date.now())).toBe(true)
    } finally {
      await second.close()
    }
  })
})

describe('SQLite leases', () => {
  const OWNER = 'replica-a'
  const OTHER = 'replica-b'

  it('answers a lease scan with nothing due without a write transaction, and takes released and expired chats', async () => {
    const store = new SqliteStore({ file: join(dir, 'lease-scan.sqlite') })
    try {
      const held = (await store.createChat(newChat(), OWNER, 60_000)).chat.chatId
      const released = (await store.createChat(newChat(), OWNER, 60_000)).chat.chatId
      const expiring = (await store.createChat(newChat(), OWNER, 1)).chat.chatId
      await store.releaseLeases(OWNER, [released])
      await new Promise((resolve) => setTimeout(resolve, 5))
      expect((await store.acquireLeases(OTHER, 60_000, 10)).sort()).toEqual([released, expiring].sort())
      expect(await store.leaseOwner(held)).toBe(OWNER)
      const before = store.stats.transactions
      expect(await store.acquireLeases(OTHER, 60_000, 10)).toEqual([])
      expect(store.stats.transactions).toBe(before)
    } finally {
      await store.close()
    }
  })

  it('renews, releases and reads the outbox heads of more chats than one old chunk of 500 in one call', async () => {
    const store = new SqliteStore({ file: join(dir, 'lease-many.sqlite') })
    try {
      const created = await Promise.all(Array.from({ length: 1_200 }, () => store.createChat(newChat(), OWNER, 60_000)))
      const ids = created.map(({ chat }) => chat.chatId)
      const stranger = (await store.createChat(newChat(), OTHER, 60_000)).chat.chatId
      const renewed = await store.renewLeases(OWNER, [...ids, stranger], 60_000)
      expect(renewed.sort()).toEqual([...ids].sort())
      expect((await store.outboxLasts(ids)).size).toBe(ids.length)
      await store.releaseLeases(OWNER, ids)
      expect(await store.leaseOwner(ids[ids.length - 1]!)).toBeUndefined()
      expect(await store.leaseOwner(stranger)).toBe(OTHER)
      expect(await store.acquireLeases(OTHER, 60_000, 2_000)).toHaveLength(ids.length)
    } finally {
      await store.close()
    }
  })
})
