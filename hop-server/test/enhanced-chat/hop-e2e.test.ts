// Enhanced Chat through the whole hop server: the bridge API (POST /v1/chats with backend enhanced-chat), the pump,
// the store and signed webhooks, against the simulator on loopback; then kill -9 of the real hop process mid-chat.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { SECRET, TENANT, TENANTS, eventually, hopConfig, tempDir } from '../support/harness.js'
import { fastEnv, startHopProcess, type HopProcess } from '../support/hop-process.js'

const dir = tempDir('hop-ec-e2e-')
const crashDir = tempDir('hop-ec-crash-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopServer
let client: HopTestClient
const processes: HopProcess[] = []
let conversations = 0

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', acceptDelayMs: 20, logLevel: 'silent' })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  hop = await startHopServer(hopConfig(dir.path))
  client = new HopTestClient(hop.url, TENANT, SECRET)
})

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')))
  await hop?.close()
  await receiver?.close()
  await mock?.close()
  dir.remove()
  crashDir.remove()
})

function ecBody(enhancedChat: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  conversations += 1
  return {
    backend: 'enhanced-chat',
    conversationId: `conv_ec_${Date.now()}_${conversations}`,
    webhookUrl: receiver.url,
    enhancedChat: {
      scrtUrl: mock.url,
      orgId: mock.options.orgId,
      esDeveloperName: mock.options.esDeveloperName,
      routingAttributes: { _firstName: 'Ada', _lastName: 'Lovelace' },
      ...enhancedChat,
    },
    visitor: { name: 'Ada', language: 'en-US' },
    ...extra,
  }
}

const types = (events: { type: string }[]) => events.map((event) => event.type)
const agentTexts = (events: { type: string; data: Record<string, unknown> }[]) =>
  events.filter((event) => event.type === 'agent.message').map((event) => event.data.text)
const visitorLines = (id: string) =>
  (mock.enhanced.conversation(id)?.transcript ?? []).filter((line) => line.from === 'visitor').map((line) => line.text)

describe('an Enhanced Chat hand-off through the hop server', () => {
  it('queues, the agent joins, the transcript and messages reach the agent once, the agent ends', async () => {
    const created = await client.createChat(
      ecBody(
        {},
        {
          transcript: [
            { role: 'visitor', text: 'Where is my order?', at: '2026-11-24T10:00:00.000Z' },
            { role: 'bot', text: 'Let me check.', at: '2026-11-24T10:00:01.000Z' },
          ],
          transcriptDelivery: { mode: 'summary', prechatField: 'Bot_Transcript' },
        }
      )
    )
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string
    const view = await mock.enhanced.waitFor((c) => c.visitorName === 'Ada Lovelace' && c.state !== 'ended')
    expect(view.routingAttributes['Bot_Transcript']).toContain('Where is my order?')
    await receiver.waitForType(chatId, 'chat.queued')

    expect((await client.sendMessage(chatId, 'm1', 'Hello?')).body).toEqual({ accepted: true, duplicate: false })
    expect((await client.sendMessage(chatId, 'm1', 'Hello?')).body).toEqual({ accepted: true, duplicate: true })
    mock.enhanced.accept(view.id, { agentName: 'Jane Agent' })
    await receiver.waitForType(chatId, 'agent.joined')
    expect((await client.status(chatId)).body).toMatchObject({ state: 'agent', agent: { name: 'Jane Agent' } })

    mock.enhanced.agentMessage(view.id, 'Hi Ada')
    await receiver.waitFor(chatId, (events) => agentTexts(events).includes('Hi Ada'))
    await eventually(() => visitorLines(view.id).length >= 2)
    const lines = visitorLines(view.id)
    expect(lines[0]).toContain('Where is my order?')
    expect(lines.slice(1)).toEqual(['Hello?'])

    mock.enhanced.endChat(view.id)
    const events = await receiver.waitForType(chatId, 'chat.ended')
    expect(types(events)).toEqual(['chat.queued', 'agent.joined', 'agent.message', 'chat.ended'])
    expect(events[3]?.data).toMatchObject({ reason: 'agent' })
    expect((await client.status(chatId)).body).toMatchObject({ state: 'ended', endReason: 'agent' })
  })

  it('ends from the visitor side: the session ends, then the conversation closes', async () => {
    const created = await client.createChat(ecBody())
    const chatId = created.body.chatId as string
    await receiver.waitForType(chatId, 'chat.queued')
    const view = mock.enhanced.conversations().find((c) => c.state !== 'ended')!
    mock.enhanced.accept(view.id)
    await receiver.waitForType(chatId, 'agent.joined')
    expect((await client.end(chatId, 'visitor')).status).toBe(202)
    await eventually(() => mock.enhanced.conversation(view.id)?.closed)
    expect(mock.enhanced.conversation(view.id)).toMatchObject({ sessionStatus: 'Ended', closed: true })
    const events = await receiver.waitForType(chatId, 'chat.ended')
    expect(events.at(-1)?.data).toMatchObject({ reason: 'visitor' })
  })

  it('refuses bad input with a 400 naming the field, and creates nothing', async () => {
    const before = mock.enhanced.conversations().length
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ orgId: '00D5g000004AbC' }, /^enhancedChat\.orgId: an org id has 15 or 18 characters/],
      [
        { scrtUrl: 'https://acme.my.salesforce.com' },
        /^enhancedChat\.scrtUrl: .*not on the allowlist \(\*\.my\.salesforce-scrt\.com/,
      ],
      [{ esDeveloperName: 'Not a name' }, /^enhancedChat\.esDeveloperName: /],
    ]
    for (const [target, message] of cases) {
      const answer = await client.createChat(ecBody(target))
      expect(answer.status).toBe(400)
      expect(answer.body.message).toMatch(message)
    }
    const noTarget = await client.createChat({ ...ecBody(), enhancedChat: undefined })
    expect(noTarget.status).toBe(400)
    expect(noTarget.body.message).toMatch(/^enhancedChat: /)
    const mixed = await client.createChat({
      ...ecBody(),
      liveAgent: {
        endpoint: 'https://x.salesforceliveagent.com/chat',
        organizationId: '00D5g000004XXXX',
        deploymentId: '5725g000000XXXX',
        buttonId: '5735g000000XXXX',
        apiVersion: '63',
      },
    })
    expect(mixed.status).toBe(400)
    expect(mixed.body.message).toBe('liveAgent does not belong in a chat on the enhanced-chat backend')
    expect(mock.enhanced.conversations()).toHaveLength(before)
  })

  it('ends the chat naming the field when Salesforce does not know the deployment; nothing is created there', async () => {
    const before = mock.enhanced.conversations().length
    const created = await client.createChat(ecBody({ esDeveloperName: 'No_Such_Deployment' }))
    expect(created.status).toBe(201)
    const events = await receiver.waitForType(created.body.chatId as string, 'chat.ended')
    expect(events.at(-1)?.data).toMatchObject({ reason: 'error' })
    expect(String(events.at(-1)?.data.detail)).toMatch(
      /^enhancedChat\.esDeveloperName: Salesforce does not know the deployment No_Such_Deployment/
    )
    expect(mock.enhanced.conversations()).toHaveLength(before)
  })
})

describe('kill -9 of the hop process mid Enhanced Chat', () => {
  it('resumes the stream from the stored cursor: nothing lost, nothing twice, in order', async () => {
    const env = fastEnv({ HOP_DATA_DIR: crashDir.path })
    const first = await startHopProcess(env)
    processes.push(first)
    const firstClient = new HopTestClient(first.url, TENANT, SECRET)
    const created = await firstClient.createChat(
      ecBody({ routingAttributes: { _firstName: 'Kill', _lastName: 'Nine' } })
    )
    expect(created.status).toBe(201)
    const chatId = created.body.chatId as string
    const view = await mock.enhanced.waitFor((c) => c.visitorName === 'Kill Nine')
    mock.enhanced.accept(view.id)
    await receiver.waitForType(chatId, 'agent.joined')
    mock.enhanced.agentMessage(view.id, 'before the kill')
    await receiver.waitFor(chatId, (events) => agentTexts(events).includes('before the kill'))
    for (const n of [1, 2, 3]) expect((await firstClient.sendMessage(chatId, `v${n}`, `visitor ${n}`)).status).toBe(202)
    expect(await first.stop('SIGKILL')).toBeNull()

    const whileDown = ['while down 1', 'while down 2', 'while down 3']
    for (const text of whileDown) mock.enhanced.agentMessage(view.id, text)

    const second = await startHopProcess(env)
    processes.push(second)
    const events = await receiver.waitFor(chatId, (received) => agentTexts(received).length === 4, 20_000)
    expect(agentTexts(events)).toEqual(['before the kill', ...whileDown])
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
    await eventually(() => visitorLines(view.id).length >= 3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(visitorLines(view.id)).toEqual(['visitor 1', 'visitor 2', 'visitor 3'])
    expect(mock.enhanced.conversations().filter((c) => c.visitorName === 'Kill Nine')).toHaveLength(1)
  }, 60_000)
})
