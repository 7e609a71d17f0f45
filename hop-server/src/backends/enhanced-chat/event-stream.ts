// The Enhanced Chat event stream (`GET /eventrouter/v1/sse`) of one guest identity: one held connection at a time
// (sse-connection.ts, bare node:http), reconnected with bounded backoff and jitter when it drops, ends or goes
// silent. Events are handed on one at a time, in order, each awaited before the next; `lastEventId` then moves past
// it, so a reconnect (or a restart from the stored cursor) resumes after the last handled event. 401/403/400 end
// the reader with their classified error, since a retry cannot fix them.
import {
  DEFAULT_STREAM_RETRY,
  DEFAULT_TIMEOUTS,
  EVENT,
  HEADER,
  SSE_PATH,
  type RequestTimeouts,
  type RetryPolicy,
} from './constants.js'
import type { EnhancedChatError } from './errors.js'
import { toOrgId15 } from './org-id.js'
import { retryDelay } from './retry.js'
import { prepareSseTarget, SseConnection, type SseFrame, type SseTarget } from './sse-connection.js'
import { describeIssues, eventEnvelopeSchema, type StreamEvent } from './wire.js'

export interface EventStreamOptions {
  /** The SCRT2 origin, e.g. `https://acme.my.salesforce-scrt.com` (EnhancedChatClient.baseUrl). */
  baseUrl: string
  /** The org id, 15 or 18 characters (the stream's X-Org-Id is always the 15-character form). */
  orgId: string
  accessToken: string
  /** Resume point: the token's `lastEventId` on the first connect, then the stored cursor. */
  lastEventId: string
  /** Handles one event; the next waits for it. A throw stops the reader (the event counts as not handled). */
  onEvent: (event: StreamEvent) => void | Promise<void>
  /** A frame that is not a valid conversation event (reported, skipped, the cursor moves past it). */
  onInvalid?: (id: string | undefined, name: string | undefined, issue: string) => void
  /** Before each reconnect wait. */
  onReconnect?: (error: EnhancedChatError, attempt: number, delayMs: number) => void
  timeouts?: Partial<Pick<RequestTimeouts, 'streamConnectMs' | 'streamIdleMs'>>
  retry?: Partial<RetryPolicy>
  random?: () => number
  signal?: AbortSignal
}

const OPERATION = 'eventStream'
const NUMERIC_ID = /^\d+$/
const EVENT_STREAM_TYPE = 'text/event-stream'

/** Reads the stream until close() (resolves) or an error a reconnect cannot fix (rejects with EnhancedChatError). */
export class EnhancedChatEventStream {
  private cursor: string
  private readonly connectTimeoutMs: number
  private readonly idleTimeoutMs: number
  private readonly policy: RetryPolicy
  private readonly target: SseTarget
  private running: Promise<void> | undefined
  private connections = 0
  private closed = false
  private connection: SseConnection | undefined
  private waitTimer: NodeJS.Timeout | undefined
  private endWait: (() => void) | undefined

  constructor(private readonly options: EventStreamOptions) {
    this.cursor = options.lastEventId
    this.connectTimeoutMs = options.timeouts?.streamConnectMs ?? DEFAULT_TIMEOUTS.streamConnectMs
    this.idleTimeoutMs = options.timeouts?.streamIdleMs ?? DEFAULT_TIMEOUTS.streamIdleMs
    this.policy = options.retry ? { ...DEFAULT_STREAM_RETRY, ...options.retry } : DEFAULT_STREAM_RETRY
    this.target = prepareSseTarget(`${options.baseUrl}${SSE_PATH}`, {
      accept: EVENT_STREAM_TYPE,
      'cache-control': 'no-cache',
      [HEADER.authorization]: `Bearer ${options.accessToken}`,
      [HEADER.orgId]: toOrgId15(options.orgId),
      [HEADER.lastEventId]: this.cursor,
    })
    this.stopNow = this.stopNow.bind(this)
    this.onOpen = this.onOpen.bind(this)
    this.handle = this.handle.bind(this)
    const external = options.signal
    if (external?.aborted) this.closed = true
    else external?.addEventListener('abort', this.stopNow, { once: true })
  }

  /** The id of the last event handled (or skipped as unknown): where a reconnect resumes. */
  get lastEventId(): string {
    return this.cursor
  }

  /** How many times the stream connected (1 + reconnects that got through). */
  get connectionCount(): number {
    return this.connections
  }

  /** Starts reading; the promise settles when the reader stops. Calling it again returns the same promise. */
  run(): Promise<void> {
    this.running ??= this.loop().finally(() => this.options.signal?.removeEventListener('abort', this.stopNow))
    return this.running
  }

  /** Stops reading: the socket is destroyed, timers cleared; resolves once the reader has stopped. */
  async close(): Promise<void> {
    this.stopNow()
    if (this.running) await this.running.catch(() => undefined)
    else this.options.signal?.removeEventListener('abort', this.stopNow)
  }

  private stopNow(): void {
    this.closed = true
    this.connection?.abort()
    clearTimeout(this.waitTimer)
    this.endWait?.()
  }

  private async loop(): Promise<void> {
    let attempt = 0
    while (!this.closed) {
      this.target.options.headers[HEADER.lastEventId] = this.cursor
      this.connection = new SseConnection({
        target: this.target,
        operation: OPERATION,
        connectTimeoutMs: this.connectTimeoutMs,
        idleTimeoutMs: this.idleTimeoutMs,
        onOpen: this.onOpen,
        onFrame: this.handle,
      })
      const { progressed, error } = await this.connection.open()
      this.connection = undefined
      if (this.closed || error.kind === 'aborted') return
      if (progressed) attempt = 0
      attempt += 1
      const delay = retryDelay(error, attempt, this.policy, this.options.random)
      if (delay === undefined) throw error
      this.options.onReconnect?.(error, attempt, delay)
      await this.wait(delay)
    }
  }

  /** The reconnect wait; close() cuts it short. */
  private wait(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.endWait = () => {
        this.endWait = undefined
        resolve()
      }
      this.waitTimer = setTimeout(this.endWait, ms)
    })
  }

  private onOpen(): void {
    this.connections += 1
  }

  /** One frame: a promise only while an event is handed on (pings, replays and invalid frames are done at once). */
  private handle(frame: SseFrame): Promise<void> | undefined {
    if (frame.event === EVENT.ping) return undefined
    const id = frame.id
    // Replays may overlap what was handled (ids are numeric on every stream seen): never hand an event on twice.
    if (id !== undefined && isAtOrBefore(id, this.cursor)) return undefined
    let data: unknown
    try {
      data = JSON.parse(frame.data)
    } catch {
      data = undefined
    }
    const parsed = eventEnvelopeSchema.safeParse(data)
    if (!parsed.success) {
      this.options.onInvalid?.(id, frame.event, data === undefined ? 'data is not JSON' : describeIssues(parsed.error))
      this.moveTo(id)
      return undefined
    }
    return this.handOn(
      {
        id: id ?? this.cursor,
        name: frame.event ?? 'message',
        conversationId: parsed.data.conversationId,
        entry: parsed.data.conversationEntry,
      },
      id
    )
  }

  private async handOn(event: StreamEvent, id: string | undefined): Promise<void> {
    await this.options.onEvent(event)
    this.moveTo(id)
  }

  private moveTo(id: string | undefined): void {
    if (id !== undefined) this.cursor = id
  }
}

function isAtOrBefore(id: string, cursor: string): boolean {
  if (!NUMERIC_ID.test(id) || !NUMERIC_ID.test(cursor)) return false
  return BigInt(id) <= BigInt(cursor)
}
