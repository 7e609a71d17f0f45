// A local stand-in for Botpress Cloud, small enough to read: the chat API the integration reaches through
// @botpress/client (BP_API_URL points here), the webhook URL the hop server posts to (BP_WEBHOOK_URL), the runtime
// calls Botpress makes to the integration (actions, messages for its channel, register), and the bot's event loop:
// messages and events the integration creates are handed to the bot one at a time, in order.
import type { AddressInfo } from 'node:net'
import type { Conversation, Event, Message, User } from '@botpress/client'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { registerApiRoutes, type CreatedByIntegration } from './api-routes.js'
import type { IntegrationCaller } from './integration-caller.js'
import { CustomerTypingTap } from './customer-typing.js'
import { SerialQueue } from './serial-queue.js'
import { ApiError, BotpressStore, type Tags } from './store.js'
import { agentTypingOf, type AgentTyping } from './typing-tap.js'

export type IncomingMessage = { message: Message; conversation: Conversation; user: User }

/** What Botpress calls on the bot: its message and event handlers (and, inside, its plugins' hooks). */
export interface BotHandlers {
  onMessage(incoming: IncomingMessage): Promise<void>
  onEvent(event: Event): Promise<void>
  onAgentTyping(typing: AgentTyping): Promise<void>
  /** The customer started or stopped typing (a channel's own event). */
  onCustomerTyping?(conversationId: string, typing: boolean): Promise<void>
}

/** A channel integration Botpress forwards the bot's messages to (the web chat). */
export interface ChannelAdapter {
  deliver(message: Message, conversation: Conversation): Promise<void>
}

const WEBHOOK_PATH = '/webhook'
const HTTP_NOT_FOUND = 404
const HTTP_UNAVAILABLE = 503

export type LocalBotpressOptions = {
  host: string
  port: number
  botId: string
  /** The bot's own user (x-bot-user-id): what the bot writes is written as this user. */
  botUserId: string
  integrationName: string
  webhookId: string
  logger: Logger
}

export class LocalBotpress {
  public readonly store: BotpressStore
  public readonly botUser: User
  private readonly _queue: SerialQueue
  /** Messages on their way to the integration's channel, in order. */
  private readonly _deliveries: SerialQueue
  private readonly _channels = new Map<string, ChannelAdapter>()
  private _integration: IntegrationCaller | undefined
  private _typingTap: CustomerTypingTap | undefined
  private _bot: BotHandlers | undefined

  private constructor(
    private readonly _app: FastifyInstance,
    private readonly _options: LocalBotpressOptions,
    store: BotpressStore
  ) {
    this.store = store
    this.botUser = store.createUser({ id: _options.botUserId, name: 'Assistant', tags: {} })
    this._queue = new SerialQueue(_options.logger)
    this._deliveries = new SerialQueue(_options.logger)
  }

  public static async start(options: LocalBotpressOptions): Promise<LocalBotpress> {
    const app = Fastify({ logger: false, forceCloseConnections: true })
    const store = new BotpressStore(options.botId)
    const botpress = new LocalBotpress(app, options, store)
    botpress._routes()
    try {
      await app.listen({ port: options.port, host: options.host })
    } catch (error) {
      await app.close()
      throw error
    }
    return botpress
  }

  public get url(): string {
    const { address, port } = this._app.server.address() as AddressInfo
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  }

  /** What BP_WEBHOOK_URL is in production (https://webhook.botpress.cloud): the webhook URL is `${this}/${webhookId}`. */
  public get webhookBaseUrl(): string {
    return `${this.url}${WEBHOOK_PATH}`
  }

  public get webhookUrl(): string {
    return `${this.webhookBaseUrl}/${this._options.webhookId}`
  }

  public connectIntegration(caller: IntegrationCaller): void {
    this._integration = caller
  }

  public connectBot(bot: BotHandlers): void {
    this._bot = bot
  }

  public registerChannel(channel: string, adapter: ChannelAdapter): void {
    this._channels.set(channel, adapter)
  }

  public get integration(): IntegrationCaller {
    if (!this._integration) throw new Error('no integration is connected')
    return this._integration
  }

  // What a channel integration does for its frontend: conversations, users and the user's messages.

  public createConversation(channel: string, tags: Tags = {}): Conversation {
    return this.store.createConversation({ channel, integration: channel, tags })
  }

  public createUser(name: string, tags: Tags = {}): User {
    return this.store.createUser({ name, tags })
  }

  /** A user wrote: Botpress stores the message and hands it to the bot. */
  public receiveMessage(input: { conversationId: string; userId: string; text: string }): Message {
    const message = this.store.createMessage({
      conversationId: input.conversationId,
      userId: input.userId,
      type: 'text',
      payload: { text: input.text },
      direction: 'incoming',
    })
    this._enqueueMessage(message)
    return message
  }

  /** A channel's own event (the web chat's "conversation started"), handed to the bot like any other. */
  public emitEvent(input: {
    type: string
    conversationId?: string
    userId?: string
    payload?: Record<string, unknown>
  }) {
    const event = this.store.createEvent({
      type: input.type,
      payload: input.payload ?? {},
      ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      ...(input.userId ? { userId: input.userId } : {}),
    })
    this._enqueueEvent(event)
    return event
  }

  /** The customer's typing, from the web chat page: handed to the bot like Botpress's webchat typing events. */
  public customerTyping(conversationId: string, typing: boolean): void {
    this._queue.push('customer typing', async () => this._bot?.onCustomerTyping?.(conversationId, typing))
  }

  /** The playground's shortcut for the customer's typing to the agent (see customer-typing.ts). */
  public get customerTypingTap(): CustomerTypingTap {
    this._typingTap ??= new CustomerTypingTap(
      this.integration.configuration as ConstructorParameters<typeof CustomerTypingTap>[0],
      this._options.logger
    )
    return this._typingTap
  }

  // What the bot does.

  /**
   * The bot writes in a conversation, always as itself (what the HITL plugin copies is written as the bot too; for
   * the hitl channel the sender goes in `payload.userId`). Botpress stores the message and hands it to the
   * conversation's channel. Delivery to the integration's channel is asynchronous, as on Botpress Cloud: the
   * message exists at once, the integration is called after (in order); a refusal is logged, nobody waits for it.
   */
  public async sendMessage(input: {
    conversationId: string
    text?: string
    type?: string
    payload?: Record<string, unknown>
    tags?: Tags
  }): Promise<Message> {
    const conversation = this.store.getConversation(input.conversationId)
    const userId = this.botUser.id
    const message = this.store.createMessage({
      conversationId: conversation.id,
      userId,
      type: input.type ?? 'text',
      payload: input.payload ?? { text: input.text ?? '' },
      tags: input.tags ?? {},
      direction: 'outgoing',
    })
    const adapter = this._channels.get(conversation.channel)
    if (adapter) {
      await adapter.deliver(message, conversation)
    } else if (conversation.integration === this._options.integrationName) {
      this._deliveries.push(`message ${message.id} to the integration`, () =>
        this.integration.messageCreated({
          conversation,
          user: this.store.getUser(userId),
          message,
          type: message.type,
          payload: message.payload,
        })
      )
    } else {
      throw new Error(`no channel delivers messages of conversation ${conversation.id} (${conversation.channel})`)
    }
    return message
  }

  /** Resolves once the bot has handled everything created so far, deliveries included (tests, shutdown). */
  public async idle(): Promise<void> {
    for (;;) {
      await this._deliveries.idle()
      await this._queue.idle()
      if (this._deliveries.isIdle && this._queue.isIdle) return
    }
  }

  public async close(): Promise<void> {
    await this._deliveries.close()
    await this._queue.close()
    await this._app.close()
  }

  private _onCreated(created: CreatedByIntegration): void {
    if (created.kind === 'message') {
      this._enqueueMessage(created.message)
    } else {
      this._enqueueEvent(created.event)
    }
  }

  private _enqueueMessage(message: Message): void {
    this._queue.push(`message ${message.id}`, async () => {
      const conversation = this.store.getConversation(message.conversationId)
      const user = this.store.getUser(message.userId)
      await this._bot?.onMessage({ message, conversation, user })
    })
  }

  private _enqueueEvent(event: Event): void {
    this._queue.push(`event ${event.type} ${event.id}`, async () => {
      await this._bot?.onEvent(event)
    })
  }

  private _routes(): void {
    const app = this._app
    // The webhook body is signed by the hop server: it must reach the integration byte for byte.
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (request.url.startsWith(`${WEBHOOK_PATH}/`)) return done(null, body)
      try {
        done(null, body ? JSON.parse(body as string) : {})
      } catch {
        done(new ApiError(400, 'InvalidJson', 'the body is not JSON'), undefined)
      }
    })
    app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(error.statusCode ?? 500, 'Internal', error.message || 'internal error')
      return reply
        .code(failure.code)
        .send({ id: 'err_playground', code: failure.code, type: failure.type, message: failure.message })
    })

    registerApiRoutes(app, {
      store: this.store,
      integrationName: this._options.integrationName,
      onCreated: (created) => this._onCreated(created),
    })

    app.post(`${WEBHOOK_PATH}/:webhookId`, async (request, reply) => {
      const { webhookId } = request.params as { webhookId: string }
      if (webhookId !== this._options.webhookId) {
        return reply.code(HTTP_NOT_FOUND).send({ message: `no integration listens on webhook ${webhookId}` })
      }
      if (!this._integration) {
        return reply.code(HTTP_UNAVAILABLE).send({ message: 'the integration is not running yet' })
      }
      const rawBody = typeof request.body === 'string' ? request.body : ''
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ])
      )
      const answer = await this._integration.webhook({
        method: 'POST',
        path: '/',
        query: '',
        headers,
        body: rawBody,
      })
      const typing = agentTypingOf(rawBody, answer.status)
      if (typing) {
        this._queue.push('agent typing', async () => this._bot?.onAgentTyping(typing))
      }
      return reply.code(answer.status).header('content-type', 'application/json').send(answer.text)
    })
  }
}
