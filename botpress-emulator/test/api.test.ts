// The emulated API through the real @botpress/client the integration ships with: the semantics the integration
// relies on, the errors the Cloud answers with, and what the bot is told about.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Client, isApiError } from '@botpress/client'
import { BotpressServer, type Created } from '../src/index.js'

describe('the emulated Botpress API through @botpress/client', () => {
  let server: BotpressServer
  let client: Client
  const created: Created[] = []

  beforeAll(async () => {
    server = await BotpressServer.start({
      botId: 'bot_test',
      integrationName: 'liveagent-hop',
      webhookId: 'wh_test',
      onCreated: (item) => void created.push(item),
    })
    client = new Client({ apiUrl: server.url, botId: 'bot_test', retry: { retries: 0 } })
  })
  afterAll(async () => {
    await server?.close()
  })

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (thrown: unknown) => thrown
    )

  it('finds users and conversations by their discriminating tags and filters lists by tags', async () => {
    const first = await client.getOrCreateUser({
      name: 'Alex',
      tags: { agentId: '005A', role: 'agent' },
      discriminateByTags: ['agentId'],
    })
    const again = await client.getOrCreateUser({
      name: 'Other',
      tags: { agentId: '005A', role: 'x' },
      discriminateByTags: ['agentId'],
    })
    expect(again.user.id).toBe(first.user.id)

    const { conversation } = await client.createConversation({ channel: 'hitl', tags: { upstream: 'c1' } })
    expect(conversation.integration).toBe('liveagent-hop')
    await client.updateConversation({
      id: conversation.id,
      tags: { chatId: 'chat_1', upstream: null as unknown as string },
    })
    const { conversation: read } = await client.getConversation({ id: conversation.id })
    expect(read.tags).toEqual({ upstream: 'c1', chatId: 'chat_1' })
    const { conversations } = await client.listConversations({ channel: 'hitl', tags: { chatId: 'chat_1' } })
    expect(conversations.map((c) => c.id)).toEqual([conversation.id])
    expect((await client.listConversations({ tags: { chatId: 'chat_2' } })).conversations).toEqual([])
  })

  it('lists messages newest first, and tells the bot of each created message once', async () => {
    const { conversation } = await client.createConversation({ channel: 'hitl', tags: {} })
    const { user } = await client.createUser({ name: 'Agent', tags: {} })
    const input = { conversationId: conversation.id, userId: user.id, type: 'text', payload: { text: 'one' } }
    const one = await client.getOrCreateMessage({ ...input, tags: { hop: 'e1' }, discriminateByTags: ['hop'] })
    const redelivered = await client.getOrCreateMessage({ ...input, tags: { hop: 'e1' }, discriminateByTags: ['hop'] })
    const two = await client.createMessage({ ...input, payload: { text: 'two' }, tags: {} })
    expect(redelivered.message.id).toBe(one.message.id)
    expect(one.message.direction).toBe('incoming')
    const { messages } = await client.listMessages({ conversationId: conversation.id })
    expect(messages.map((m) => m.payload.text)).toEqual(['two', 'one'])
    expect(two.message.createdAt > one.message.createdAt).toBe(true)
    const heard = created.filter((c) => c.kind === 'message' && c.message.conversationId === conversation.id)
    expect(heard).toHaveLength(2)
  })

  it('keeps states: 404 before the first set, patches merge, a null payload deletes', async () => {
    const key = { type: 'conversation' as const, id: 'conv_x', name: 'handoff' }
    const missing = await failure(client.getState(key))
    expect(isApiError(missing) && missing.code).toBe(404)
    await client.setState({ ...key, payload: { status: 'connecting', chatId: null } })
    await client.patchState({ ...key, payload: { chatId: 'chat_1' } })
    expect((await client.getState(key)).state.payload).toEqual({ status: 'connecting', chatId: 'chat_1' })
    expect((await client.getOrSetState({ ...key, payload: { other: true } })).state.payload).toMatchObject({
      chatId: 'chat_1',
    })
    await client.setState({ ...key, payload: null })
    expect(isApiError(await failure(client.getState(key)))).toBe(true)
  })

  it('answers bad input with a 400 and changes nothing', async () => {
    const before = server.store.conversations.size
    const noChannel = await fetch(`${server.url}/v1/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: {} }),
    })
    expect(noChannel.status).toBe(400)
    expect(await noChannel.json()).toMatchObject({ code: 400, type: 'InvalidPayload' })
    const badState = await fetch(`${server.url}/v1/chat/states/planet/x/y`)
    expect(await badState.json()).toMatchObject({ code: 400, type: 'InvalidPayload' })
    const notJson = await fetch(`${server.url}/v1/chat/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toMatchObject({ message: 'the body is not JSON' })
    expect(server.store.conversations.size).toBe(before)
  })

  it('records every call and fails the scheduled ones with a 500', async () => {
    server.store.failNext('getUser')
    const scheduled = await failure(client.getUser({ id: 'user_any' }))
    expect(isApiError(scheduled) && scheduled.code).toBe(500)
    const unknown = await failure(client.getUser({ id: 'user_nope' }))
    expect(isApiError(unknown) && [unknown.code, unknown.message]).toEqual([404, 'User user_nope does not exist'])
    expect(server.store.callsOf('getUser')).toEqual([{ id: 'user_any' }, { id: 'user_nope' }])
  })
})
