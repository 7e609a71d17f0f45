// kill -9 of the real liveagent-hop process while visitor messages stream in, its commits on the writer thread:
// every message it acknowledged (202) is in the SQLite file afterwards. The acknowledgement waits for the writer
// thread's commit, so a kill between the two can only lose messages nobody was told were stored. The second test
// holds a commit open (the writer thread's test switch) and kills inside that window, so an acknowledgement sent
// when the batch is handed to the thread, rather than once it is committed, fails it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { HELD_SUFFIX, HOLD_COMMIT_ENV } from '../../src/store/sqlite-writer-hold.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

/** Senders posting at once, so commits are always in flight on the writer thread when the kill comes. */
const SENDERS = 8
/** The kill comes once this many messages were acknowledged. */
const ACKED_BEFORE_KILL = 60
const ACCEPTED = 202
/** Messages sent while the commit is held: several, so the held batch and the ones queued behind it all count. */
const SENT_WHILE_HELD = 8
/** Waiting for the held commit's marker: an event, bounded so a broken switch fails instead of hanging. */
const HELD_WAIT_MS = 15_000
const HELD_POLL_MS = 20
/** More than the tests ever send to one chat. */
const MAX_STORED = 10_000

const dir = tempDir('hop-sqlite-kill-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopProcess | undefined

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterEach(async () => {
  await hop?.stop('SIGKILL')
  hop = undefined
})

afterAll(async () => {
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

    const stored = await storedMessageIds(join(dir.path, 'hop.sqlite'), chatId)
    expect(acknowledged.filter((messageId) => !stored.has(messageId))).toEqual([])
  })

  it('acknowledges nothing of a batch the thread has not committed when the kill comes', async () => {
    const dataDir = join(dir.path, 'held')
    const holdFile = join(dir.path, 'hold')
    hop = await startHopProcess(
      fastEnv({
        HOP_DATA_DIR: dataDir,
        HOP_SQLITE_COMMIT: 'worker',
        [HOLD_COMMIT_ENV]: holdFile,
      })
    )
    const client = new HopTestClient(hop.url, TENANT, SECRET)
    const created = await client.createChat(chatBody(mock.url, receiver.url))
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string
    expect((await client.sendMessage(chatId, 'before', 'committed before the hold')).status).toBe(ACCEPTED)

    writeFileSync(holdFile, '')
    const acknowledged: string[] = []
    const heldIds = Array.from({ length: SENT_WHILE_HELD }, (_, index) => `held${index + 1}`)
    const sends = heldIds.map((messageId) =>
      client.sendMessage(chatId, messageId, `text of ${messageId}`).then(
        (response) => void (response.status === ACCEPTED && acknowledged.push(messageId)),
        () => undefined // the kill ends requests still waiting: never acknowledged
      )
    )
    await waitFor(`${holdFile}${HELD_SUFFIX}`)
    // One more round trip: any acknowledgement sent when the batch was handed over is out before this answer.
    expect((await fetch(`${hop.url}/healthz`)).ok).toBe(true)
    expect(await hop.stop('SIGKILL')).toBeNull()
    await Promise.all(sends)

    const stored = await storedMessageIds(join(dataDir, 'hop.sqlite'), chatId)
    expect(stored.has('before')).toBe(true)
    expect(acknowledged.filter((messageId) => !stored.has(messageId))).toEqual([])
    // The kill came inside the window: the held batch carried at least one of them, and it never committed.
    expect(heldIds.filter((messageId) => !stored.has(messageId)).length).toBeGreaterThan(0)
    expect(acknowledged).toEqual([])
  })
})

/** The file as the killed process left it (a restart would read the same). */
async function storedMessageIds(file: string, chatId: string): Promise<Set<string>> {
  const store = new SqliteStore({ file, commitThread: 'main' })
  try {
    return new Set((await store.readOutbox(chatId, 0, MAX_STORED)).map((item) => item.messageId))
  } finally {
    await store.close()
  }
}

async function waitFor(path: string): Promise<void> {
  const deadline = Date.now() + HELD_WAIT_MS
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the writer thread never held a commit (${path} missing)`)
    await sleep(HELD_POLL_MS)
  }
}
