// One connection of the Enhanced Chat event stream: a held GET over bare node:http(s), read as SSE frames with
// eventsource-parser. A chat holds one nearly all the time, so it allocates as little as a held response can: no
// agent (the socket belongs to this one request and closes with it: no keep-alive pool, whose socket list Node scans
// on every close), no got stream wrapper, no async iterator or TextDecoder, one idle timer re-armed with refresh(),
// callbacks bound once. Frames are handed on one at a time, each awaited, with the response paused meanwhile.
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'
import { urlToHttpOptions } from 'node:url'
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'
import { classifyFailure, classifyResponse } from './classify.js'
import { HEADER } from './constants.js'
import { EnhancedChatError } from './errors.js'

export type SseFrame = EventSourceMessage

/** Where and how to connect, prepared once per stream; only the Last-Event-Id header changes between connects. */
export interface SseTarget {
  readonly secure: boolean
  readonly options: RequestOptions & { headers: Record<string, string> }
}

export interface SseConnectionSpec {
  target: SseTarget
  /** Names the call in errors (`eventStream`). */
  operation: string
  /** Until the response's headers. */
  connectTimeoutMs: number
  /** No byte from the server for this long (while no frame is being handled) means the stream is dead. */
  idleTimeoutMs: number
  /** The server answered 200: the stream is open. */
  onOpen: () => void
  /**
   * Handles one frame; the next waits for it. Returns a promise only when the frame needs waiting for (a ping or a
   * replayed event is handled at once, without pausing the response). A throw ends the connection and rejects
   * open() with it.
   */
  onFrame: (frame: SseFrame) => void | Promise<void>
}

/** Why a connection ended, and whether it handled at least one frame first. */
export interface SseConnectionEnd {
  progressed: boolean
  error: EnhancedChatError
}

const SUCCESS = 200
/** Of an error answer, the body kept for the error's message (Salesforce's are short JSON or text). */
const MAX_ERROR_BODY = 4096
const DEFAULT_PORT = { http: 80, https: 443 } as const

/** The stream's URL and fixed headers as request options, with a direct socket instead of an agent's. */
export function prepareSseTarget(url: string, headers: Record<string, string>): SseTarget {
  const parsed = new URL(url)
  const secure = parsed.protocol === 'https:'
  const { hostname, port, path } = urlToHttpOptions(parsed)
  return {
    secure,
    options: {
      method: 'GET',
      hostname,
      // Without an agent Node's default port is 80 for both protocols: say it.
      port: port ?? (secure ? DEFAULT_PORT.https : DEFAULT_PORT.http),
      path,
      headers,
      createConnection: secure ? connectTls : connectTcp,
    },
  }
}

function connectTcp(options: RequestOptions): net.Socket {
  return net.createConnection(options as net.NetConnectOpts)
}

/** A TLS socket with SNI (an agent would have set servername; a direct connection must). */
function connectTls(options: RequestOptions): tls.TLSSocket {
  const host = options.hostname ?? options.host ?? undefined
  return tls.connect({
    ...(options as tls.ConnectionOptions),
    ...(host && !net.isIP(host) ? { servername: host } : {}),
  })
}

/** One connect and read, until the stream ends, fails, goes silent, or abort() is called. */
export class SseConnection {
  private request: ClientRequest | undefined
  private response: IncomingMessage | undefined
  private timer: NodeJS.Timeout | undefined
  private parser: EventSourceParser | undefined
  private readonly frames: SseFrame[] = []
  private errorBody = ''
  private draining = false
  private progressed = false
  /** An end that came while a frame was being handled: applied once it is. */
  private pendingEnd: EnhancedChatError | undefined
  private done = false
  private resolve: ((end: SseConnectionEnd) => void) | undefined
  private reject: ((error: unknown) => void) | undefined

  constructor(private readonly spec: SseConnectionSpec) {
    this.onResponse = this.onResponse.bind(this)
    this.onRequestError = this.onRequestError.bind(this)
    this.onConnectTimeout = this.onConnectTimeout.bind(this)
    this.onIdle = this.onIdle.bind(this)
    this.onData = this.onData.bind(this)
    this.onErrorData = this.onErrorData.bind(this)
    this.onEnd = this.onEnd.bind(this)
    this.onErrorEnd = this.onErrorEnd.bind(this)
    this.onClose = this.onClose.bind(this)
    this.onResponseError = this.onResponseError.bind(this)
    this.pushFrame = this.pushFrame.bind(this)
  }

  /**
   * Connects and reads; resolves with why the connection ended (a stream the server ends counts as dropped), or
   * rejects with what onFrame threw. Call once.
   */
  open(): Promise<SseConnectionEnd> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
      const { target } = this.spec
      try {
        this.request = (target.secure ? https : http).request(target.options)
      } catch (error) {
        return this.end(classifyFailure(this.spec.operation, error, this.spec.connectTimeoutMs))
      }
      this.request.on('response', this.onResponse)
      this.request.on('error', this.onRequestError)
      this.timer = setTimeout(this.onConnectTimeout, this.spec.connectTimeoutMs)
      this.request.end()
    })
  }

  /** Stops at once (the socket is destroyed); a frame being handled finishes first. */
  abort(): void {
    this.end(new EnhancedChatError('aborted', this.spec.operation, `${this.spec.operation} was aborted`))
  }

  private onResponse(response: IncomingMessage): void {
    if (this.done) return
    this.response = response
    clearTimeout(this.timer)
    response.setEncoding('utf8')
    response.on('error', this.onResponseError)
    response.on('close', this.onClose)
    if (response.statusCode !== SUCCESS) {
      response.on('data', this.onErrorData)
      response.on('end', this.onErrorEnd)
      return
    }
    this.spec.onOpen()
    this.parser = createParser({ onEvent: this.pushFrame })
    response.on('data', this.onData)
    response.on('end', this.onEnd)
    this.timer = setTimeout(this.onIdle, this.spec.idleTimeoutMs)
  }

  private onData(chunk: string): void {
    if (this.done) return
    this.timer?.refresh()
    this.parser!.feed(chunk)
    if (this.frames.length > 0 && !this.draining) void this.drain()
  }

  private pushFrame(frame: SseFrame): void {
    this.frames.push(frame)
  }

  /**
   * Hands the parsed frames on in order. Frames handled at once (pings) cost no pause; while one is awaited, the
   * response is paused until the last frame is handled.
   */
  private async drain(): Promise<void> {
    this.draining = true
    let paused = false
    try {
      // Frames received whole before the connection ended are handed on; after an abort, none is.
      while (this.frames.length > 0 && !this.done && this.pendingEnd?.kind !== 'aborted') {
        const handling = this.spec.onFrame(this.frames.shift()!)
        if (handling) {
          if (!paused) this.response!.pause()
          paused = true
          await handling
        }
        this.progressed = true
      }
    } catch (error) {
      this.draining = false
      return this.fail(error)
    }
    this.draining = false
    if (this.pendingEnd) return this.end(this.pendingEnd)
    if (this.done || !paused) return
    // The silence that counts is the server's: a slow handler does not make the stream dead.
    this.timer?.refresh()
    this.response!.resume()
  }

  private onErrorData(chunk: string): void {
    this.errorBody += chunk
    if (this.errorBody.length > MAX_ERROR_BODY) this.onErrorEnd()
  }

  private onErrorEnd(): void {
    const retryAfter = this.response?.headers[HEADER.retryAfter]
    this.end(
      classifyResponse(
        this.spec.operation,
        this.response?.statusCode ?? 0,
        this.errorBody,
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
      )
    )
  }

  private onEnd(): void {
    this.end(new EnhancedChatError('network', this.spec.operation, 'the event stream ended'))
  }

  private onClose(): void {
    // A socket closed mid-body ends with 'close' and no 'end'.
    this.end(new EnhancedChatError('network', this.spec.operation, 'the connection closed'))
  }

  private onRequestError(error: Error): void {
    this.end(classifyFailure(this.spec.operation, error, this.spec.connectTimeoutMs))
  }

  private onResponseError(error: Error): void {
    this.end(classifyFailure(this.spec.operation, error, this.spec.connectTimeoutMs))
  }

  private onConnectTimeout(): void {
    const { operation, connectTimeoutMs } = this.spec
    this.end(new EnhancedChatError('timeout', operation, `${operation} got no answer within ${connectTimeoutMs} ms`))
  }

  private onIdle(): void {
    // While a frame is handled the response is paused; drain() re-arms the timer when it resumes.
    if (this.draining) return
    this.end(
      new EnhancedChatError('timeout', this.spec.operation, `no event or ping for ${this.spec.idleTimeoutMs} ms`)
    )
  }

  /** Ends with `error` as the reason; while a frame is handled, once it is (the next connection must not overtake it). */
  private end(error: EnhancedChatError): void {
    if (this.done) return
    if (this.draining) {
      this.pendingEnd ??= error
      this.request?.destroy()
      return
    }
    this.release()
    this.resolve!({ progressed: this.progressed, error })
  }

  private fail(error: unknown): void {
    if (this.done) return
    this.release()
    this.reject!(error)
  }

  private release(): void {
    this.done = true
    clearTimeout(this.timer)
    this.frames.length = 0
    this.request?.destroy()
  }
}
