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
  create: async () => new SqliteStore({ file: join(dir, `store-${(files += 1)}.sqlite`) }),
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
