// Botpress on loopback, for one bot with one integration: the chat API the integration's client calls (BP_API_URL
// points here) and the webhook URL (BP_WEBHOOK_URL) that relays a POST to `/webhook/<webhookId>` to the integration
// as `webhook_received`. Messages and events the integration creates are reported to `onCreated`, where the host
// plays the bot's part.
import type { AddressInfo } from 'node:net'
import type { Message } from '@botpress/client'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { ApiError } from './api-error.js'
import { registerApiRoutes } from './api-routes.js'
import type { IntegrationCaller, MessageCreated, RuntimeResponse } from './integration-caller.js'
import type { Created } from './operations.js'
import { BotpressStore } from './store.js'
import type { TagsInput } from './tags.js'

const WEBHOOK_PATH = '/webhook'
const HTTP_BAD_REQUEST = 400
const HTTP_NOT_FOUND = 404
const HTTP_INTERNAL = 500
const HTTP_UNAVAILABLE = 503

export type BotpressServerOptions = {
  host?: string
  /** 0 picks a free port. */
  port?: number
  botId: string
  /** Conversations the integration creates belong to it. */
  integrationName: string
  webhookId: string
  /** Botpress hands what the integration created to the bot. */
  onCreated?: (created: Created) => void
  /** A webhook call was relayed and the integration answered it. */
  onWebhookRelayed?: (rawBody: string, response: RuntimeResponse) => void
}

export class BotpressServer {
  public readonly store: BotpressStore
  private _integration: IntegrationCaller | undefined

  private constructor(
    private readonly _app: FastifyInstance,
    private readonly _options: BotpressServerOptions
  ) {
    this.store = new BotpressStore({ botId: _options.botId, integrationName: _options.integrationName })
  }

  public static async start(options: BotpressServerOptions): Promise<BotpressServer> {
    const app = Fastify({ logger: false, forceCloseConnections: true })
    const server = new BotpressServer(app, options)
    server._routes()
    try {
      await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
    } catch (error) {
      await app.close()
      throw error
    }
    return server
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

  public get integration(): IntegrationCaller {
    if (!this._integration) throw new Error('no integration is connected')
    return this._integration
  }

  /** The bot writes in a conversation: Botpress stores an outgoing message. */
  public createOutgoingMessage(input: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
    tags?: TagsInput
  }): Message {
    return this.store.createMessage({ ...input, direction: 'outgoing' }).message
  }

  /** What `message_created` carries to the integration's channel handler for one of its conversations. */
  public messageCreatedBody(message: Message): MessageCreated {
    return {
      conversation: this.store.getConversation({ id: message.conversationId }).conversation,
      user: this.store.getUser({ id: message.userId }).user,
      message,
      type: message.type,
      payload: message.payload,
    }
  }

  public async close(): Promise<void> {
    await this._app.close()
  }

  private _routes(): void {
    const app = this._app
    // The webhook body is signed by its sender: it must reach the integration byte for byte. Any other body that is
    // not JSON is a 400 (the integration tests' fake answered 500, the playground 400: a malformed request is the
    // caller's error on the Cloud too).
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (request.url.startsWith(`${WEBHOOK_PATH}/`)) return done(null, body)
      try {
        done(null, body ? JSON.parse(body as string) : {})
      } catch {
        done(new ApiError(HTTP_BAD_REQUEST, 'InvalidJson', 'the body is not JSON'), undefined)
      }
    })
    app.setErrorHandler((error: FastifyError | ApiError, _request, reply) => {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(error.statusCode ?? HTTP_INTERNAL, 'Internal', error.message || 'internal error')
      return reply.code(failure.code).send(failure.toBody())
    })

    registerApiRoutes(app, this.store, (created) => this._options.onCreated?.(created))

    app.post(`${WEBHOOK_PATH}/:webhookId`, async (request, reply) => {
      const { webhookId } = request.params as { webhookId: string }
      if (webhookId !== this._options.webhookId) {
        return reply.code(HTTP_NOT_FOUND).send({ message: `no integration listens on webhook ${webhookId}` })
      }
      // Unknown webhook id: 404 in both earlier emulations. Integration not running yet: the playground's 503, since
      // the Cloud cannot deliver to an integration that is not deployed either (the fake used to throw, a 500).
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
      const answer = await this._integration.webhook({ method: 'POST', path: '/', query: '', headers, body: rawBody })
      this._options.onWebhookRelayed?.(rawBody, answer)
      return reply.code(answer.status).header('content-type', 'application/json').send(answer.text)
    })
  }
}
