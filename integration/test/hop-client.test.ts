import { createServer } from 'node:net'
import { HopClient, HopServerError } from '../src/hop-client.js'
import type { CreateChatRequest, LiveAgentTarget } from '../src/hop-contract.js'
import { FakeHopServer } from './support/fake-hop-server.js'

const TENANT = 'acme'
const SECRET = 'acme-secret-0123456789'

const createRequest = (conversationId: string): CreateChatRequest & { liveAgent: LiveAgentTarget } => ({
  conversationId,
  webhookUrl: 'http://127.0.0.1:9/webhook/wh',
  liveAgent: {
    endpoint: 'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
    organizationId: '00D5g000004XXXX',
    deploymentId: '5725g000000XXXX',
    buttonId: '5735g000000XXXX',
    apiVersion: '63',
  },
  visitor: { name: 'Ada' },
  prechatDetails: [],
  prechatEntities: [],
  transcript: [{ role: 'visitor', text: 'Where is my order?', at: '2026-11-24T10:00:00.000Z' }],
  transcriptDelivery: { mode: 'summary' },
})

/** A port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('HopClient against a hop server on loopback', () => {
  let hop: FakeHopServer
  let client: HopClient

  beforeAll(async () => {
    hop = await FakeHopServer.start({ [TENANT]: SECRET })
    client = new HopClient({ baseUrl: `${hop.url}/`, tenantId: TENANT, secret: SECRET, retryDelayMs: 1 })
  })
  afterEach(() => hop.clearFailures())
  afterAll(async () => hop.close())

  it('creates a chat once per conversation', async () => {
    const first = await client.createChat(createRequest('conv_1'))
    const again = await client.createChat(createRequest('conv_1'))
    expect(first).toMatchObject({ conversationId: 'conv_1', created: true, state: 'connecting' })
    expect(again).toEqual({ ...first, created: false })
  })

  it('sends visitor messages idempotently, typing, and ends the chat', async () => {
    const { chatId } = await client.createChat(createRequest('conv_2'))
    expect(await client.sendMessage(chatId, { messageId: 'msg_1', text: 'Hello?' })).toEqual({
      accepted: true,
      duplicate: false,
    })
    expect(await client.sendMessage(chatId, { messageId: 'msg_1', text: 'Hello?' })).toEqual({
      accepted: true,
      duplicate: true,
    })
    await client.sendTyping(chatId, true)
    await client.endChat(chatId)
    await client.endChat(chatId)
    expect(await client.getChat(chatId)).toMatchObject({ chatId, state: 'ended' })
    expect(hop.chats.get(chatId)?.messages).toEqual([{ messageId: 'msg_1', text: 'Hello?' }])
  })

  it('asks for availability with the Live Agent target in the query', async () => {
    const availability = await client.getAvailability(createRequest('x').liveAgent)
    expect(availability.available).toBe(true)
    const call = hop.callsTo('GET', '/v1/availability').at(-1)!
    expect(call.path).toContain('buttonId=5735g000000XXXX')
    expect(call.path).toContain('apiVersion=63')
  })

  it('retries a 503 with a fresh signature (a reused one would be refused as replayed)', async () => {
    hop.failNext(503, 'draining', 2, '/v1/chats')
    const rejectedBefore = hop.rejectedSignatures
    const created = await client.createChat(createRequest('conv_retry'))
    expect(created.created).toBe(true)
    expect(hop.rejectedSignatures).toBe(rejectedBefore)
  })

  it('gives up after a bounded number of attempts', async () => {
    const before = hop.callsTo('POST', '/v1/chats').length
    hop.failNext(503, 'still draining', 10, '/v1/chats')
    await expect(client.createChat(createRequest('conv_busy'))).rejects.toThrow(
      'The hop server failed (HTTP 503: still draining). Try again later.'
    )
    expect(hop.callsTo('POST', '/v1/chats').length - before).toBe(3)
  })

  it.each([
    [
      400,
      'endpoint is not allowed',
      '/v1/chats',
      'The hop server refused the Live Agent configuration: endpoint is not allowed.',
      'refused',
    ],
    [
      502,
      'Live Agent answered 400',
      '/v1/chats',
      'Live Agent refused the configuration or did not answer (Live Agent answered 400).',
      'refused',
    ],
    [
      413,
      'body too large',
      '/v1/chats',
      'The request is larger than the hop server accepts (body too large).',
      'refused',
    ],
  ])('maps HTTP %i to a sentence', async (status, message, route, expected, failure) => {
    hop.failNext(status, message, 3, route) // a 502 is retried, a 400 is not
    const error = await client.createChat(createRequest(`conv_${status}`)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HopServerError)
    expect((error as HopServerError).message).toContain(expected)
    expect((error as HopServerError).failure).toBe(failure)
  })

  it('says which chat is unknown, and that an ended chat takes no message', async () => {
    await expect(client.sendMessage('chat_nope', { messageId: 'm', text: 't' })).rejects.toMatchObject({
      failure: 'unknown_chat',
      message: expect.stringContaining('does not know the chat chat_nope'),
    })
    const { chatId } = await client.createChat(createRequest('conv_ended'))
    await client.endChat(chatId)
    await expect(client.sendMessage(chatId, { messageId: 'm', text: 't' })).rejects.toMatchObject({
      failure: 'chat_ended',
      message: 'The Live Agent chat has already ended.',
    })
  })

  it('names a wrong secret as a signature problem', async () => {
    const wrong = new HopClient({
      baseUrl: hop.url,
      tenantId: TENANT,
      secret: 'not-the-secret-at-all',
      retryDelayMs: 1,
    })
    await expect(wrong.getChat('chat_1')).rejects.toMatchObject({
      failure: 'unauthorized',
      message:
        'The hop server rejected the signature (signature does not match). Check the tenant id and the shared secret.',
    })
  })

  it('says the hop server is unreachable when nothing listens', async () => {
    const port = await closedPort()
    const offline = new HopClient({
      baseUrl: `http://127.0.0.1:${port}`,
      tenantId: TENANT,
      secret: SECRET,
      retryDelayMs: 1,
    })
    await expect(offline.createChat(createRequest('conv_offline'))).rejects.toMatchObject({
      failure: 'unreachable',
      message: expect.stringMatching(/^The hop server at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)\./),
    })
  })
})

describe('HopClient signing', () => {
  it('signs the path and query as sent (the availability query included)', async () => {
    const hop = await FakeHopServer.start({ [TENANT]: SECRET })
    try {
      const client = new HopClient({ baseUrl: `${hop.url}/`, tenantId: TENANT, secret: SECRET })
      await client.getAvailability(createRequest('conv_q').liveAgent)
      expect(hop.rejectedSignatures).toBe(0)
      expect(hop.callsTo('GET', '/v1/availability?endpoint=')).toHaveLength(1)
    } finally {
      await hop.close()
    }
  })
})
