// A webhook receiver for tests, the bench and contract tests: a real HTTP server on loopback that verifies the
// hop server's signature (401 otherwise), records each event, applies each (chatId, seq) once, and can be told
// to fail for a while (receiver "down") to exercise retries.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyRequest, webhookSignedTarget } from '@liveagent-hop/bridge-contract'

export interface ReceivedEvent {
  chatId: string
  conversationId: string
  seq: number
  type: string
  at: string
  data: Record<string, unknown>
}

export interface WebhookReceiverOptions {
  /** tenant id → secret the receiver accepts. */
  secrets: ReadonlyMap<string, string> | Record<string, string>
  port?: number
  windowMs?: number
}

const ANSWER_FAILURE = 503
const POLL_INTERVAL_MS = 20
const DEFAULT_WAIT_MS = 10_000

export class WebhookReceiver {
  /** Every verified delivery, duplicates included, in arrival order. */
  readonly deliveries: ReceivedEvent[] = []
  /** Requests refused for a bad signature. */
  rejected = 0
  private readonly applied = new Map<string, ReceivedEvent[]>()
  private failing: number | 'always' = 0
  private readonly secrets: ReadonlyMap<string, string>
  private server: Server | undefined
  url = ''

  constructor(private readonly options: WebhookReceiverOptions) {
    this.secrets = options.secrets instanceof Map ? options.secrets : new Map(Object.entries(options.secrets))
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`
    return this
  }

  /** Answer 503 to the next `count` deliveries, or to all until `recover()`. */
  fail(count: number | 'always'): void {
    this.failing = count
  }

  recover(): void {
    this.failing = 0
  }

  /** The events of a chat, each seq once, in seq order. */
  events(chatId: string): ReceivedEvent[] {
    return [...(this.applied.get(chatId) ?? [])].sort((a, b) => a.seq - b.seq)
  }

  /** Waits until the chat's applied events satisfy `predicate`; throws after `timeoutMs`. */
  async waitFor(
    chatId: string,
    predicate: (events: ReceivedEvent[]) => boolean,
    timeoutMs = DEFAULT_WAIT_MS
  ): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const events = this.events(chatId)
      if (predicate(events)) return events
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for webhook events of ${chatId}; got ${JSON.stringify(events.map((e) => e.type))}`
        )
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
    }
  }

  waitForType(chatId: string, type: string, timeoutMs?: number): Promise<ReceivedEvent[]> {
    return this.waitFor(chatId, (events) => events.some((event) => event.type === type), timeoutMs)
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const verdict = verifyRequest({
      headers: request.headers,
      method: request.method ?? '',
      // The bridge contract's webhook rule: the absolute URL the event was posted to.
      target: webhookSignedTarget(new URL(request.url ?? '/', this.url)),
      rawBody: raw,
      secrets: this.secrets,
      windowMs: this.options.windowMs,
    })
    if (!verdict.ok) {
      this.rejected += 1
      return this.answer(response, 401, { message: verdict.message })
    }
    if (this.failing === 'always' || this.failing > 0) {
      if (this.failing !== 'always') this.failing -= 1
      return this.answer(response, ANSWER_FAILURE, { message: 'receiver down (test)' })
    }
    const event = JSON.parse(raw.toString('utf8')) as ReceivedEvent
    this.deliveries.push(event)
    const applied = this.applied.get(event.chatId) ?? []
    if (!applied.some((known) => known.seq === event.seq)) applied.push(event)
    this.applied.set(event.chatId, applied)
    this.answer(response, 200, { ok: true })
  }

  private answer(response: ServerResponse, status: number, body: object): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  return new WebhookReceiver(options).start()
}
