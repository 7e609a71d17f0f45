// Botpress for the tests that go through the SDK's HTTP dispatcher: the emulated API and webhook relay
// (@liveagent-hop/botpress-emulator), and the runtime calls Botpress makes to the integration, answered as they came
// (status, body) so that tests can look at refusals too.
import {
  BotpressServer,
  IntegrationCaller,
  type RuntimeIdentity,
  type RuntimeResponse,
} from '@liveagent-hop/botpress-emulator'

export type { RuntimeResponse }

export class FakeBotpress {
  private constructor(
    private readonly _server: BotpressServer,
    private readonly _runtime: { identity: RuntimeIdentity; configuration: () => unknown }
  ) {}

  public static async start(runtime: {
    identity: RuntimeIdentity
    configuration: () => unknown
  }): Promise<FakeBotpress> {
    const server = await BotpressServer.start({
      botId: runtime.identity.botId,
      integrationName: 'liveagent-hop',
      webhookId: runtime.identity.webhookId,
    })
    return new FakeBotpress(server, runtime)
  }

  public get store() {
    return this._server.store
  }

  public get url(): string {
    return this._server.url
  }

  /** The base of webhook URLs (what BP_WEBHOOK_URL is in production: https://webhook.botpress.cloud). */
  public get webhookBaseUrl(): string {
    return this._server.webhookBaseUrl
  }

  /** Where the integration listens: from here on Botpress calls it and relays webhooks to it. */
  public connect(integrationUrl: string): void {
    this._server.connectIntegration(
      new IntegrationCaller(integrationUrl, this._runtime.identity, this._runtime.configuration)
    )
  }

  public async callAction(type: string, input: unknown): Promise<RuntimeResponse> {
    return this._server.integration.call('action_triggered', { type, input }, type)
  }

  public async register(webhookUrl: string): Promise<RuntimeResponse> {
    return this._server.integration.call('register', { webhookUrl })
  }

  /** The bot (the HITL plugin) writes in a hitl conversation: Botpress stores it and calls the channel handler. */
  public async sendOutgoingMessage(props: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
  }): Promise<RuntimeResponse & { messageId: string }> {
    const message = this._server.createOutgoingMessage(props)
    const response = await this._server.integration.call(
      'message_created',
      this._server.messageCreatedBody(message),
      props.type
    )
    return { ...response, messageId: message.id }
  }

  public async close(): Promise<void> {
    await this._server.close()
  }
}
