// kill -9 of the real liveagent-hop process while visitor messages stream in, its commits on the writer thread:
// every message it acknowledged (202) is in the SQLite file afterwards. The acknowledgement waits for the writer
// thread's commit, so a kill between the two can only lose messages nobody was told were stored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

/** Senders posting at once, so commits are always in flight on the writer thread when the kill comes. */
const SENDERS = 8
/** The kill comes once this many messages were acknowledged. */
const ACKED_BEFORE_KILL = 60
const ACCEPTED = 202

const dir = tempDir('hop-sqlite-kill-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopProcess | undefined

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterAll(async () => {
  await hop?.stop('SIGKILL')
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

describe('kill -9 with commits on the writer thread', () => {
  it('keeps every acknowledged visitor message in the file', async () => {
    hop = await startHopProcess(fastEnv({ HOP_DATA_DIR: dir.path, HOP_SQLITE_COMMIT: 'worker' }))
    const client = new HopTestClient(hop.url, TENANT, SECRET)
    const created = await client.createChat(chatBody(mock.url, receiver.url))
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string

    const acknowledged: string[] = []
    let sent = 0
    let killed = false
    const sender = async () => {
      while (!killed) {
        const messageId = `m${(sent += 1)}`
        try {
          const response = await client.sendMessage(chatId, messageId, `text of ${messageId}`)
          if (response.status === ACCEPTED) acknowledged.push(messageId)
          else if (!killed) throw new Error(`message ${messageId} answered ${response.status}`)
        } catch (error) {
          if (!killed) throw error // after the kill, requests in flight fail: they were never acknowledged
        }
        if (acknowledged.length >= ACKED_BEFORE_KILL && !killed) {
          killed = true
          expect(await hop!.stop('SIGKILL')).toBeNull()
        }
      }
    }
    await Promise.all(Array.from({ length: SENDERS }, sender))
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL)

    // The file as the killed process left it (a restart would read the same).
    const store = new SqliteStore({ file: join(dir.path, 'hop.sqlite') })
    try {
      const stored = new Set((await store.readOutbox(chatId, 0, sent + 10)).map((item) => item.messageId))
      expect(acknowledged.filter((messageId) => !stored.has(messageId))).toEqual([])
    } finally {
      await store.close()
    }
  })
})
