// One chat of the naive baseline: the common design of the open-source peers (Botpress v12's sf-liveagent module,
// Rocket.Chat's Apps.Salesforce.LiveAgent, Maven AGI's chat app, and the mocks their tests use), reproduced on
// purpose, mistakes included, so the bench can show what the hop server's design buys:
// - one independent long-poll loop per chat, started by the chat itself, state only in memory;
// - a new TCP connection for every request (no keep-alive agent) to Live Agent and to the webhook;
// - `ack` starts at 0 and is incremented on every poll (204 included), overwritten by `sequence` on a 200
//   (the Botpress v12 module); no X-LIVEAGENT-SEQUENCE header on POSTs (most peers), so the mock runs --lenient;
// - no outbox, no retries, no 503 hand-over handling: errors are logged and the loop polls on.
// Webhooks are signed like the hop server's and numbered per chat, so the same receiver can check them.
import { setTimeout as sleep } from 'node:timers/promises'
import { JsonClient } from '../http/json-client.js'
import { signedHeaders } from '../http/signing.js'

export interface NaiveChatOptions {
  chatId: string
  conversationId: string
  webhookUrl: string
  endpoint: string
  organizationId: string
  deploymentId: string
  buttonId: string
  apiVersion: string
  visitorName: string
  tenant: string
  secret: string
  /** Called once the chat is over (ended by anyone, or the session is gone). */
  onOver(chatId: string): void
  log(message: string): void
}

/** A new connection per request, as the peers' axios/fetch calls without an agent do. */
const http = new JsonClient({ keepAlive: false, timeoutMs: 60_000 })

const OK = 200
const NO_CONTENT = 204
const FORBIDDEN = 403
/** The v12 module's first ack. */
const FIRST_ACK = 0
/** A failed poll is retried after a pause (the peers' setInterval cadence). */
const ERROR_PAUSE_MS = 1000

interface LiveAgentMessage {
  type: string
  message: Record<string, unknown>
}

export class NaiveChat {
  private key = ''
  private affinity = ''
  private ack = FIRST_ACK
  private webhookSeq = 0
  private over = false
  /** The visitor asked to end: the 403 its own held poll then gets is that end, not an error. */
  private ending = false

  constructor(private readonly options: NaiveChatOptions) {}

  /** SessionId, ChasitorInit, then the poll loop (not awaited by the caller: it runs until the chat is over). */
  async start(): Promise<void> {
    const session = await http.request('GET', this.url('System/SessionId'), undefined, this.headers('null'))
    if (session.status !== OK) throw new Error(`SessionId answered ${session.status}`)
    this.key = String(session.body.key)
    this.affinity = String(session.body.affinityToken)
    const init = await http.request(
      'POST',
      this.url('Chasitor/ChasitorInit'),
      JSON.stringify({
        organizationId: this.options.organizationId,
        deploymentId: this.options.deploymentId,
        buttonId: this.options.buttonId,
        sessionId: String(session.body.id),
        userAgent: 'naive-baseline',
        language: 'en-US',
        screenResolution: '1900x1080',
        visitorName: this.options.visitorName,
        prechatDetails: [],
        prechatEntities: [],
        receiveQueueUpdates: true,
        isPost: true,
      }),
      this.headers()
    )
    if (init.status !== OK) throw new Error(`ChasitorInit answered ${init.status}`)
    void this.pollLoop()
  }

  async sendMessage(text: string): Promise<number> {
    const response = await http.request(
      'POST',
      this.url('Chasitor/ChatMessage'),
      JSON.stringify({ text }),
      this.headers()
    )
    return response.status
  }

  async end(): Promise<void> {
    if (this.over) return
    this.ending = true
    await http.request('POST', this.url('Chasitor/ChatEnd'), JSON.stringify({ reason: 'client' }), this.headers())
    await this.finish('visitor')
  }

  private async pollLoop(): Promise<void> {
    while (!this.over) {
      const ack = this.ack
      this.ack++
      try {
        const response = await http.request(
          'GET',
          `${this.url('System/Messages')}?ack=${ack}`,
          undefined,
          this.headers()
        )
        if (this.over) return
        if (response.status === OK) {
          this.ack = Number(response.body.sequence)
          for (const message of (response.body.messages ?? []) as LiveAgentMessage[]) await this.relay(message)
        } else if (response.status === FORBIDDEN) {
          // On a loaded machine the held poll's 403 can come back before the ChatEnd answer does.
          if (this.ending) return
          await this.finish('error')
        } else if (response.status !== NO_CONTENT) {
          this.options.log(`chat ${this.options.chatId}: Messages answered ${response.status}`)
          await sleep(ERROR_PAUSE_MS)
        }
      } catch (error) {
        this.options.log(`chat ${this.options.chatId}: Messages failed: ${(error as Error).message}`)
        await sleep(ERROR_PAUSE_MS)
      }
    }
  }

  private async relay({ type, message }: LiveAgentMessage): Promise<void> {
    const agent = { id: String(message.agentId ?? message.userId ?? ''), name: String(message.name ?? '') }
    switch (type) {
      case 'ChatRequestSuccess':
        return this.webhook('chat.queued', { position: Number(message.queuePosition ?? 0) })
      case 'ChatEstablished':
        return this.webhook('agent.joined', { agent })
      case 'ChatMessage':
        return this.webhook('agent.message', { text: String(message.text ?? ''), agent })
      case 'ChatEnded':
        return this.finish('agent')
      case 'ChatRequestFail':
        return this.finish('no_agent')
      default:
        return undefined
    }
  }

  private async finish(reason: string): Promise<void> {
    if (this.over) return
    this.over = true
    await this.webhook('chat.ended', { reason })
    this.options.onOver(this.options.chatId)
  }

  /** Fire once, no retry: what the peers do. */
  private async webhook(type: string, data: Record<string, unknown>): Promise<void> {
    this.webhookSeq++
    const body = JSON.stringify({
      chatId: this.options.chatId,
      conversationId: this.options.conversationId,
      seq: this.webhookSeq,
      type,
      at: new Date().toISOString(),
      data,
    })
    try {
      const response = await http.request(
        'POST',
        this.options.webhookUrl,
        body,
        signedHeaders(this.options.tenant, this.options.secret, {
          method: 'POST',
          url: this.options.webhookUrl,
          rawBody: body,
          webhook: true,
        })
      )
      if (response.status !== OK) this.options.log(`webhook ${type} answered ${response.status}`)
    } catch (error) {
      this.options.log(`webhook ${type} failed: ${(error as Error).message}`)
    }
  }

  private url(resource: string): string {
    return `${this.options.endpoint}/rest/${resource}`
  }

  private headers(affinity = this.affinity): Record<string, string> {
    return {
      'X-LIVEAGENT-API-VERSION': this.options.apiVersion,
      'X-LIVEAGENT-AFFINITY': affinity,
      ...(this.key ? { 'X-LIVEAGENT-SESSION-KEY': this.key } : {}),
    }
  }
}
