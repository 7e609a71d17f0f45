// A whole chat through real servers: the mock Live Agent, the hop server (SQLite in a temp dir) and a webhook
// receiver that verifies signatures.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, TENANTS, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'

const dir = tempDir('hop-e2e-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopServer
let client: HopTestClient

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  hop = await startHopServer(hopConfig(dir.path))
  client = new HopTestClient(hop.url, TENANT, SECRET)
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

const types = (events: { type: string }[]) => events.map((event) => event.type)

describe('a whole chat', () => {
  it('queues, the agent joins, messages go both ways in order, the agent ends', async () => {
    const created = await client.createChat(
      chatBody(mock.url, receiver.url, {
        transcript: [
          { role: 'visitor', text: 'Where is my order?', at: '2026-11-24T10:00:00.000Z' },
          { role: 'bot', text: 'Let me check.', at: '2026-11-24T10:00:01.000Z' },
        ],
        transcriptDelivery: { mode: 'summary' },
      })
    )
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ state: 'connecting', created: true })
    const chatId = created.body.chatId as string

    const la = await mock.admin.waitForChat((chat) => chat.state !== 'ended' && chat.visitorName === 'Ada')
    await receiver.waitForType(chatId, 'chat.queued')
    expect((await client.status(chatId)).body).toMatchObject({ state: 'queued' })

    // Sent before the agent joins: kept, and delivered after the transcript once the chat is established.
    expect((await client.sendMessage(chatId, 'm1', 'Hello?')).body).toEqual({ accepted: true, duplicate: false })
    expect((await client.sendMessage(chatId, 'm1', 'Hello?')).body).toEqual({ accepted: true, duplicate: true })

    mock.admin.accept(la.id, { agentName: 'Andy' })
    await receiver.waitForType(chatId, 'agent.joined')
    await eventually(() => mock.admin.chat(la.id)!.transcript.some((entry) => entry.text === 'Hello?'))

    expect((await client.sendMessage(chatId, 'm2', 'My order is 42')).status).toBe(202)
    mock.admin.agentMessage(la.id, 'Hi, I am Andy')
    mock.admin.agentMessage(la.id, 'Checking order 42')
    await receiver.waitFor(chatId, (events) => events.filter((e) => e.type === 'agent.message').length === 2)
    await eventually(() => mock.admin.chat(la.id)!.transcript.some((entry) => entry.text === 'My order is 42'))

    const visitorLines = mock.admin
      .chat(la.id)!
      .transcript.filter((entry) => entry.from === 'visitor')
      .map((entry) => entry.text)
    expect(visitorLines[0]).toContain('Conversation with the bot before the hand-off:')
    expect(visitorLines[0]).toContain('Visitor: Where is my order?')
    expect(visitorLines.slice(1)).toEqual(['Hello?', 'My order is 42'])

    expect((await client.status(chatId)).body).toMatchObject({ state: 'agent', agent: { name: 'Andy' } })

    mock.admin.endChat(la.id, 'agent')
    const events = await receiver.waitForType(chatId, 'chat.ended')
    expect(types(events)).toEqual(['chat.queued', 'agent.joined', 'agent.message', 'agent.message', 'chat.ended'])
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5])
    expect(events[2]).toMatchObject({ conversationId: created.body.conversationId, data: { text: 'Hi, I am Andy' } })
    expect(events[4]?.data).toEqual({ reason: 'agent' })
    expect((await client.status(chatId)).body).toMatchObject({ state: 'ended', endReason: 'agent' })
    expect((await client.sendMessage(chatId, 'm3', 'still there?')).status).toBe(409)
    await eventually(() => hop.ownedChats() === 0)
    expect(mock.admin.stats().conflicts409).toBe(0)
    expect(mock.admin.stats().violations).toEqual([])
  })

  it('ends from the visitor side: ChatEnd reaches Live Agent, chat.ended(visitor) the webhook', async () => {
    const created = await client.createChat(chatBody(mock.url, receiver.url))
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.state === 'waiting' && !chat.agent)
    mock.admin.accept(la.id)
    await receiver.waitForType(chatId, 'agent.joined')
    await client.sendMessage(chatId, 'bye-1', 'Thanks, bye')
    expect((await client.end(chatId)).body).toEqual({ state: 'ended' })
    expect((await client.end(chatId)).status).toBe(202)
    const events = await receiver.waitForType(chatId, 'chat.ended')
    expect(events.at(-1)?.data).toEqual({ reason: 'visitor' })
    await eventually(() => mock.admin.chat(la.id)!.state === 'ended')
    expect(mock.admin.chat(la.id)!.endReason).toBe('client')
    expect(mock.admin.chat(la.id)!.transcript.map((entry) => entry.text)).toContain('Thanks, bye')
    await eventually(() => hop.ownedChats() === 0)
  })
})

describe('queue and transcript', () => {
  it('reports queue positions, then sends the transcript line by line once the agent joins', async () => {
    const created = await client.createChat(
      chatBody(mock.url, receiver.url, {
        visitor: { name: 'Queued Ada' },
        transcript: [
          { role: 'visitor', text: 'I need help' },
          { role: 'bot', text: 'Sure, what about?' },
          { role: 'visitor', text: 'My invoice' },
        ],
        transcriptDelivery: { mode: 'messages', prechatField: 'Bot_Transcript__c' },
      })
    )
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'Queued Ada')
    await receiver.waitForType(chatId, 'chat.queued')
    mock.admin.queueUpdate(la.id, 2)
    await receiver.waitFor(chatId, (events) => events.some((e) => e.type === 'chat.queued' && e.data.position === 2))
    expect((await client.status(chatId)).body).toMatchObject({ state: 'queued', queuePosition: 2 })
    await client.sendMessage(chatId, 'q1', 'Still waiting')

    mock.admin.accept(la.id)
    await eventually(() => mock.admin.chat(la.id)!.transcript.some((entry) => entry.text === 'Still waiting'))
    expect(
      mock.admin
        .chat(la.id)!
        .transcript.filter((entry) => entry.from === 'visitor')
        .map((entry) => entry.text)
    ).toEqual(['Visitor: I need help', 'Bot: Sure, what about?', 'Visitor: My invoice', 'Still waiting'])
    mock.admin.endChat(la.id)
    await receiver.waitForType(chatId, 'chat.ended')
  })

  it('cancels a queued chat: DELETE of the session, chat.ended(visitor), no messages sent', async () => {
    const created = await client.createChat(chatBody(mock.url, receiver.url, { visitor: { name: 'Impatient' } }))
    const chatId = created.body.chatId as string
    const la = await mock.admin.waitForChat((chat) => chat.visitorName === 'Impatient')
    await receiver.waitForType(chatId, 'chat.queued')
    await client.sendMessage(chatId, 'i1', 'hello?')
    expect((await client.end(chatId)).status).toBe(202)
    const events = await receiver.waitForType(chatId, 'chat.ended')
    expect(types(events)).toEqual(['chat.queued', 'chat.ended'])
    await eventually(() => mock.admin.chat(la.id)!.state === 'ended')
    expect(mock.admin.chat(la.id)!.transcript.filter((entry) => entry.from === 'visitor')).toEqual([])
  })
})
