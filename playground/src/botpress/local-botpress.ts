// A local stand-in for Botpress Cloud: the emulated chat API, webhook URL and runtime calls of
// @liveagent-hop/botpress-emulator (the integration's tests use the same), plus what only the playground needs: the
// bot's event loop (messages and events the integration creates are handed to the bot one at a time, in order),
// channels that deliver the bot's messages (the web chat), and the typing shortcuts.
import type { Conversation, Event, Message, User } from '@botpress/client'
import {
  BotpressServer,
  type BotpressStore,
  type Created,
  type IntegrationCaller,
  type RuntimeResponse,
  type Tags,
} from '@liveagent-hop/botpress-emulator'
import type { Logger } from 'pino'
import { CustomerTypingTap } from './customer-typing.js'
import { SerialQueue } from './serial-queue.js'
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
  public readonly botUser: User
  private readonly _queue: SerialQueue
  /** Messages on their way to the integration's channel, in order. */
  private readonly _deliveries: SerialQueue
  private readonly _channels = new Map<string, ChannelAdapter>()
  private _typingTap: CustomerTypingTap | undefined
  private _bot: BotHandlers | undefined

  private constructor(
    private readonly _server: BotpressServer,
    private readonly _options: LocalBotpressOptions
  ) {
    this.botUser = this.store.createUser({ id: _options.botUserId, name: 'Assistant', tags: {} }).user
    this._queue = new SerialQueue(_options.logger)
    this._deliveries = new SerialQueue(_options.logger)
  }

  public static async start(options: LocalBotpressOptions): Promise<LocalBotpress> {
    // The server reports to the instance, which exists only once the server listens.
    const self: { botpress?: LocalBotpress } = {}
    const server = await BotpressServer.start({
      host: options.host,
      port: options.port,
      botId: options.botId,
      integrationName: options.integrationName,
      webhookId: options.webhookId,
      onCreated: (created) => self.botpress?._onCreated(created),
      onWebhookRelayed: (rawBody, answer) => self.botpress?._onWebhookRelayed(rawBody, answer),
    })
    self.botpress = new LocalBotpress(server, options)
    return self.botpress
  }

  public get store(): BotpressStore {
    return this._server.store
  }

  public get url(): string {
    return this._server.url
  }

  /** What BP_WEBHOOK_URL is in production (https://webhook.botpress.cloud): the webhook URL is `${this}/${webhookId}`. */
  public get webhookBaseUrl(): string {
    return this._server.webhookBaseUrl
  }

  public get webhookUrl(): string {
    return this._server.webhookUrl
  }

  public connectIntegration(caller: IntegrationCaller): void {
    this._server.connectIntegration(caller)
  }

  public connectBot(bot: BotHandlers): void {
    this._bot = bot
  }

  public registerChannel(channel: string, adapter: ChannelAdapter): void {
    this._channels.set(channel, adapter)
  }

  public get integration(): IntegrationCaller {
    return this._server.integration
  }

  // What a channel integration does for its frontend: conversations, users and the user's messages.

  public createConversation(channel: string, tags: Tags = {}): Conversation {
    return this.store.createConversation({ channel, integration: channel, tags }).conversation
  }

  public createUser(name: string, tags: Tags = {}): User {
    return this.store.createUser({ name, tags }).user
  }

  /** A user wrote: Botpress stores the message and hands it to the bot. */
  public receiveMessage(input: { conversationId: string; userId: string; text: string }): Message {
    const message = this.store.createMessage({
      conversationId: input.conversationId,
      userId: input.userId,
      type: 'text',
      payload: { text: input.text },
      direction: 'incoming',
    }).message
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
    }).event
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
    const { conversation } = this.store.getConversation({ id: input.conversationId })
    const message = this._server.createOutgoingMessage({
      conversationId: conversation.id,
      userId: this.botUser.id,
      type: input.type ?? 'text',
      payload: input.payload ?? { text: input.text ?? '' },
      tags: input.tags ?? {},
    })
    const adapter = this._channels.get(conversation.channel)
    if (adapter) {
      await adapter.deliver(message, conversation)
    } else if (conversation.integration === this._options.integrationName) {
      this._deliveries.push(`message ${message.id} to the integration`, () =>
        this.integration.messageCreated(this._server.messageCreatedBody(message))
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
    await this._server.close()
  }

  private _onCreated(created: Created): void {
    if (created.kind === 'message') {
      this._enqueueMessage(created.message)
    } else {
      this._enqueueEvent(created.event)
    }
  }

  private _enqueueMessage(message: Message): void {
    this._queue.push(`message ${message.id}`, async () => {
      const { conversation } = this.store.getConversation({ id: message.conversationId })
      const { user } = this.store.getUser({ id: message.userId })
      await this._bot?.onMessage({ message, conversation, user })
    })
  }

  private _enqueueEvent(event: Event): void {
    this._queue.push(`event ${event.type} ${event.id}`, async () => {
      await this._bot?.onEvent(event)
    })
  }

  /** The shortcut of typing-tap.ts: an `agent.typing` event the integration accepted goes to the bot. */
  private _onWebhookRelayed(rawBody: string, answer: RuntimeResponse): void {
    const typing = agentTypingOf(rawBody, answer.status)
    if (typing) {
      this._queue.push('agent typing', async () => this._bot?.onAgentTyping(typing))
    }
  }
}
