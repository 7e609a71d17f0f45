// A kill -9 loses the records of visitor messages the hop server had already sent (they ride with the next write):
// the next process re-offers them from the visitor outbox, under the numbers they had, and Live Agent drops the
// copies. A typing hint that arrives before that re-read must not take the first of those numbers: Live Agent would
// ignore the hint as a repeat and accept the last message again under the next number. Real processes throughout:
// the first hop server is a child killed with SIGKILL; the second runs here, with its outbox reads held until the
// typing hint is in, which is the gap a slower store (Redis) leaves open.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

const MESSAGES = 3
const dir = tempDir('hop-reoffer-typing-')
let mock: MockServer
let receiver: WebhookReceiver
let killed: HopProcess | undefined
let second: HopServer | undefined

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterAll(async () => {
  await second?.close()
  await killed?.stop('SIGKILL')
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

const visitorLines = (laId: string) =>
  mock.admin
    .chat(laId)!
    .transcript.filter((entry) => entry.from === 'visitor')
    .map((entry) => entry.text)

/** Holds every outbox read of this process until `release()`: the pump cannot re-offer anything meanwhile. */
function holdOutboxReads(): { release(): void; held(): number; restore(): void } {
  const original = SqliteStore.prototype.readOutbox
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let held = 0
  SqliteStore.prototype.readOutbox = async function (this: SqliteStore, ...args) {
    held += 1
    await released
    return original.apply(this, args)
  }
  return { release, held: () => held, restore: () => (SqliteStore.prototype.readOutbox = original) }
}

it('typing before the re-offer waits for it: every message reaches the agent once, the hint after them', async () => {
  killed = await startHopProcess(fastEnv({ HOP_DATA_DIR: dir.path }))
  const client = new HopTestClient(killed.url, TENANT, SECRET)
  const created = await client.createChat(chatBody(mock.url, receiver.url, { visitor: { name: 'Typist' } }))
  const chatId = created.body.chatId as string
  const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'Typist' && chat.state !== 'ended')
  mock.admin.accept(la.id)
  await receiver.waitForType(chatId, 'agent.joined')

  // Delivered, with their queuing and numbering only in memory: the stored cursor predates them.
  const sent = Array.from({ length: MESSAGES }, (_, i) => `sent ${i + 1}`)
  for (const [i, text] of sent.entries()) {
    expect((await client.sendMessage(chatId, `s${i + 1}`, text)).status).toBe(202)
  }
  await eventually(() => visitorLines(la.id).length === MESSAGES)
  const sequencesBefore = mock.admin.chat(la.id)!.sequences.length
  expect(await killed.stop('SIGKILL')).toBeNull()
  killed = undefined

  const reads = holdOutboxReads()
  let postsWhileHeld: number
  try {
    second = await startHopServer(hopConfig(dir.path))
    const secondClient = new HopTestClient(second.url, TENANT, SECRET)
    // The resumed pump is waiting on its first outbox read when the typing hint comes.
    await eventually(() => reads.held() > 0)
    expect((await secondClient.typing(chatId, true)).status).toBeLessThan(300)
    // Give a hint that was not held the time to go out (it would take the first re-offered message's number).
    await new Promise((resolve) => setTimeout(resolve, 300))
    postsWhileHeld = mock.admin.chat(la.id)!.sequences.length - sequencesBefore
  } finally {
    reads.release()
    reads.restore()
  }
  // The hint goes out after the re-offered messages, under a number of its own (a ChatMessage clears it: look now).
  const typingShown = await eventually(() => mock.admin.chat(la.id)!.visitorTyping).then(
    () => true,
    () => false
  )
  expect((await new HopTestClient(second.url, TENANT, SECRET).sendMessage(chatId, 'a1', 'after')).status).toBe(202)
  await eventually(() => visitorLines(la.id).includes('after'))
  expect(visitorLines(la.id)).toEqual([...sent, 'after'])
  expect(postsWhileHeld).toBe(0)
  expect(typingShown).toBe(true)
  expect(mock.admin.stats().conflicts409).toBe(0)
  expect(mock.admin.stats().violations).toEqual([])
})
