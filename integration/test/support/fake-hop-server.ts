// A small stand-in for the hop server, built from docs/bridge-contract.md alone (it does not reuse src/signing.ts,
// so a mistake there cannot hide here): it checks signatures, records calls, keeps chats in memory and sends signed,
// sequenced webhook events on demand.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

const WINDOW_MS = 5 * 60 * 1000

export type RecordedCall = { method: string; path: string; body: unknown; tenant: string | undefined }

export type FakeChat = {
  chatId: string
  conversationId: string
  webhookUrl: string
  request: Record<string, unknown>
  state: 'connecting' | 'queued' | 'agent' | 'ended'
  seq: number
  messages: { messageId: string; text: string }[]
  endReason?: string
  sentEvents: { seq: number; type: string; body: string }[]
}

export type WebhookResult = { status: number; body: string }

type ScriptedFailure = { status: number; message: string; remaining: number; route?: string }

export class FakeHopServer {
  public readonly calls: RecordedCall[] = []
  public readonly chats = new Map<string, FakeChat>()
  public rejectedSignatures = 0
  private readonly _seenSignatures = new Set<string>()
  private readonly _failures: ScriptedFailure[] = []
  private _chatCounter = 0

  private constructor(
    private readonly _app: FastifyInstance,
    public readonly url: string,
    private readonly _tenants: Map<string, string>
  ) {}

  public static async start(tenants: Record<string, string>): Promise<FakeHopServer> {
    const app = Fastify({ logger: false })
    const server = new FakeHopServer(app, '', new Map(Object.entries(tenants)))
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
    app.addHook('preHandler', async (request, reply) => server._authenticate(request, reply))
    server._routes(app)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    ;(server as { url: string }).url = `http://127.0.0.1:${port}`
    return server
  }

  /** The next `times` calls (to a path containing `route`, if given) fail with this status. */
  public failNext(status: number, message: string, times = 1, route?: string): void {
    this._failures.push({ status, message, remaining: times, ...(route ? { route } : {}) })
  }

  public clearFailures(): void {
    this._failures.length = 0
  }

  public callsTo(method: string, pathPart: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && call.path.includes(pathPart))
  }

  public chatOf(conversationId: string): FakeChat {
    const chat = [...this.chats.values()].find((c) => c.conversationId === conversationId)
    if (!chat) throw new Error(`no chat for conversation ${conversationId}`)
    return chat
  }

  /** Sends the chat's next event (seq + 1) to its webhook, signed as the tenant; the seq only advances on 2xx. */
  public async sendEvent(chatId: string, type: string, data: Record<string, unknown>): Promise<WebhookResult> {
    const chat = this._chat(chatId)
    const seq = chat.seq + 1
    const body = JSON.stringify({
      chatId,
      conversationId: chat.conversationId,
      seq,
      type,
      at: new Date().toISOString(),
      data,
    })
    const result = await this.post(chat.webhookUrl, body)
    if (result.status >= 200 && result.status < 300) {
      chat.seq = seq
      chat.sentEvents.push({ seq, type, body })
    }
    return result
  }

  /** Delivers an already-accepted event again (at-least-once delivery). */
  public async redeliver(chatId: string, seq: number): Promise<WebhookResult> {
    const chat = this._chat(chatId)
    const event = chat.sentEvents.find((e) => e.seq === seq)
    if (!event) throw new Error(`event ${seq} of ${chatId} was never delivered`)
    return this.post(chat.webhookUrl, event.body)
  }

  /** POSTs a raw body signed with the first tenant (or the given secret). */
  public async post(
    url: string,
    body: string,
    options: { secret?: string; tenant?: string; now?: number } = {}
  ): Promise<WebhookResult> {
    const [firstTenant, firstSecret] = [...this._tenants.entries()][0] ?? ['', '']
    const headers = signedHeaders(options.tenant ?? firstTenant, options.secret ?? firstSecret, body, options.now, url)
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    })
    return { status: response.status, body: await response.text() }
  }

  public async close(): Promise<void> {
    this._app.server.closeAllConnections()
    await this._app.close()
  }

  private _chat(chatId: string): FakeChat {
    const chat = this.chats.get(chatId)
    if (!chat) throw new Error(`unknown chat ${chatId}`)
    return chat
  }

  private async _authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tenant = header(request, 'x-hop-tenant')
    const timestamp = header(request, 'x-hop-timestamp')
    const signature = header(request, 'x-hop-signature')
    const rawBody = typeof request.body === 'string' ? request.body : ''
    const secret = tenant ? this._tenants.get(tenant) : undefined
    const unauthorized = (message: string) => {
      this.rejectedSignatures += 1
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message })
    }
    if (!tenant || !timestamp || !signature) return unauthorized('missing signature headers')
    if (!secret) return unauthorized('unknown tenant')
    if (Math.abs(Date.now() - Number(timestamp)) > WINDOW_MS)
      return unauthorized('timestamp outside the allowed window')
    const expected = Buffer.from(v2Signature(secret, tenant, timestamp, request.method, request.url, rawBody))
    const received = Buffer.from(signature)
    if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
      return unauthorized('signature does not match')
    }
    if (this._seenSignatures.has(signature)) return unauthorized('replayed request')
    this._seenSignatures.add(signature)

    const body: unknown = rawBody ? JSON.parse(rawBody) : undefined
    this.calls.push({ method: request.method, path: request.url, body, tenant })
    const failure = this._failures.find((f) => f.remaining > 0 && (!f.route || request.url.includes(f.route)))
    if (failure) {
      failure.remaining -= 1
      return reply
        .code(failure.status)
        .send({ statusCode: failure.status, error: 'Scripted', message: failure.message })
    }
    request.body = body
  }

  private _routes(app: FastifyInstance): void {
    app.post('/v1/chats', async (request, reply) => {
      const body = request.body as Record<string, unknown>
      const conversationId = String(body.conversationId ?? '')
      if (!conversationId || typeof body.webhookUrl !== 'string' || typeof body.liveAgent !== 'object') {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: 'conversationId, webhookUrl and liveAgent are required',
        })
      }
      const existing = [...this.chats.values()].find((c) => c.conversationId === conversationId)
      if (existing) {
        return reply.code(200).send({ chatId: existing.chatId, conversationId, state: existing.state, created: false })
      }
      this._chatCounter += 1
      const chat: FakeChat = {
        chatId: `chat_${this._chatCounter}`,
        conversationId,
        webhookUrl: body.webhookUrl,
        request: body,
        state: 'connecting',
        seq: 0,
        messages: [],
        sentEvents: [],
      }
      this.chats.set(chat.chatId, chat)
      return reply.code(201).send({ chatId: chat.chatId, conversationId, state: chat.state, created: true })
    })

    app.post('/v1/chats/:chatId/messages', async (request, reply) => {
      const chat = this.chats.get((request.params as { chatId: string }).chatId)
      if (!chat) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown chat' })
      if (chat.state === 'ended')
        return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'chat ended' })
      const { messageId, text } = request.body as { messageId: string; text: string }
      const duplicate = chat.messages.some((m) => m.messageId === messageId)
      if (!duplicate) chat.messages.push({ messageId, text })
      return reply.code(202).send({ accepted: true, duplicate })
    })

    app.post('/v1/chats/:chatId/typing', async (_request, reply) => reply.code(202).send({ accepted: true }))

    app.post('/v1/chats/:chatId/end', async (request, reply) => {
      const chat = this.chats.get((request.params as { chatId: string }).chatId)
      if (!chat) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown chat' })
      chat.state = 'ended'
      chat.endReason ??= (request.body as { reason?: string }).reason ?? 'visitor'
      return reply.code(202).send({ state: 'ended' })
    })

    app.get('/v1/chats/:chatId', async (request, reply) => {
      const chat = this.chats.get((request.params as { chatId: string }).chatId)
      if (!chat) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'unknown chat' })
      return { chatId: chat.chatId, conversationId: chat.conversationId, state: chat.state }
    })

    app.get('/v1/availability', async (request) => {
      const { buttonId } = request.query as { buttonId?: string }
      return { available: true, buttons: [{ id: buttonId ?? '', available: true, estimatedWaitTime: 30 }] }
    })
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** docs/bridge-contract.md: HMAC-SHA256 over "v2\n" tenant "\n" METHOD "\n" target "\n" timestamp "\n" body. */
const v2Signature = (secret: string, tenant: string, timestamp: string, method: string, target: string, body: string) =>
  `v2=${createHmac('sha256', secret).update(`v2\n${tenant}\n${method}\n${target}\n${timestamp}\n${body}`).digest('hex')}`

/** The webhook URL the integration builds in the tests (BP_WEBHOOK_URL of the harness and the test webhook id). */
export const TEST_WEBHOOK_URL = 'http://127.0.0.1:9/webhook/wh_test'

/** Headers of a webhook POSTed to `webhookUrl` (signed over that absolute URL, as the contract says for webhooks). */
export const signedHeaders = (
  tenant: string,
  secret: string,
  body: string,
  now = Date.now(),
  webhookUrl = TEST_WEBHOOK_URL
) => {
  const timestamp = String(now)
  return {
    'x-hop-tenant': tenant,
    'x-hop-timestamp': timestamp,
    'x-hop-signature': v2Signature(secret, tenant, timestamp, 'POST', new URL(webhookUrl).href, body),
  }
}
