// The held Messages poll over bare node:http(s). A chat holds one of these open nearly all the time, so a poll
// allocates as little as a GET can, and what can be kept is kept per chat (HeldGet is reused poll after poll):
// the request options and the raw header list are built once per session credentials, the listeners are
// module-level functions that find their HeldGet through the request (no bound callback, no closure per poll),
// the HeldGet itself is the abort listener (`handleEvent`). Per poll: one request, one timer, one promise.
// scripts/poll-holders.ts measures it beside got.
//
// The held polls have their own keep-alive agents (PollAgents), apart from the request/response calls' agents, and
// spread over several of them: Node's http.Agent keeps one array of sockets per host and searches it each time a
// socket is freed or closes, so a short call sharing an agent with thousands of held polls pays a scan of thousands
// (scripts/agent-lists.ts measures it). Request/response calls stay on got (client.ts); this file serves only GETs
// whose answer is a small text body.
import type { ClientRequest, IncomingMessage } from 'node:http'
import http from 'node:http'
import https from 'node:https'
import {
  LiveAgentAbortError,
  LiveAgentInputError,
  LiveAgentNetworkError,
  LiveAgentTimeoutError,
  type LiveAgentError,
} from './errors.js'
import { scrubSecrets } from './redact.js'

/** Agents the held polls are spread over: each keeps a socket list of about chats / POLL_AGENT_SHARDS. */
export const POLL_AGENT_SHARDS = 32

/**
 * The held polls' keep-alive agents for one endpoint: each chat's poller takes one, round-robin, and keeps it (so
 * its polls reuse its socket), and no agent's socket list grows past about chats / shards.
 */
export class PollAgents {
  private readonly agents: http.Agent[]
  private next = 0

  constructor(secure: boolean, shards = POLL_AGENT_SHARDS) {
    this.agents = Array.from({ length: shards }, () =>
      secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true })
    )
  }

  pick(): http.Agent {
    const agent = this.agents[this.next] as http.Agent
    this.next = (this.next + 1) % this.agents.length
    return agent
  }

  /** Sockets open across the agents (in use and idle): what shutdown must leave at zero. */
  socketCount(): number {
    let count = 0
    for (const agent of this.agents) {
      for (const list of Object.values(agent.sockets)) count += list?.length ?? 0
      for (const list of Object.values(agent.freeSockets)) count += list?.length ?? 0
    }
    return count
  }

  destroy(): void {
    for (const agent of this.agents) agent.destroy()
  }
}

/** Where the polls of one endpoint go: fixed for a client. */
export interface HeldGetTarget {
  secure: boolean
  hostname: string
  port: number
  /** Host header value (`host` or `host:port`). */
  host: string
  /** Logical resource name for errors. */
  resource: string
}

/** Told of each request, synchronously (metrics); must not throw. */
export interface HeldGetObserver {
  /** A request went out. */
  started(): void
  /** The request settled, once, in its own callback: the status (undefined without one), when it started. */
  settled(status: number | undefined, startedAt: number): void
}

export interface HeldGetResponse {
  status: number
  body: string
}

/** The HeldGet a request serves, found by the module-level listeners through the request itself. */
const HELD = Symbol('held-get')
type HeldRequest = ClientRequest & { [HELD]?: HeldGet }
type HeldResponse = IncomingMessage & { [HELD]?: HeldGet }

/**
 * One chat's held GET, reused poll after poll (at most one in flight). Rejects only with LiveAgentError (network,
 * timeout, aborted). Events of an earlier request that arrive late are recognised and ignored.
 */
export class HeldGet {
  private request: HeldRequest | undefined
  private response: IncomingMessage | undefined
  private timer: NodeJS.Timeout | undefined
  private signal: AbortSignal | undefined
  private timeoutMs = 0
  private status: number | undefined
  private body = ''
  private done = true
  private startedAt = 0
  private resolve: ((response: HeldGetResponse) => void) | undefined
  private reject: ((error: LiveAgentError) => void) | undefined
  /** The secret scrubbed from error messages and the body, and its URL-encoded form. */
  private secret: string | undefined
  private encodedSecret: string | undefined
  /** What http.request copies per poll: only `path` changes between polls, `headers` with the credentials. */
  private readonly options: http.RequestOptions & { headers: string[] }

  constructor(
    agents: PollAgents,
    private readonly target: HeldGetTarget,
    private readonly observer: HeldGetObserver | undefined
  ) {
    this.options = {
      hostname: target.hostname,
      port: target.port,
      method: 'GET',
      path: '/',
      headers: [],
      agent: agents.pick(),
    }
  }

  /**
   * Sets the headers every poll sends until they change: a raw [name, value, …] list, which node:http writes as
   * it is (no per-header bookkeeping); it must hold Host itself. `secret` is scrubbed from errors and the body.
   */
  setHeaders(headers: string[], secret: string | undefined): void {
    this.options.headers = ['Host', this.target.host, ...headers]
    this.secret = secret || undefined
    this.encodedSecret = secret ? encodeURIComponent(secret) : undefined
  }

  /** Sends one GET of `path` (absolute path with query) with the headers set last. */
  get(path: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<HeldGetResponse> {
    return new Promise((resolve, reject) => {
      if (!this.done) {
        reject(new LiveAgentInputError(`a ${this.target.resource} request is already in flight on this poller`))
        return
      }
      this.done = false
      this.resolve = resolve
      this.reject = reject
      this.status = undefined
      this.body = ''
      this.timeoutMs = timeoutMs
      this.signal = signal
      this.startedAt = performance.now()
      this.observer?.started()
      this.start(path)
    })
  }

  private start(path: string): void {
    if (this.signal?.aborted) return this.fail(new LiveAgentAbortError(this.target.resource))
    const options = this.options
    options.path = path
    let request: HeldRequest
    try {
      request = (this.target.secure ? https : http).request(options)
    } catch (error) {
      this.request = undefined
      return this.fail(this.networkError(error))
    }
    request[HELD] = this
    this.request = request
    this.response = undefined
    request.on('response', onResponse)
    request.on('error', onRequestError)
    this.timer = setTimeout(onTimeout, this.timeoutMs, this)
    this.signal?.addEventListener('abort', this)
    request.end()
  }

  /** The abort listener (an EventListener object, so no function is bound for it). */
  handleEvent(): void {
    this.fail(new LiveAgentAbortError(this.target.resource))
  }

  /** Whether an event from `emitter` is for the poll in flight (not a late one from an earlier poll). */
  owns(emitter: ClientRequest | IncomingMessage): boolean {
    return !this.done && (emitter === this.request || emitter === this.response)
  }

  responded(response: HeldResponse): void {
    response[HELD] = this
    this.response = response
    this.status = response.statusCode ?? 0
    response.setEncoding('utf8')
    response.on('data', onData)
    response.on('end', onEnd)
    response.on('error', onResponseError)
    // A socket closed mid-body ends with 'close' and no 'end': a network error, never a short body.
    response.on('close', onClose)
  }

  received(chunk: string): void {
    this.body += chunk
  }

  ended(): void {
    const status = this.status ?? 0
    let body = this.body
    const secret = this.secret
    if (secret && (body.includes(secret) || body.includes(this.encodedSecret as string))) {
      body = scrubSecrets(body, [secret])
    }
    const resolve = this.resolve
    this.settle(this.status)
    resolve?.({ status, body })
  }

  failed(error: unknown): void {
    this.fail(this.networkError(error))
  }

  closedEarly(): void {
    this.fail(new LiveAgentNetworkError(this.target.resource, 'the response ended early', 'ECONNRESET'))
  }

  timedOut(): void {
    this.fail(new LiveAgentTimeoutError(this.target.resource, this.timeoutMs))
  }

  private fail(error: LiveAgentError): void {
    if (this.done) return
    const reject = this.reject
    const request = this.request
    this.settle(undefined)
    request?.destroy()
    reject?.(error)
  }

  /** Clears the timer and the abort listener, and tells the observer, exactly once per poll. */
  private settle(status: number | undefined): void {
    this.done = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.signal?.removeEventListener('abort', this)
    this.signal = undefined
    this.resolve = undefined
    this.reject = undefined
    this.body = ''
    this.observer?.settled(status, this.startedAt)
  }

  private networkError(error: unknown): LiveAgentError {
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    return new LiveAgentNetworkError(this.target.resource, scrubSecrets(message, [this.secret]), code)
  }
}

// The listeners: one function each for every poll of every chat; `this` is the request or its response.

function heldOf(emitter: HeldRequest | HeldResponse): HeldGet | undefined {
  const held = emitter[HELD]
  return held?.owns(emitter) ? held : undefined
}

function onResponse(this: ClientRequest, response: IncomingMessage): void {
  const held = heldOf(this)
  if (held) held.responded(response)
  else response.resume()
}

function onRequestError(this: ClientRequest, error: Error): void {
  heldOf(this)?.failed(error)
}

function onData(this: IncomingMessage, chunk: string): void {
  heldOf(this)?.received(chunk)
}

function onEnd(this: IncomingMessage): void {
  heldOf(this)?.ended()
}

function onResponseError(this: IncomingMessage, error: Error): void {
  heldOf(this)?.failed(error)
}

function onClose(this: IncomingMessage): void {
  heldOf(this)?.closedEarly()
}

function onTimeout(held: HeldGet): void {
  held.timedOut()
}
