// kill -9 of the real liveagent-hop process in the middle of a chat, then a restart on the same SQLite file:
// the chat goes on, agent messages typed while it was down arrive exactly once and in order, and visitor
// messages accepted just before the kill reach the agent exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

const VISITOR_BURST = 6
const AGENT_BURST = 5
const SLOW_POST_MS = 1000
const dir = tempDir('hop-crash-')
let mock: MockServer
let receiver: WebhookReceiver
const processes: HopProcess[] = []

/** Default replica id: with SQLite it is stable, so the restarted process reclaims its chats at once. */
async function startHop(): Promise<HopProcess> {
  const hop = await startHopProcess(fastEnv({ HOP_DATA_DIR: dir.path }))
  processes.push(hop)
  return hop
}

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
})

afterAll(async () => {
  await Promise.all(processes.map((hop) => hop.stop('SIGKILL')))
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

const agentTexts = (events: { type: string; data: Record<string, unknown> }[]) =>
  events.filter((event) => event.type === 'agent.message').map((event) => event.data.text)

describe('kill -9 mid-chat and restart', () => {
  it('resumes from the store: nothing lost, nothing twice, in order', async () => {
    const first = await startHop()
    const client = new HopTestClient(first.url, TENANT, SECRET)
    const created = await client.createChat(chatBody(mock.url, receiver.url))
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.state !== 'ended')
    mock.admin.accept(la.id)
    await receiver.waitForType(chatId, 'agent.joined')
    mock.admin.agentMessage(la.id, 'before the crash')
    await receiver.waitFor(chatId, (events) => agentTexts(events).includes('before the crash'))

    // Accepted (202 = stored) right before the kill. Live Agent holds the first ChatMessage for a while, so at
    // the kill it is on the wire (the server will apply it) and the others wait in the stored cursor.
    mock.admin.injectFault({ resource: 'ChatMessage', kind: 'delay', delayMs: SLOW_POST_MS, count: 1 })
    const visitorTexts = Array.from({ length: VISITOR_BURST }, (_, i) => `visitor ${i + 1}`)
    for (const [i, text] of visitorTexts.entries()) {
      expect((await client.sendMessage(chatId, `v${i + 1}`, text)).status).toBe(202)
    }
    expect(await first.stop('SIGKILL')).toBeNull()

    const whileDown = Array.from({ length: AGENT_BURST }, (_, i) => `while down ${i + 1}`)
    for (const text of whileDown) mock.admin.agentMessage(la.id, text)

    const second = await startHop()
    const events = await receiver.waitFor(chatId, (received) => agentTexts(received).length === 1 + AGENT_BURST, 20_000)
    expect(agentTexts(events)).toEqual(['before the crash', ...whileDown])
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))

    await eventually(
      () => mock.admin.chat(la.id)!.transcript.filter((entry) => entry.from === 'visitor').length >= VISITOR_BURST
    )
    const secondClient = new HopTestClient(second.url, TENANT, SECRET)
    expect((await secondClient.sendMessage(chatId, 'after', 'after the restart')).status).toBe(202)
    await eventually(() => mock.admin.chat(la.id)!.transcript.some((entry) => entry.text === 'after the restart'))
    const visitorLines = mock.admin
      .chat(la.id)!
      .transcript.filter((entry) => entry.from === 'visitor')
      .map((entry) => entry.text)
    expect(visitorLines).toEqual([...visitorTexts, 'after the restart'])
    // The post in flight at the kill was sent again with its sequence number, and Live Agent dropped the copy.
    const sequences = mock.admin.chat(la.id)!.sequences
    expect(new Set(sequences).size).toBeLessThan(sequences.length)

    expect((await secondClient.end(chatId)).status).toBe(202)
    const final = await receiver.waitForType(chatId, 'chat.ended')
    expect(final.at(-1)?.data).toEqual({ reason: 'visitor' })
    await eventually(() => mock.admin.chat(la.id)!.state === 'ended')
    expect(mock.admin.stats().conflicts409).toBe(0)
    expect(mock.admin.stats().violations).toEqual([])
    expect(await second.stop('SIGTERM')).toBe(0)
  })
})
