// The local Botpress, called with the real @botpress/client the integration uses: what the integration relies on
// (tags, get-or-create, states and their 404, the bot hearing about what the integration creates) and clear errors
// for bad input and for webhooks nobody listens to.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Client, isApiError, type Event, type Message } from '@botpress/client'
import { pino } from 'pino'
import { LocalBotpress, type IncomingMessage } from '../src/botpress/local-botpress.js'

const WEBHOOK_ID = 'wh_test'

describe('local Botpress API through @botpress/client', () => {
  let botpress: LocalBotpress
  let client: Client
  const heard: { messages: Message[]; events: Event[] } = { messages: [], events: [] }

  beforeAll(async () => {
    botpress = await LocalBotpress.start({
      host: '127.0.0.1',
      port: 0,
      botId: 'bot_test',
      botUserId: 'user_bot_test',
      integrationName: 'liveagent-hop',
      webhookId: WEBHOOK_ID,
      logger: pino({ level: 'silent' }),
    })
    botpress.connectBot({
      onMessage: async ({ message }: IncomingMessage) => void heard.messages.push(message),
      onEvent: async (event: Event) => void heard.events.push(event),
      onAgentTyping: async () => undefined,
    })
    client = new Client({ apiUrl: botpress.url, botId: 'bot_test', retry: { retries: 0 } })
  })

  afterAll(async () => {
    await botpress?.close()
  })

  it('keeps users, conversations, messages and states as the integration expects', async () => {
    const { user: agent } = await client.getOrCreateUser({
      name: 'Alex',
      tags: { role: 'agent', agentId: '005A' },
      discriminateByTags: ['agentId'],
    })
    const { user: same } = await client.getOrCreateUser({
      name: 'Alex again',
      tags: { role: 'agent', agentId: '005A' },
      discriminateByTags: ['agentId'],
    })
    expect(same.id).toBe(agent.id)

    const { conversation } = await client.createConversation({
      channel: 'hitl',
      tags: { upstreamConversationId: 'c1' },
    })
    expect(conversation.integration).toBe('liveagent-hop')
    await client.updateConversation({ id: conversation.id, tags: { chatId: 'chat_1' } })
    const { conversations } = await client.listConversations({ channel: 'hitl', tags: { chatId: 'chat_1' } })
    expect(conversations.map((c) => c.id)).toEqual([conversation.id])

    const key = { type: 'conversation' as const, id: conversation.id, name: 'handoff' }
    const missing = await client.getState(key).catch((thrown: unknown) => thrown)
    expect(isApiError(missing) && missing.code).toBe(404)
    await client.setState({ ...key, payload: { status: 'connecting', chatId: null } })
    await client.patchState({ ...key, payload: { chatId: 'chat_1' } })
    expect((await client.getState(key)).state.payload).toEqual({ status: 'connecting', chatId: 'chat_1' })

    const first = await client.getOrCreateMessage({
      conversationId: conversation.id,
      userId: agent.id,
      type: 'text',
      payload: { text: 'Hello' },
      tags: { hopEvent: 'chat_1#3#0' },
      discriminateByTags: ['hopEvent'],
    })
    const again = await client.getOrCreateMessage({
      conversationId: conversation.id,
      userId: agent.id,
      type: 'text',
      payload: { text: 'Hello' },
      tags: { hopEvent: 'chat_1#3#0' },
      discriminateByTags: ['hopEvent'],
    })
    expect(again.message.id).toBe(first.message.id)
    await client.createEvent({ type: 'hitlAssigned', payload: { conversationId: conversation.id, userId: agent.id } })

    // The bot hears each created message once (not the redelivery) and the event, in order.
    await botpress.idle()
    expect(heard.messages.map((m) => m.id)).toEqual([first.message.id])
    expect(heard.events.map((e) => e.type)).toEqual(['hitlAssigned'])
  })

  it('answers bad input with Botpress error bodies', async () => {
    const noChannel = await fetch(`${botpress.url}/v1/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: {} }),
    })
    expect(noChannel.status).toBe(400)
    expect(await noChannel.json()).toMatchObject({ code: 400, type: 'InvalidPayload' })

    const unknownUser = await client.getUser({ id: 'user_nope' }).catch((thrown: unknown) => thrown)
    expect(isApiError(unknownUser) && unknownUser.message).toBe('User user_nope does not exist')

    const notJson = await fetch(`${botpress.url}/v1/chat/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toMatchObject({ message: 'the body is not JSON' })
  })

  it('relays webhooks only for its webhook id, and only once an integration runs', async () => {
    const post = (path: string) =>
      fetch(`${botpress.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    const unknown = await post('/webhook/wh_other')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ message: 'no integration listens on webhook wh_other' })
    const early = await post(`/webhook/${WEBHOOK_ID}`)
    expect(early.status).toBe(503)
    expect(botpress.webhookUrl).toBe(`${botpress.url}/webhook/${WEBHOOK_ID}`)
  })
})
