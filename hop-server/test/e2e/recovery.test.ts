// Recovery paths through real servers: a 503 server hand-over in the middle of a chat, a webhook receiver that
// is down for a while (and one that never comes back: dead letters), no agent available, and a Live Agent that
// cannot be reached at all.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import Database from 'better-sqlite3'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { freePort } from '../support/ports.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'

const DEAD_LETTER_MS = 600
const dir = tempDir('hop-recovery-')
let mock: MockServer
let receiver: WebhookReceiver
let otherReceiver: WebhookReceiver
let hop: HopServer
let client: HopTestClient

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  otherReceiver = await startWebhookReceiver({ secrets: TENANTS })
  hop = await startHopServer(hopConfig(dir.path))
  client = new HopTestClient(hop.url, TENANT, SECRET)
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  await otherReceiver?.close()
  await mock?.close()
  dir.remove()
})

let names = 0

/** Creates a chat whose agent has joined; returns its ids. */
async function establishedChat(webhook: WebhookReceiver = receiver) {
  names += 1
  const name = `visitor ${names}`
  const created = await client.createChat(chatBody(mock.url, webhook.url, { visitor: { name } }))
  const chatId = created.body.chatId as string
  const la = await mock.admin.waitForChat((chat) => chat.visitorName === name)
  mock.admin.accept(la.id)
  await webhook.waitForType(chatId, 'agent.joined')
  return { chatId, sessionId: la.id }
}

const agentTexts = (webhook: WebhookReceiver, chatId: string) =>
  webhook
    .events(chatId)
    .filter((event) => event.type === 'agent.message')
    .map((event) => event.data.text)

const visitorLines = (sessionId: string) =>
  mock.admin
    .chat(sessionId)!
    .transcript.filter((entry) => entry.from === 'visitor')
    .map((entry) => entry.text)

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${hop.url}/metrics`)).text()
  const line = text.split('\n').find((row) => row.startsWith(name))
  return line ? Number(line.split(' ').at(-1)) : 0
}

describe('503 server hand-over', () => {
  it('reconnects mid-chat and loses nothing either way', async () => {
    const { chatId, sessionId } = await establishedChat()
    mock.admin.agentMessage(sessionId, 'before')
    await receiver.waitFor(chatId, () => agentTexts(receiver, chatId).includes('before'))
    const handovers = await metric('hop_liveagent_responses_total{status="503"}')

    mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId })
    // The held poll answers 503 at once; messages both ways go on through the reconnected session.
    await client.sendMessage(chatId, 'h1', 'during the hand-over')
    mock.admin.agentMessage(sessionId, 'after 1')
    mock.admin.agentMessage(sessionId, 'after 2')
    await receiver.waitFor(chatId, () => agentTexts(receiver, chatId).length === 3)
    await client.sendMessage(chatId, 'h2', 'after the hand-over')
    await eventually(() => visitorLines(sessionId).includes('after the hand-over'))

    expect(agentTexts(receiver, chatId)).toEqual(['before', 'after 1', 'after 2'])
    expect(visitorLines(sessionId)).toEqual(['during the hand-over', 'after the hand-over'])
    expect(mock.admin.chat(sessionId)!.handoverPending).toBe(false)
    expect(await metric('hop_liveagent_responses_total{status="503"}')).toBeGreaterThan(handovers)
    expect(mock.admin.stats().conflicts409).toBe(0)
    mock.admin.endChat(sessionId)
    await receiver.waitForType(chatId, 'chat.ended')
  })
})

describe('webhook receiver down', () => {
  it('holds the chat’s events while the receiver is down, delivers them in order after, and never blocks other chats', async () => {
    const down = await establishedChat()
    const healthy = await establishedChat(otherReceiver)
    const failuresBefore = await metric('hop_webhook_failures_total')

    receiver.fail('always')
    const texts = ['one', 'two', 'three', 'four']
    for (const text of texts) mock.admin.agentMessage(down.sessionId, text)
    await eventually(async () => (await hop.store.pendingWebhookCount(down.chatId)) === texts.length)
    await eventually(async () => (await metric('hop_webhook_failures_total')) > failuresBefore + 1)

    // Another chat's receiver is fine: its events flow meanwhile.
    mock.admin.agentMessage(healthy.sessionId, 'unaffected')
    await otherReceiver.waitFor(healthy.chatId, () => agentTexts(otherReceiver, healthy.chatId).includes('unaffected'))
    expect(agentTexts(receiver, down.chatId)).toEqual([])

    receiver.recover()
    await receiver.waitFor(down.chatId, () => agentTexts(receiver, down.chatId).length === texts.length)
    expect(agentTexts(receiver, down.chatId)).toEqual(texts)
    const seqs = receiver.events(down.chatId).map((event) => event.seq)
    expect(seqs).toEqual(seqs.map((_, index) => index + 1))
    // In order on the wire too: each delivery's seq is at most one past the highest seen before it.
    let highest = 0
    for (const event of receiver.deliveries.filter((delivery) => delivery.chatId === down.chatId)) {
      expect(event.seq).toBeLessThanOrEqual(highest + 1)
      highest = Math.max(highest, event.seq)
    }
    for (const chat of [down, healthy]) mock.admin.endChat(chat.sessionId)
  })

  it('dead-letters a chat’s events after the dead-letter time, with a metric', async () => {
    const deadDir = `${dir.path}/dead`
    const strict = await startHopServer(hopConfig(deadDir, { webhooks: { deadLetterMs: DEAD_LETTER_MS } }))
    try {
      const sink = await startWebhookReceiver({ secrets: TENANTS })
      sink.fail('always')
      const strictClient = new HopTestClient(strict.url, TENANT, SECRET)
      const created = await strictClient.createChat(chatBody(mock.url, sink.url, { visitor: { name: 'dead letter' } }))
      const chatId = created.body.chatId as string
      const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'dead letter')
      mock.admin.accept(la.id)
      mock.admin.agentMessage(la.id, 'nobody hears this')
      mock.admin.endChat(la.id)
      await eventually(async () =>
        (await strict.store.deadLetters(chatId)).some((event) => event.type === 'chat.ended')
      )
      const dead = await strict.store.deadLetters(chatId)
      expect(dead.map((event) => event.type)).toEqual(['chat.queued', 'agent.joined', 'agent.message', 'chat.ended'])
      expect(await strict.store.pendingWebhookCount(chatId)).toBe(0)
      const text = await (await fetch(`${strict.url}/metrics`)).text()
      expect(text).toMatch(/^hop_webhook_dead_letters_total [1-9]/m)
      // Nothing left to do: the chat retires and is no longer held.
      await eventually(() => strict.ownedChats() === 0)
      expect(sink.events(chatId)).toEqual([])
      await sink.close()
    } finally {
      await strict.close()
    }
  })
})

describe('no agent', () => {
  it('ends the chat with no_agent when Live Agent reports nobody available', async () => {
    mock.admin.setAvailability(false)
    try {
      const availability = await client.get(
        `/v1/availability?${new URLSearchParams({ ...chatBody(mock.url, receiver.url).liveAgent })}`
      )
      expect(availability.status).toBe(200)
      expect(availability.body).toMatchObject({ available: false, buttons: [{ available: false }] })

      const created = await client.createChat(chatBody(mock.url, receiver.url))
      const chatId = created.body.chatId as string
      const events = await receiver.waitForType(chatId, 'chat.ended')
      expect(events.at(-1)?.data).toEqual({ reason: 'no_agent', detail: 'Unavailable' })
      expect((await client.status(chatId)).body).toMatchObject({ state: 'ended', endReason: 'no_agent' })
    } finally {
      mock.admin.setAvailability(true)
    }
    const availability = await client.get(
      `/v1/availability?${new URLSearchParams({ ...chatBody(mock.url, receiver.url).liveAgent })}`
    )
    expect(availability.body).toMatchObject({ available: true })
  })

  it('ends the chat with an error when Live Agent cannot be reached within the retry budget', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`
    const created = await client.createChat(chatBody(nowhere, receiver.url))
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string
    const events = await receiver.waitForType(chatId, 'chat.ended', 15_000)
    expect(events.at(-1)?.data).toMatchObject({ reason: 'error', detail: expect.stringMatching(/Live Agent session/) })
    // Nothing left to do for it: retired, its lease gone.
    await eventually(async () => (await hop.store.leaseOwner(chatId)) === undefined)

    // A visitor who gives up while Live Agent is unreachable: the chat ends as theirs and retires too.
    const cancelled = (await client.createChat(chatBody(nowhere, receiver.url))).body.chatId as string
    expect((await client.end(cancelled)).status).toBe(202)
    expect((await receiver.waitForType(cancelled, 'chat.ended')).at(-1)?.data).toEqual({ reason: 'visitor' })
    await eventually(async () => (await hop.store.leaseOwner(cancelled)) === undefined)
    const unreachable = await client.get(
      `/v1/availability?${new URLSearchParams({ ...chatBody(nowhere, '').liveAgent })}`
    )
    expect(unreachable.status).toBe(502)
  })
})

describe('a damaged store', () => {
  it('ends a chat whose stored cursor cannot be resumed instead of retrying forever', async () => {
    const dataDir = `${dir.path}/damaged`
    const first = await startHopServer(hopConfig(dataDir))
    const created = await new HopTestClient(first.url, TENANT, SECRET).createChat(
      chatBody(mock.url, receiver.url, { visitor: { name: 'damaged' } })
    )
    const chatId = created.body.chatId as string
    await receiver.waitForType(chatId, 'chat.queued')
    await first.close()
    const db = new Database(`${dataDir}/hop.sqlite`)
    db.prepare('UPDATE chats SET pump = ? WHERE chat_id = ?').run(
      JSON.stringify({
        cursor: { version: 1, broken: true },
        outboxDone: 0,
        outboxSending: null,
        liveAgentClosed: false,
      }),
      chatId
    )
    db.close()
    const second = await startHopServer(hopConfig(dataDir))
    try {
      const events = await receiver.waitForType(chatId, 'chat.ended')
      expect(events.at(-1)?.data).toEqual({ reason: 'error', detail: 'the stored Live Agent cursor is invalid' })
      await eventually(() => second.ownedChats() === 0)
    } finally {
      await second.close()
    }
  })
})
