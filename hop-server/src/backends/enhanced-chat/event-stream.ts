// The Enhanced Chat event stream (`GET /eventrouter/v1/sse`) of one guest identity, read with eventsource-parser
// over a got stream. Events are handed on one at a time, in order, each awaited before the next; `lastEventId`
// then moves past it, so a reconnect (or a restart from the stored cursor) resumes after the last handled event.
// A dropped, ended or silent stream is reconnected with bounded backoff and jitter; 401/403/400 end the reader
// with their classified error, since a retry cannot fix them.
import http from 'node:http'
import https from 'node:https'
import got, { type Got } from 'got'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { classifyFailure, classifyResponse } from './classify.js'
import {
  DEFAULT_STREAM_RETRY,
  DEFAULT_TIMEOUTS,
  EVENT,
  HEADER,
  SSE_PATH,
  type RequestTimeouts,
  type RetryPolicy,
} from './constants.js'
import { EnhancedChatError } from './errors.js'
import { toOrgId15 } from './org-id.js'
import { retryDelay, sleep } from './retry.js'
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
const MAX_ERROR_BODY = 4096
const NUMERIC_ID = /^\d+$/

/** Reads the stream until close() (resolves) or an error a reconnect cannot fix (rejects with EnhancedChatError). */
export class EnhancedChatEventStream {
  private cursor: string
  private readonly timeouts: Pick<RequestTimeouts, 'streamConnectMs' | 'streamIdleMs'>
  private readonly policy: RetryPolicy
  private readonly stop = new AbortController()
  private readonly httpAgent = new http.Agent({ keepAlive: true })
  private readonly httpsAgent = new https.Agent({ keepAlive: true })
  private readonly http: Got
  private running: Promise<void> | undefined
  private connections = 0

  private readonly orgId: string

  constructor(private readonly options: EventStreamOptions) {
    this.orgId = toOrgId15(options.orgId)
    this.cursor = options.lastEventId
    this.timeouts = {
      streamConnectMs: options.timeouts?.streamConnectMs ?? DEFAULT_TIMEOUTS.streamConnectMs,
      streamIdleMs: options.timeouts?.streamIdleMs ?? DEFAULT_TIMEOUTS.streamIdleMs,
    }
    this.policy = { ...DEFAULT_STREAM_RETRY, ...options.retry }
    this.http = got.extend({
      agent: { http: this.httpAgent, https: this.httpsAgent },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      // Only the wait for the headers is bounded here; a silent open stream is caught by the idle timer.
      timeout: { response: this.timeouts.streamConnectMs },
    })
    const external = options.signal
    if (external) {
      if (external.aborted) this.stop.abort()
      else external.addEventListener('abort', () => this.stop.abort(), { once: true })
    }
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
    this.running ??= this.loop().finally(() => {
      this.httpAgent.destroy()
      this.httpsAgent.destroy()
    })
    return this.running
  }

  /** Stops reading: the socket is destroyed, timers cleared; resolves once the reader has stopped. */
  async close(): Promise<void> {
    this.stop.abort()
    if (this.running) await this.running.catch(() => undefined)
    else {
      this.httpAgent.destroy()
      this.httpsAgent.destroy()
    }
  }

  private async loop(): Promise<void> {
    let attempt = 0
    while (!this.stop.signal.aborted) {
      const { progressed, error } = await this.readOnce()
      if (this.stop.signal.aborted || error.kind === 'aborted') return
      if (progressed) attempt = 0
      attempt += 1
      const delay = retryDelay(error, attempt, this.policy, this.options.random)
      if (delay === undefined) throw error
      this.options.onReconnect?.(error, attempt, delay)
      try {
        await sleep(delay, this.stop.signal, OPERATION)
      } catch {
        return
      }
    }
  }

  /**
   * One connection, until it ends: whether it handled at least one frame, and why it ended (a stream the server
   * ends is treated as dropped). A throw from onEvent is rethrown as is: the reader stops.
   */
  private async readOnce(): Promise<{ progressed: boolean; error: EnhancedChatError }> {
    const request = this.http.stream(`${this.options.baseUrl}${SSE_PATH}`, {
      headers: {
        accept: 'text/event-stream',
        'cache-control': 'no-cache',
        [HEADER.authorization]: `Bearer ${this.options.accessToken}`,
        [HEADER.orgId]: this.orgId,
        [HEADER.lastEventId]: this.cursor,
      },
    })
    const abort = () => request.destroy()
    this.stop.signal.addEventListener('abort', abort, { once: true })
    let idle: NodeJS.Timeout | undefined
    let progressed = false
    try {
      const status = await new Promise<number>((resolve, reject) => {
        request.once('response', (response: { statusCode: number }) => resolve(response.statusCode))
        request.once('error', reject)
        // A destroyed request does not always emit 'error': close() during the connect must not wait on it.
        request.once('close', () =>
          setImmediate(() => reject(new EnhancedChatError('network', OPERATION, 'the connection closed')))
        )
        if (this.stop.signal.aborted) reject(new EnhancedChatError('aborted', OPERATION, `${OPERATION} was aborted`))
      })
      if (status !== 200) throw classifyResponse(OPERATION, status, await readText(request))
      this.connections += 1

      const armIdle = () => {
        clearTimeout(idle)
        idle = setTimeout(
          () =>
            request.destroy(
              new EnhancedChatError('timeout', OPERATION, `no event or ping for ${this.timeouts.streamIdleMs} ms`)
            ),
          this.timeouts.streamIdleMs
        )
      }
      const frames: EventSourceMessage[] = []
      const parser = createParser({ onEvent: (frame) => frames.push(frame) })
      const decoder = new TextDecoder()
      armIdle()
      for await (const chunk of request as AsyncIterable<Buffer>) {
        // The silence that counts is the server's: a slow onEvent does not make the stream dead.
        clearTimeout(idle)
        parser.feed(decoder.decode(chunk, { stream: true }))
        while (frames.length > 0) {
          await this.handle(frames.shift()!)
          progressed = true
        }
        armIdle()
      }
      return { progressed, error: new EnhancedChatError('network', OPERATION, 'the event stream ended') }
    } catch (error) {
      if (error instanceof HookFailure) throw error.cause
      return { progressed, error: classifyFailure(OPERATION, error, this.timeouts.streamConnectMs) }
    } finally {
      clearTimeout(idle)
      this.stop.signal.removeEventListener('abort', abort)
      request.destroy()
    }
  }

  private async handle(frame: EventSourceMessage): Promise<void> {
    if (frame.event === EVENT.ping) return
    const id = frame.id
    // Replays may overlap what was handled (ids are numeric on every stream seen): never hand an event on twice.
    if (id !== undefined && isAtOrBefore(id, this.cursor)) return
    let data: unknown
    try {
      data = JSON.parse(frame.data)
    } catch {
      data = undefined
    }
    const parsed = eventEnvelopeSchema.safeParse(data)
    if (!parsed.success) {
      this.options.onInvalid?.(id, frame.event, data === undefined ? 'data is not JSON' : describeIssues(parsed.error))
    } else {
      try {
        await this.options.onEvent({
          id: id ?? this.cursor,
          name: frame.event ?? 'message',
          conversationId: parsed.data.conversationId,
          entry: parsed.data.conversationEntry,
        })
      } catch (error) {
        throw new HookFailure(error)
      }
    }
    if (id !== undefined) this.cursor = id
  }
}

/** Carries a throw of the caller's onEvent out of the read loop, told apart from transport errors. */
class HookFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('onEvent failed')
  }
}

function isAtOrBefore(id: string, cursor: string): boolean {
  if (!NUMERIC_ID.test(id) || !NUMERIC_ID.test(cursor)) return false
  return BigInt(id) <= BigInt(cursor)
}

async function readText(stream: AsyncIterable<Buffer>): Promise<string> {
  let text = ''
  for await (const chunk of stream) {
    text += chunk.toString('utf8')
    if (text.length > MAX_ERROR_BODY) break
  }
  return text
}
