// The held Messages poll over bare node:http(s) with the client's keep-alive agents. A chat holds one of these
// open nearly all the time, so it allocates as little as a GET can: one request, one timer, one abort listener, one
// promise; no options object merged per call, no stream wrapper, no async iterator. scripts/poll-holders.ts
// measures it beside got (about three times its memory and CPU per held poll here).
// Request/response calls stay on got (client.ts); this file serves only GETs whose answer is a small text body.
import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import http from 'node:http'
import https from 'node:https'
import { LiveAgentAbortError, LiveAgentNetworkError, LiveAgentTimeoutError, type LiveAgentError } from './errors.js'
import { scrubSecrets } from './redact.js'

export interface HeldGetAgents {
  http: Agent
  https: Agent
}

export interface HeldGetRequest {
  /** Absolute URL (the key may sit in headers, never in the URL). */
  url: string
  headers: OutgoingHttpHeaders
  /** Logical resource name for errors. */
  resource: string
  timeoutMs: number
  signal: AbortSignal | undefined
  /** Scrubbed from error messages and the body. */
  secret: string | undefined
  /** Called once when the request settles, in the request's own callback: the status, or undefined without one. */
  onSettled: ((status: number | undefined) => void) | undefined
}

export interface HeldGetResponse {
  status: number
  body: string
}

/** Sends one GET and collects its text body. Rejects only with LiveAgentError (network, timeout, aborted). */
export function heldGet(agents: HeldGetAgents, spec: HeldGetRequest): Promise<HeldGetResponse> {
  return new Promise((resolve, reject) => new HeldGet(agents, spec, resolve, reject).start())
}

/** One request's state; its methods are the request's callbacks (bound once, no closure per event). */
class HeldGet {
  private request: ClientRequest | undefined
  private timer: NodeJS.Timeout | undefined
  private status: number | undefined
  private body = ''
  private done = false

  constructor(
    private readonly agents: HeldGetAgents,
    private readonly spec: HeldGetRequest,
    private readonly resolve: (response: HeldGetResponse) => void,
    private readonly reject: (error: LiveAgentError) => void
  ) {
    this.onAbort = this.onAbort.bind(this)
    this.onTimeout = this.onTimeout.bind(this)
    this.onResponse = this.onResponse.bind(this)
    this.onError = this.onError.bind(this)
    this.onData = this.onData.bind(this)
    this.onEnd = this.onEnd.bind(this)
    this.onClose = this.onClose.bind(this)
  }

  start(): void {
    const { spec } = this
    if (spec.signal?.aborted) return this.fail(new LiveAgentAbortError(spec.resource))
    const secure = spec.url.startsWith('https:')
    try {
      this.request = (secure ? https : http).request(spec.url, {
        method: 'GET',
        headers: spec.headers,
        agent: secure ? this.agents.https : this.agents.http,
      })
    } catch (error) {
      return this.fail(this.networkError(error))
    }
    this.request.on('response', this.onResponse)
    this.request.on('error', this.onError)
    this.timer = setTimeout(this.onTimeout, spec.timeoutMs)
    spec.signal?.addEventListener('abort', this.onAbort)
    this.request.end()
  }

  private onResponse(response: IncomingMessage): void {
    this.status = response.statusCode ?? 0
    response.setEncoding('utf8')
    response.on('data', this.onData)
    response.on('end', this.onEnd)
    response.on('error', this.onError)
    // A socket closed mid-body ends with 'close' and no 'end': a network error, never a short body.
    response.on('close', this.onClose)
  }

  private onData(chunk: string): void {
    this.body += chunk
  }

  private onEnd(): void {
    if (this.done) return
    this.settle(this.status)
    const body = this.spec.secret ? scrubSecrets(this.body, [this.spec.secret]) : this.body
    this.resolve({ status: this.status ?? 0, body })
  }

  private onClose(): void {
    if (!this.done) this.fail(new LiveAgentNetworkError(this.spec.resource, 'the response ended early', 'ECONNRESET'))
  }

  private onError(error: Error): void {
    if (!this.done) this.fail(this.networkError(error))
  }

  private onTimeout(): void {
    this.fail(new LiveAgentTimeoutError(this.spec.resource, this.spec.timeoutMs))
  }

  private onAbort(): void {
    this.fail(new LiveAgentAbortError(this.spec.resource))
  }

  private fail(error: LiveAgentError): void {
    if (this.done) return
    this.settle(undefined)
    this.request?.destroy()
    this.reject(error)
  }

  /** Clears the timer and the abort listener, and tells the observer, exactly once. */
  private settle(status: number | undefined): void {
    this.done = true
    clearTimeout(this.timer)
    this.spec.signal?.removeEventListener('abort', this.onAbort)
    this.spec.onSettled?.(status)
  }

  private networkError(error: unknown): LiveAgentError {
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    const secrets = this.spec.secret ? [this.spec.secret] : []
    return new LiveAgentNetworkError(this.spec.resource, scrubSecrets(message, secrets), code)
  }
}
