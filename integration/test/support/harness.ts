// Calls the integration's handlers directly (integration.actions / channels / webhook), with the in-memory Botpress
// client and a fake hop server on loopback: Botpress-side effects are read from the store, hop-side ones from the fake.
import { BotpressStore } from '@liveagent-hop/botpress-emulator'
import integration from '../../src/index.js'
import type * as bp from '../../src/bp.js'
import type { ConfigurationInput } from '../../src/definitions/configuration.js'
import type { HitlMessagePayloads, HistoryMessage } from '../../src/definitions/hitl-interface.js'
import { FakeHopServer, signedHeaders } from './fake-hop-server.js'
import {
  createFakeClient,
  createFakeLogger,
  fakeContext,
  testConfiguration,
  TEST_IDENTITY,
  TEST_SECRET,
  TEST_TENANT,
} from './fakes.js'

export const WEBHOOK_BASE_URL = 'http://127.0.0.1:9/webhook'
export const ANDY = { id: '005A00000000001', name: 'Andy' }
export const BEA = { id: '005A00000000002', name: 'Bea' }

export class DirectHarness {
  public readonly store = new BotpressStore({ botId: TEST_IDENTITY.botId })
  public readonly client: bp.Client = createFakeClient(this.store)
  public readonly logger = createFakeLogger()
  public configuration: ConfigurationInput

  private constructor(public readonly hop: FakeHopServer) {
    this.configuration = testConfiguration(hop.url)
  }

  public static async start(): Promise<DirectHarness> {
    return new DirectHarness(await FakeHopServer.start({ [TEST_TENANT]: TEST_SECRET }))
  }

  public async close(): Promise<void> {
    await this.hop.close()
  }

  public configure(overrides: Partial<ConfigurationInput>): void {
    this.configuration = { ...testConfiguration(this.hop.url), ...overrides }
  }

  public get props(): bp.CommonProps {
    return { ctx: fakeContext(this.configuration), client: this.client, logger: this.logger }
  }

  private _action<T>(input: T) {
    return { ...this.props, input, metadata: { setCost: () => {} } }
  }

  public createUser(input: bp.ActionProps['createUser']['input']) {
    return integration.actions.createUser({ ...this._action(input), type: 'createUser' })
  }

  public startHitl(input: bp.ActionProps['startHitl']['input']) {
    return integration.actions.startHitl({ ...this._action(input), type: 'startHitl' })
  }

  public register() {
    return integration.register({ ...this.props, webhookUrl: `${WEBHOOK_BASE_URL}/wh_test` })
  }

  public stopHitl(conversationId: string) {
    return integration.actions.stopHitl({ ...this._action({ conversationId }), type: 'stopHitl' })
  }

  public matchTrigger(input: bp.ActionProps['matchTrigger']['input']) {
    return integration.actions.matchTrigger({ ...this._action(input), type: 'matchTrigger' })
  }

  public getHandoffStatus(conversationId: string) {
    return integration.actions.getHandoffStatus({ ...this._action({ conversationId }), type: 'getHandoffStatus' })
  }

  /** A visitor and a started hand-off, with the chat the hop server created for it. */
  public async startHandoff(
    options: { history?: HistoryMessage[]; hitlSession?: bp.ActionProps['startHitl']['input']['hitlSession'] } = {}
  ) {
    const { userId } = await this.createUser({ name: 'Ada', email: 'ada@example.com' })
    const { conversationId } = await this.startHitl({
      userId,
      title: 'Order question',
      messageHistory: options.history ?? [
        { source: { type: 'user', userId }, type: 'text', payload: { text: 'Can I talk to a human?' } },
      ],
      ...(options.hitlSession ? { hitlSession: options.hitlSession } : {}),
    })
    return { userId, conversationId, chatId: this.hop.chatOf(conversationId).chatId }
  }

  /** The hop server's next event for a chat, signed and handed to the webhook handler. */
  public async event(chatId: string, type: string, data: Record<string, unknown>, seq?: number) {
    const chat = this.hop.chats.get(chatId)!
    const next = seq ?? chat.seq + 1
    const body = JSON.stringify({
      chatId,
      conversationId: chat.conversationId,
      seq: next,
      type,
      at: new Date().toISOString(),
      data,
    })
    const response = await this.webhook(body)
    if (response.status === 200 && next > chat.seq) chat.seq = next
    return response
  }

  public async webhook(body: string, headers: Record<string, string> = signedHeaders(TEST_TENANT, TEST_SECRET, body)) {
    const response = await integration.webhook({
      ...this.props,
      req: { method: 'POST', path: '/', query: '', headers, body },
    })
    const result = response ?? { status: 200 }
    return {
      status: result.status ?? 200,
      body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
    }
  }

  /**
   * The HITL plugin copies a visitor message into the hitl conversation, with `payload.userId` = the customer's
   * Botpress user (plugins/hitl before-incoming-message/all.ts): Botpress calls the channel handler.
   */
  public async visitorSays<T extends keyof HitlMessagePayloads>(
    conversationId: string,
    userId: string,
    type: T,
    payload: HitlMessagePayloads[T],
    messageId?: string
  ) {
    return this._channelMessage(conversationId, userId, type, { ...payload, userId }, messageId)
  }

  /** The HITL plugin writes for the agent itself ("( The user has ended the session. )"): no `payload.userId`. */
  public async pluginSays(conversationId: string, text: string) {
    const { user } = this.store.createUser({ name: 'Bot' })
    return this._channelMessage(conversationId, user.id, 'text', { text })
  }

  private async _channelMessage<T extends keyof HitlMessagePayloads>(
    conversationId: string,
    userId: string,
    type: T,
    payload: HitlMessagePayloads[T],
    messageId?: string
  ) {
    const { message } = messageId
      ? this.store.getMessage({ id: messageId })
      : this.store.createMessage({ conversationId, userId, type, payload: payload as Record<string, unknown> })
    const { conversation } = this.store.getConversation({ id: conversationId })
    const { user } = this.store.getUser({ id: userId })
    const handler = integration.channels.hitl.messages[type] as (props: bp.MessageProps[T]) => Promise<void>
    const props = { ...this.props, type, payload, conversation, user, message, ack: async () => {} }
    await handler(props as unknown as bp.MessageProps[T])
    return message.id
  }

  public handoffState(conversationId: string) {
    return this.store.conversationState(conversationId, 'handoff')
  }

  /** Texts shown in the hitl conversation, with their author's name. */
  public texts(conversationId: string): string[] {
    return this.store.transcript(conversationId).map((line) => `${line.user}: ${line.text}`)
  }
}

/**
 * A DirectHarness for the enclosing describe block: started before its tests with BP_WEBHOOK_URL set to
 * WEBHOOK_BASE_URL (the integration signs and verifies over it), closed after them with the variable restored.
 * `onStart` receives the harness, for the block's own `let h`.
 */
export function useDirectHarness(onStart: (harness: DirectHarness) => void): void {
  const previousWebhookUrl = process.env.BP_WEBHOOK_URL
  let harness: DirectHarness | undefined
  beforeAll(async () => {
    process.env.BP_WEBHOOK_URL = WEBHOOK_BASE_URL
    harness = await DirectHarness.start()
    onStart(harness)
  })
  afterAll(async () => {
    if (previousWebhookUrl === undefined) delete process.env.BP_WEBHOOK_URL
    else process.env.BP_WEBHOOK_URL = previousWebhookUrl
    await harness?.close()
  })
}
