// A small Botpress on loopback: the chat API an integration's client calls (BP_API_URL points here), the webhook
// relay that turns a POST to https://webhook.../<webhookId> into a `webhook_received` call, and the runtime calls
// (actions, outgoing messages, register) that Botpress makes to an integration, with all the x-bp-* headers.
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { botpressHeaders, type BotpressOperation, type RuntimeIdentity } from '../../src/runtime-headers.js'
import { ApiFailure, BotpressStore } from './botpress-store.js'

type Params = Record<string, string>
// Request bodies are the client's own inputs; the store checks what it needs.
type Body = never

export type RuntimeResponse = { status: number; body: unknown; text: string }

/** `tags.chatId=x` (qs with allowDots, as @botpress/client sends it) → { chatId: 'x' }. */
const tagsFromQuery = (query: Record<string, unknown>): Record<string, string> | undefined => {
  const entries = Object.entries(query)
    .filter(([key, value]) => key.startsWith('tags.') && typeof value === 'string')
    .map(([key, value]) => [key.slice('tags.'.length), value as string])
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

export class FakeBotpress {
  /** Where the integration listens; set before calling the runtime methods. */
  public integrationUrl = ''

  private constructor(
    private readonly _app: FastifyInstance,
    public readonly url: string,
    public readonly store: BotpressStore,
    private readonly _runtime: { identity: RuntimeIdentity; configuration: () => unknown }
  ) {}

  public static async start(runtime: {
    identity: RuntimeIdentity
    configuration: () => unknown
  }): Promise<FakeBotpress> {
    const app = Fastify({ logger: false })
    const store = new BotpressStore(runtime.identity.botId)
    // The relay route needs the instance, which exists only once the server listens.
    const self: { fake?: FakeBotpress } = {}
    // The webhook body must reach the integration byte for byte (it is signed): keep it as a string there.
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (request.url.startsWith('/webhook/')) return done(null, body)
      try {
        done(null, body ? JSON.parse(body as string) : {})
      } catch (error) {
        done(error as Error, undefined)
      }
    })
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof ApiFailure) {
        return reply
          .code(error.code)
          .send({ id: 'err_fake', code: error.code, type: error.type, message: error.message })
      }
      return reply.code(500).send({ id: 'err_fake', code: 500, type: 'Internal', message: String(error) })
    })
    registerChatApi(app, store)
    app.post('/webhook/:webhookId', async (request, reply) => {
      const relayed = await self.fake!._relayWebhook(
        request.raw.headers,
        request.body,
        (request.params as Params).webhookId!
      )
      return reply.code(relayed.status).header('content-type', 'application/json').send(relayed.text)
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    self.fake = new FakeBotpress(app, `http://127.0.0.1:${port}`, store, runtime)
    return self.fake
  }

  /** The base of webhook URLs (what BP_WEBHOOK_URL is in production: https://webhook.botpress.cloud). */
  public get webhookBaseUrl(): string {
    return `${this.url}/webhook`
  }

  public async callAction(type: string, input: unknown): Promise<RuntimeResponse> {
    return this._call('action_triggered', { type, input }, type)
  }

  public async register(webhookUrl: string): Promise<RuntimeResponse> {
    return this._call('register', { webhookUrl })
  }

  /** The bot (the HITL plugin) writes in a hitl conversation: Botpress stores it and calls the channel handler. */
  public async sendOutgoingMessage(props: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
  }): Promise<RuntimeResponse & { messageId: string }> {
    const { message } = this.store.createMessage(props)
    message.direction = 'outgoing'
    const { conversation } = this.store.getConversation({ id: props.conversationId })
    const { user } = this.store.getUser({ id: props.userId })
    const response = await this._call(
      'message_created',
      { conversation, user, type: props.type, payload: props.payload, message },
      props.type
    )
    return { ...response, messageId: message.id }
  }

  public async close(): Promise<void> {
    this._app.server.closeAllConnections()
    await this._app.close()
  }

  private async _relayWebhook(
    headers: Record<string, string | string[] | undefined>,
    rawBody: unknown,
    webhookId: string
  ): Promise<RuntimeResponse> {
    if (webhookId !== this._runtime.identity.webhookId) {
      return { status: 404, body: { message: 'unknown webhook' }, text: '{"message":"unknown webhook"}' }
    }
    const flatHeaders = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : (value ?? '')])
    )
    const req = {
      method: 'POST',
      path: '/',
      query: '',
      headers: flatHeaders,
      body: typeof rawBody === 'string' ? rawBody : '',
    }
    return this._call('webhook_received', { req })
  }

  private async _call(operation: BotpressOperation, body: unknown, type?: string): Promise<RuntimeResponse> {
    if (!this.integrationUrl) throw new Error('integrationUrl is not set')
    const response = await fetch(this.integrationUrl, {
      method: 'POST',
      headers: botpressHeaders({
        operation,
        configuration: this._runtime.configuration(),
        identity: this._runtime.identity,
        ...(type ? { type } : {}),
      }),
      body: JSON.stringify(body),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, text }
  }
}

const registerChatApi = (app: FastifyInstance, store: BotpressStore): void => {
  const route = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    operation: string,
    run: (input: { params: Params; body: Body; query: Record<string, unknown> }) => unknown
  ) =>
    app.route({
      method,
      url,
      handler: async (request) => {
        const body = (request.body ?? {}) as Record<string, unknown>
        store.record(operation, { ...(request.query as object), ...(request.params as Params), ...body })
        return run({
          params: request.params as Params,
          body: body as Body,
          query: request.query as Record<string, unknown>,
        })
      },
    })

  route('POST', '/v1/chat/users', 'createUser', ({ body }) => store.createUser(body))
  route('POST', '/v1/chat/users/get-or-create', 'getOrCreateUser', ({ body }) => store.getOrCreateUser(body))
  route('GET', '/v1/chat/users/:id', 'getUser', ({ params }) => store.getUser({ id: params.id! }))
  route('PUT', '/v1/chat/users/:id', 'updateUser', ({ params, body }) =>
    store.updateUser(Object.assign({}, body, { id: params.id! }))
  )

  route('POST', '/v1/chat/conversations', 'createConversation', ({ body }) => store.createConversation(body))
  route('POST', '/v1/chat/conversations/get-or-create', 'getOrCreateConversation', ({ body }) =>
    store.getOrCreateConversation(body)
  )
  route('GET', '/v1/chat/conversations', 'listConversations', ({ query }) =>
    store.listConversations({
      ...(typeof query.channel === 'string' ? { channel: query.channel } : {}),
      ...(query.sortDirection === 'desc' ? { sortDirection: 'desc' as const } : {}),
      tags: tagsFromQuery(query),
    })
  )
  route('GET', '/v1/chat/conversations/:id', 'getConversation', ({ params }) =>
    store.getConversation({ id: params.id! })
  )
  route('PUT', '/v1/chat/conversations/:id', 'updateConversation', ({ params, body }) =>
    store.updateConversation(Object.assign({}, body, { id: params.id! }))
  )

  route('POST', '/v1/chat/messages', 'createMessage', ({ body }) => store.createMessage(body))
  route('POST', '/v1/chat/messages/get-or-create', 'getOrCreateMessage', ({ body }) => store.getOrCreateMessage(body))
  route('GET', '/v1/chat/messages', 'listMessages', ({ query }) =>
    store.listMessages({
      ...(typeof query.conversationId === 'string' ? { conversationId: query.conversationId } : {}),
      tags: tagsFromQuery(query),
    })
  )
  route('GET', '/v1/chat/messages/:id', 'getMessage', ({ params }) => store.getMessage({ id: params.id! }))
  route('PUT', '/v1/chat/messages/:id', 'updateMessage', ({ params, body }) =>
    store.updateMessage(Object.assign({}, body, { id: params.id! }))
  )

  route('POST', '/v1/chat/events', 'createEvent', ({ body }) => store.createEvent(body))

  const stateKey = (params: Params) => ({
    type: params.type as 'conversation',
    id: params.id!,
    name: params.name!,
  })
  route('GET', '/v1/chat/states/:type/:id/:name', 'getState', ({ params }) => store.getState(stateKey(params)))
  route('POST', '/v1/chat/states/:type/:id/:name', 'setState', ({ params, body }) =>
    store.setState({ ...stateKey(params), payload: (body as { payload: Record<string, unknown> | null }).payload })
  )
  route('PATCH', '/v1/chat/states/:type/:id/:name', 'patchState', ({ params, body }) =>
    store.patchState({ ...stateKey(params), payload: (body as { payload: Record<string, unknown> }).payload })
  )
  route('POST', '/v1/chat/states/:type/:id/:name/get-or-set', 'getOrSetState', ({ params, body }) =>
    store.getOrSetState({ ...stateKey(params), payload: (body as { payload: Record<string, unknown> }).payload })
  )
}
