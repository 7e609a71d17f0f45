import { botpressHeaders } from '@liveagent-hop/botpress-emulator'
import { FakeHopServer } from './support/fake-hop-server.js'
import { testConfiguration, TEST_IDENTITY, TEST_SECRET, TEST_TENANT } from './support/fakes.js'
import { ANDY } from './support/harness.js'
import { IntegrationServer } from './support/integration-server.js'

describe("through the SDK's HTTP dispatcher, with a fake Botpress API and webhook relay", () => {
  let hop: FakeHopServer
  let bp: IntegrationServer

  beforeAll(async () => {
    hop = await FakeHopServer.start({ [TEST_TENANT]: TEST_SECRET })
    bp = await IntegrationServer.start(testConfiguration(hop.url))
  })
  afterAll(async () => {
    await bp.close()
    await hop.close()
  })
  beforeEach(() => {
    bp.configuration = testConfiguration(hop.url)
  })

  const store = () => bp.botpress.store

  it('checks the configuration and the hop server on register', async () => {
    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
    expect(hop.callsTo('GET', '/v1/availability')).toHaveLength(1)

    bp.configuration = testConfiguration(hop.url, { sharedSecret: 'this-is-not-the-secret' })
    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({
      status: 400,
      body: {
        type: 'Runtime',
        message:
          'The hop server rejected the signature (signature does not match). Check the tenant id and the shared secret.',
      },
    })
    expect(bp.printed.some((line) => line.includes('rejected the signature'))).toBe(true)
  })

  it('runs a hand-off end to end: actions, webhook relay, channel, hand-back', async () => {
    const created = await bp.botpress.callAction('createUser', { name: 'Ada', email: 'ada@example.com' })
    expect(created.status).toBe(200)
    const { userId } = (created.body as { output: { userId: string } }).output

    const started = await bp.botpress.callAction('startHitl', {
      userId,
      title: 'Late parcel',
      hitlSession: { upstreamConversationId: 'conv_bot_http' },
      messageHistory: [{ source: { type: 'user', userId }, type: 'text', payload: { text: 'chat with an agent' } }],
    })
    expect(started.status).toBe(200)
    const { conversationId } = (started.body as { output: { conversationId: string } }).output
    const chat = hop.chatOf(conversationId)
    expect(chat.webhookUrl).toBe(bp.webhookUrl)

    // The hop server posts to Botpress's webhook URL; Botpress relays it to the integration.
    await expect(hop.sendEvent(chat.chatId, 'chat.queued', { position: 1 })).resolves.toEqual({
      status: 200,
      body: JSON.stringify({ outcome: 'applied' }),
    })
    const sent = await bp.botpress.sendOutgoingMessage({
      conversationId,
      userId,
      type: 'text',
      // The HITL plugin copies the customer's message with their Botpress user as payload.userId.
      payload: { text: 'Hello?', userId },
    })
    expect(sent.status).toBe(200)
    await hop.sendEvent(chat.chatId, 'agent.joined', { agent: ANDY })
    await hop.sendEvent(chat.chatId, 'agent.message', { text: 'Hi Ada', agent: ANDY })
    await expect(hop.redeliver(chat.chatId, 3)).resolves.toEqual({
      status: 200,
      body: JSON.stringify({ outcome: 'duplicate' }),
    })
    await hop.sendEvent(chat.chatId, 'chat.ended', { reason: 'agent' })

    expect(chat.messages).toEqual([{ messageId: sent.messageId, text: 'Hello?' }])
    expect(
      store()
        .transcript(conversationId)
        .map((l) => `${l.user}: ${l.text}`)
    ).toEqual(['Ada: Hello?', 'Andy: Hi Ada'])
    expect(store().eventsOf('hitlAssigned')).toHaveLength(1)
    expect(
      store()
        .eventsOf('hitlStopped')
        .map((e) => e.payload)
    ).toEqual([{ conversationId }])
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({
      status: 'ended',
      endReason: 'agent',
      lastSeq: 4,
    })

    // By the bot conversation: a tag query through @botpress/client's query encoding.
    const status = await bp.botpress.callAction('getHandoffStatus', { conversationId: 'conv_bot_http' })
    expect(store().callsOf('listConversations').at(-1)).toMatchObject({
      channel: 'hitl',
      'tags.upstreamConversationId': 'conv_bot_http',
    })
    expect(status.body).toMatchObject({
      output: {
        found: true,
        hitlConversationId: conversationId,
        status: 'ended',
        endReason: 'agent',
        agentName: 'Andy',
      },
    })
  })

  it('answers the hop server 401 for a webhook signed with another secret', async () => {
    const body = JSON.stringify({
      chatId: 'chat_x',
      conversationId: 'conv_x',
      seq: 1,
      type: 'chat.queued',
      at: 'now',
      data: { position: 1 },
    })
    await expect(hop.post(bp.webhookUrl, body, { secret: 'wrong-secret-0123456789' })).resolves.toEqual({
      status: 401,
      body: JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'signature does not match' }),
    })
  })

  it('returns RuntimeError sentences to Botpress for failed actions', async () => {
    await expect(bp.botpress.callAction('stopHitl', {})).resolves.toMatchObject({
      status: 400,
      body: { type: 'Runtime', message: 'Invalid input for stopHitl: conversationId: Required.' },
    })
    hop.failNext(400, 'endpoint is not allowed', 1, '/v1/chats')
    const { body } = await bp.botpress.callAction('createUser', { name: 'Bob' })
    const { userId } = (body as { output: { userId: string } }).output
    await expect(bp.botpress.callAction('startHitl', { userId, messageHistory: [] })).resolves.toMatchObject({
      status: 400,
      body: { message: 'The hop server refused the Live Agent configuration: endpoint is not allowed.' },
    })
  })

  it('answers matchTrigger over HTTP', async () => {
    await expect(
      bp.botpress.callAction('matchTrigger', { text: 'Ich möchte mit einem Mitarbeiter sprechen' })
    ).resolves.toMatchObject({
      status: 200,
      body: { output: { matched: true, rule: 'request', cue: 'ich mochte', target: 'mitarbeiter', locale: 'de' } },
    })
  })

  it('refuses a call without the Botpress headers', async () => {
    const headers = botpressHeaders({ operation: 'ping', configuration: bp.configuration, identity: TEST_IDENTITY })
    delete (headers as Record<string, string | undefined>)['x-integration-alias']
    const response = await fetch(bp.url, { method: 'POST', headers, body: '{}' })
    expect(response.status).toBe(500)
    await expect(response.json()).resolves.toEqual({ error: 'Missing integration alias header' })
  })
})
