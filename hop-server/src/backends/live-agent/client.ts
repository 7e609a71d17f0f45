// LiveAgentClient: stateless, typed methods for every chasitor resource over one pair of keep-alive agents:
// request/response calls through one prepared got instance (absolute URLs, bodies serialised once), the held
// Messages poll through bare node:http (held-get.ts), which costs a held chat about a third of got's memory and CPU
// (scripts/poll-holders.ts). It keeps no session state (that is the cursor's job, see session.ts) and never retries by
// itself: a blind retry of a POST could deliver a message twice, so retries belong to ChatSession, which resends
// with the same sequence.
import http from 'node:http'
import https from 'node:https'
import got, { AbortError, RequestError, TimeoutError, type Got, type Method } from 'got'
import type { z } from 'zod'
import {
  DEFAULT_API_VERSION,
  DEFAULT_REQUEST_TIMEOUTS,
  DEFAULTS,
  HEADER,
  NULL_AFFINITY,
  RESOURCE,
  type RequestTimeouts,
} from './constants.js'
import {
  LiveAgentAbortError,
  LiveAgentError,
  LiveAgentHttpError,
  LiveAgentInputError,
  LiveAgentMalformedResponseError,
  LiveAgentNetworkError,
  LiveAgentSwitchServerError,
  LiveAgentTimeoutError,
} from './errors.js'
import { describeIssues, messagesEnvelopeSchema, parseEvent, type MessagesBatch } from './events.js'
import { HeldGet, PollAgents, type HeldGetResponse, type HeldGetObserver, type HeldGetTarget } from './held-get.js'
import { silentLogger, type LiveAgentLogger } from './logger.js'
import { chasitorPostSchema, describePost, type ChasitorPost } from './posts.js'
import { redactKey, scrubSecrets } from './redact.js'
import {
  availabilityMessageSchema,
  chasitorInitParamsSchema,
  reconnectResponseSchema,
  sessionIdResponseSchema,
  settingsMessageSchema,
  switchServerMessageSchema,
  visitorEnvelopeSchema,
  type AvailabilityResult,
  type ChasitorInitBody,
  type ChasitorInitParams,
  type ReconnectResult,
  type SessionIdResponse,
  type VisitorQuery,
  type VisitorSettings,
} from './wire.js'

export interface LiveAgentClientOptions {
  /** The Chat API endpoint, e.g. `https://d.la1-c2-ia2.salesforceliveagent.com/chat`; resources live under `/rest/`. */
  endpoint: string
  /** X-LIVEAGENT-API-VERSION (29–67). */
  apiVersion?: string
  timeouts?: Partial<RequestTimeouts>
  logger?: LiveAgentLogger
  /** Told about polls and answers as they happen (metrics), from the request's own callback. */
  observer?: LiveAgentClientObserver
}

/** What the metrics learn from the client; every method is called synchronously and must not throw. */
export interface LiveAgentClientObserver {
  /** A Messages poll went out. */
  pollStarted(): void
  /** A Messages poll settled: its status, or undefined when there was no answer (network, timeout, aborted). */
  pollSettled(status: number | undefined, seconds: number): void
  /** A session-scoped request (poll, Chasitor post, resync) was answered with this status. */
  answered(status: number): void
}

/** The credentials of one session: what every session-scoped request carries. */
export interface SessionAuth {
  key: string
  affinityToken: string
}

export interface CallOptions {
  /** Aborts the request at once; the call then rejects with LiveAgentAbortError. */
  signal?: AbortSignal
  /** Overrides the request kind's timeout. */
  timeoutMs?: number
}

export interface PollParams {
  /** Last sequence received (-1 before the first batch). */
  ack: number
  /** Poll counter (undocumented `pc`); omitted when undefined. */
  pc?: number
}

/** A Messages poll: a batch (200), or nothing within the server's hold time (204). */
export type PollResult = ({ status: 200 } & MessagesBatch) | { status: 204 }

type RawResponse = HeldGetResponse

interface RequestSpec {
  method: Method
  path: string
  /** Logical resource name for errors and logs (never the URL, which may contain the key). */
  resource: string
  headers: Record<string, string>
  searchParams?: Record<string, string | number>
  /** The JSON body, serialised once here rather than by got per attempt. */
  json?: object
  timeoutMs: number
  options: CallOptions | undefined
  /** Values scrubbed from every error message and body (the session key). */
  secrets: string[]
  /** Whether the observer hears of the answer's status (session-scoped requests). */
  observed?: boolean
}

const NO_CONTENT = 204
const SUCCESS_MIN = 200
const SUCCESS_MAX = 299
const MS_PER_SECOND = 1000
/** Sent on every request, poll included, so both transports look alike on the wire. */
const USER_AGENT = 'liveagent-hop'
const JSON_TYPE = 'application/json'
const HTTP_PORT = 80
const HTTPS_PORT = 443

export class LiveAgentClient {
  readonly endpoint: string
  readonly apiVersion: string
  private readonly timeouts: RequestTimeouts
  private readonly logger: LiveAgentLogger
  private readonly observer: LiveAgentClientObserver | undefined
  /** The request/response calls' agents: a handful of sockets, never the held polls' thousands. */
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  }
  /** The held polls' own agents (see held-get.ts for why apart and spread). */
  private readonly pollAgents: PollAgents
  private readonly pollTarget: HeldGetTarget
  private readonly http: Got
  /** `<endpoint>/rest/`: every resource URL is this plus a path, built once per request as a plain string. */
  private readonly restBase: string
  /** The Messages path with `?ack=` appended: a poll's path is this plus two numbers. */
  private readonly pollPathAck: string
  private readonly pollObserver: HeldGetObserver | undefined

  constructor(options: LiveAgentClientOptions) {
    this.endpoint = normaliseEndpoint(options.endpoint)
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION
    if (!/^\d+$/.test(this.apiVersion)) throw new LiveAgentInputError('apiVersion must be an integer such as "63"')
    this.timeouts = { ...DEFAULT_REQUEST_TIMEOUTS, ...options.timeouts }
    this.logger = options.logger ?? silentLogger
    this.observer = options.observer
    this.restBase = `${this.endpoint}/rest/`
    const url = new URL(this.restBase + RESOURCE.messages)
    const secure = url.protocol === 'https:'
    this.pollAgents = new PollAgents(secure)
    this.pollTarget = {
      secure,
      // URL keeps IPv6 hosts bracketed; http.request wants them bare.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : secure ? HTTPS_PORT : HTTP_PORT,
      host: url.host,
      resource: RESOURCE.messages,
    }
    this.pollPathAck = `${url.pathname}?ack=`
    const observer = this.observer
    this.pollObserver = observer
      ? {
          started: () => observer.pollStarted(),
          settled: (status, startedAt) => {
            observer.pollSettled(status, (performance.now() - startedAt) / MS_PER_SECOND)
            if (status !== undefined) observer.answered(status)
          },
        }
      : undefined
    this.http = got.extend({
      agent: this.agents,
      headers: { [HEADER.apiVersion]: this.apiVersion, accept: JSON_TYPE, 'user-agent': USER_AGENT },
      // Retries are the session's business (sequence-safe); got must never replay a request on its own.
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
    })
  }

  /** Closes the keep-alive sockets, the held polls' too. Call on shutdown (in-flight requests fail as network errors). */
  close(): void {
    this.agents.http.destroy()
    this.agents.https.destroy()
    this.pollAgents.destroy()
  }

  /** Sockets the held polls have open (in use and idle): zero after close(). */
  pollSocketCount(): number {
    return this.pollAgents.socketCount()
  }

  // ------------------------------------------------------------------ session

  /** GET System/SessionId: a new session (affinity `null`). */
  async createSession(options?: CallOptions): Promise<SessionIdResponse> {
    const resource = RESOURCE.sessionId
    const res = await this.request({
      method: 'GET',
      path: resource,
      resource,
      headers: { [HEADER.affinity]: NULL_AFFINITY },
      timeoutMs: options?.timeoutMs ?? this.timeouts.session,
      options,
      secrets: [],
    })
    expectSuccess(resource, res)
    const parsed = parseJsonBody(resource, res, sessionIdResponseSchema)
    return {
      id: parsed.id,
      key: parsed.key,
      affinityToken: parsed.affinityToken,
      clientPollTimeoutSec: parsed.clientPollTimeout ?? DEFAULTS.clientPollTimeoutSec,
    }
  }

  /** DELETE System/SessionId/{key}: ends the session (the only way to cancel before an agent joins). */
  async deleteSession(auth: SessionAuth, options?: CallOptions): Promise<void> {
    const resource = `${RESOURCE.sessionId} (DELETE)`
    const res = await this.request({
      method: 'DELETE',
      path: `${RESOURCE.sessionId}/${encodeURIComponent(auth.key)}`,
      resource,
      headers: sessionHeaders(auth),
      timeoutMs: options?.timeoutMs ?? this.timeouts.session,
      options,
      secrets: [auth.key],
    })
    expectSuccess(resource, res)
  }

  /**
   * GET System/ReconnectSession after a 503 (§4.5): affinity `null`, the last non-zero offset. Returns the new
   * affinity token; the caller restarts its POST sequence at 1 when `resetSequence` is true.
   */
  async reconnectSession(key: string, offset: number, options?: CallOptions): Promise<ReconnectResult> {
    const resource = RESOURCE.reconnectSession
    const res = await this.request({
      method: 'GET',
      path: resource,
      resource,
      headers: { [HEADER.affinity]: NULL_AFFINITY, [HEADER.sessionKey]: key },
      searchParams: { 'ReconnectSession.offset': offset },
      timeoutMs: options?.timeoutMs ?? this.timeouts.session,
      options,
      secrets: [key],
    })
    expectSuccess(resource, res)
    const parsed = parseJsonBody(resource, res, reconnectResponseSchema)
    return { affinityToken: parsed.affinityToken, resetSequence: parsed.resetSequence ?? true }
  }

  // ------------------------------------------------------------------ messages (long poll)

  /**
   * GET System/Messages?ack=&pc=: one long poll. Resolves with the batch (200) or `{status: 204}`. Any other
   * status rejects with LiveAgentHttpError (403 session over, 409 duplicate poll, 503 hand-over, 5xx). The
   * timeout should be clientPollTimeout plus a margin: pass it as `timeoutMs`. A session polling again and again
   * passes its own `poller()` (made by this client), which keeps what it can between polls; without one, the poll
   * gets a fresh poller.
   */
  messages(auth: SessionAuth, params: PollParams, options?: CallOptions, poller?: MessagesPoller): Promise<PollResult> {
    const timeoutMs = options?.timeoutMs ?? DEFAULTS.clientPollTimeoutSec * MS_PER_SECOND + DEFAULTS.pollTimeoutMarginMs
    return (poller ?? this.poller()).poll(auth, params.ack, params.pc, timeoutMs, options?.signal)
  }

  /** A Messages poller for one session (one poll in flight at a time), reused poll after poll. */
  poller(): MessagesPoller {
    return new MessagesPoller(new HeldGet(this.pollAgents, this.pollTarget, this.pollObserver), this.pollPathAck, {
      [HEADER.apiVersion]: this.apiVersion,
    })
  }

  // ------------------------------------------------------------------ sequenced POSTs

  /** POST Chasitor/ChasitorInit (always sequence 1 of a fresh session). `sessionId` comes from createSession. */
  async chasitorInit(
    auth: SessionAuth,
    sequence: number,
    params: ChasitorInitParams & { sessionId: string },
    options?: CallOptions
  ): Promise<void> {
    const { sessionId, ...rest } = params
    const body: ChasitorInitBody = { ...validate(chasitorInitParamsSchema, rest, 'ChasitorInit'), sessionId }
    await this.send(auth, sequence, { kind: 'ChasitorInit', body }, options)
  }

  async chatMessage(auth: SessionAuth, sequence: number, text: string, options?: CallOptions): Promise<void> {
    await this.send(auth, sequence, { kind: 'ChatMessage', text }, options)
  }

  async typing(auth: SessionAuth, sequence: number, options?: CallOptions): Promise<void> {
    await this.send(auth, sequence, { kind: 'ChasitorTyping' }, options)
  }

  async notTyping(auth: SessionAuth, sequence: number, options?: CallOptions): Promise<void> {
    await this.send(auth, sequence, { kind: 'ChasitorNotTyping' }, options)
  }

  async sneakPeek(
    auth: SessionAuth,
    sequence: number,
    peek: { position: number; text: string },
    options?: CallOptions
  ): Promise<void> {
    await this.send(auth, sequence, { kind: 'ChasitorSneakPeek', ...peek }, options)
  }

  async customEvent(
    auth: SessionAuth,
    sequence: number,
    event: { type: string; data: string },
    options?: CallOptions
  ): Promise<void> {
    await this.send(auth, sequence, { kind: 'CustomEvent', ...event }, options)
  }

  /** POST Chasitor/ChatEnd {reason:"client"}. A 403 means the chat had already ended (§2). */
  async chatEnd(auth: SessionAuth, sequence: number, options?: CallOptions): Promise<void> {
    await this.send(auth, sequence, { kind: 'ChatEnd', reason: 'client' }, options)
  }

  /**
   * Sends any sequenced post with X-LIVEAGENT-SEQUENCE: `sequence`. Resolves on 2xx; rejects with
   * LiveAgentHttpError otherwise (409 "Out of sync", see parseOutOfSync; 503 hand-over; 403 session over).
   */
  async send(auth: SessionAuth, sequence: number, post: ChasitorPost, options?: CallOptions): Promise<void> {
    const valid = validate(chasitorPostSchema, post, 'post')
    if (!Number.isInteger(sequence) || sequence < 1) throw new LiveAgentInputError('sequence must be an integer ≥ 1')
    const { resource, body } = describePost(valid)
    const res = await this.request({
      method: 'POST',
      path: resource,
      resource,
      headers: { ...sessionHeaders(auth), [HEADER.sequence]: String(sequence) },
      json: body,
      timeoutMs: options?.timeoutMs ?? this.timeouts.post,
      options,
      secrets: [auth.key],
      observed: true,
    })
    expectSuccess(resource, res)
  }

  /** POST Chasitor/ChasitorResyncState {organizationId}: after ChasitorSessionData, with no sequence (§4.5). */
  async resyncState(auth: SessionAuth, organizationId: string, options?: CallOptions): Promise<void> {
    const resource = RESOURCE.resyncState
    const res = await this.request({
      method: 'POST',
      path: resource,
      resource,
      headers: sessionHeaders(auth),
      json: { organizationId },
      timeoutMs: options?.timeoutMs ?? this.timeouts.post,
      options,
      secrets: [auth.key],
      observed: true,
    })
    expectSuccess(resource, res)
  }

  // ------------------------------------------------------------------ visitor resources (version header only)

  /** GET Visitor/Availability for buttons or agents. Rejects with LiveAgentSwitchServerError if the org moved. */
  async availability(query: VisitorQuery, options?: CallOptions): Promise<AvailabilityResult[]> {
    const resource = RESOURCE.availability
    const searchParams: Record<string, string | number> = {
      org_id: query.organizationId,
      deployment_id: query.deploymentId,
      'Availability.ids': `[${query.ids.join(',')}]`,
    }
    if (query.needEstimatedWaitTime) searchParams['Availability.needEstimatedWaitTime'] = 1
    const message = await this.visitorMessage(resource, 'Availability', searchParams, options)
    const parsed = parseValue(resource, message, availabilityMessageSchema)
    return parsed.results.map((r) => ({
      id: r.id,
      isAvailable: r.isAvailable ?? false,
      ...(r.estimatedWaitTime === undefined ? {} : { estimatedWaitTime: r.estimatedWaitTime }),
    }))
  }

  /** GET Visitor/Settings for buttons. Rejects with LiveAgentSwitchServerError if the org moved. */
  async settings(query: VisitorQuery, options?: CallOptions): Promise<VisitorSettings> {
    const resource = RESOURCE.settings
    const searchParams: Record<string, string | number> = {
      org_id: query.organizationId,
      deployment_id: query.deploymentId,
      'Settings.buttonIds': `[${query.ids.join(',')}]`,
      'Settings.updateBreadcrumb': 1,
    }
    if (query.needEstimatedWaitTime) searchParams['Settings.needEstimatedWaitTime'] = 1
    const message = await this.visitorMessage(resource, 'Settings', searchParams, options)
    return parseValue(resource, message, settingsMessageSchema)
  }

  private async visitorMessage(
    resource: string,
    type: string,
    searchParams: Record<string, string | number>,
    options: CallOptions | undefined
  ): Promise<unknown> {
    const res = await this.request({
      method: 'GET',
      path: resource,
      resource,
      headers: {},
      searchParams,
      timeoutMs: options?.timeoutMs ?? this.timeouts.visitor,
      options,
      secrets: [],
    })
    expectSuccess(resource, res)
    const envelope = parseJsonBody(resource, res, visitorEnvelopeSchema)
    const switchServer = envelope.messages.find((m) => m.type === 'SwitchServer')
    if (switchServer) {
      const { newUrl } = parseValue(resource, switchServer.message, switchServerMessageSchema)
      throw new LiveAgentSwitchServerError(resource, newUrl)
    }
    const wanted = envelope.messages.find((m) => m.type === type)
    if (!wanted) {
      throw new LiveAgentMalformedResponseError(resource, res.status, res.body, `no ${type} message in the response`)
    }
    return wanted.message
  }

  // ------------------------------------------------------------------ transport

  private async request(spec: RequestSpec): Promise<RawResponse> {
    const started = Date.now()
    const signal = spec.options?.signal
    if (signal?.aborted) throw new LiveAgentAbortError(spec.resource)
    const query = spec.searchParams ? `?${new URLSearchParams(stringValues(spec.searchParams)).toString()}` : ''
    if (spec.json) spec.headers['content-type'] = JSON_TYPE
    try {
      const response = await this.http(this.restBase + spec.path + query, {
        method: spec.method,
        headers: spec.headers,
        ...(spec.json ? { body: JSON.stringify(spec.json) } : {}),
        timeout: { request: spec.timeoutMs },
        ...(signal ? { signal } : {}),
      })
      if (spec.observed) this.observer?.answered(response.statusCode)
      const body = scrubSecrets(response.body ?? '', spec.secrets)
      if (this.logger.isLevelEnabled?.('debug') !== false) {
        this.logger.debug(
          {
            resource: spec.resource,
            status: response.statusCode,
            ms: Date.now() - started,
            session: spec.secrets[0] ? redactKey(spec.secrets[0]) : undefined,
          },
          'live agent request'
        )
      }
      return { status: response.statusCode, body }
    } catch (error) {
      throw this.translateError(spec, error, signal)
    }
  }

  private translateError(spec: RequestSpec, error: unknown, signal: AbortSignal | undefined): LiveAgentError {
    if (error instanceof LiveAgentError) return error
    if (signal?.aborted || error instanceof AbortError) return new LiveAgentAbortError(spec.resource)
    if (error instanceof TimeoutError) return new LiveAgentTimeoutError(spec.resource, spec.timeoutMs)
    const message = error instanceof Error ? error.message : String(error)
    const code = error instanceof RequestError ? error.code : undefined
    return new LiveAgentNetworkError(spec.resource, scrubSecrets(message, spec.secrets), code)
  }
}

/**
 * One session's Messages polls: the headers are rebuilt only when the credentials change (a 503 hand-over brings
 * a new affinity token), the request state is reused (HeldGet).
 */
export class MessagesPoller {
  private key: string | undefined
  private affinityToken: string | undefined

  constructor(
    private readonly held: HeldGet,
    private readonly pathAck: string,
    private readonly fixedHeaders: { [HEADER.apiVersion]: string }
  ) {}

  /**
   * One poll, as LiveAgentClient.messages, with its values passed as they are (no options object per poll).
   * `auth` may be any object holding the credentials (read, not kept).
   */
  poll(
    auth: SessionAuth,
    ack: number,
    pc: number | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined
  ): Promise<PollResult> {
    if (auth.key !== this.key || auth.affinityToken !== this.affinityToken) this.setAuth(auth)
    const path = pc === undefined ? `${this.pathAck}${ack}` : `${this.pathAck}${ack}&pc=${pc}`
    return this.held.get(path, timeoutMs, signal).then(readPoll)
  }

  private setAuth(auth: SessionAuth): void {
    this.key = auth.key
    this.affinityToken = auth.affinityToken
    this.held.setHeaders(
      [
        HEADER.apiVersion,
        this.fixedHeaders[HEADER.apiVersion],
        'accept',
        JSON_TYPE,
        'user-agent',
        USER_AGENT,
        HEADER.affinity,
        auth.affinityToken,
        HEADER.sessionKey,
        auth.key,
      ],
      auth.key
    )
  }
}

/** A Messages answer: 204, or a 200 batch; any other status is a LiveAgentHttpError for the classifier. */
function readPoll(res: RawResponse): PollResult {
  const resource = RESOURCE.messages
  if (res.status === NO_CONTENT) return { status: NO_CONTENT }
  expectSuccess(resource, res)
  const envelope = parseJsonBody(resource, res, messagesEnvelopeSchema)
  return {
    status: 200,
    events: envelope.messages.map(parseEvent),
    sequence: envelope.sequence,
    offset: envelope.offset,
  }
}

function stringValues(params: Record<string, string | number>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) values[name] = String(value)
  return values
}

function sessionHeaders(auth: SessionAuth): Record<string, string> {
  return { [HEADER.affinity]: auth.affinityToken, [HEADER.sessionKey]: auth.key }
}

function expectSuccess(resource: string, res: RawResponse): void {
  if (res.status < SUCCESS_MIN || res.status > SUCCESS_MAX) throw new LiveAgentHttpError(resource, res.status, res.body)
}

function parseJsonBody<S extends z.ZodType>(resource: string, res: RawResponse, schema: S): z.output<S> {
  let json: unknown
  try {
    json = JSON.parse(res.body)
  } catch {
    throw new LiveAgentMalformedResponseError(resource, res.status, res.body, 'the body is not valid JSON')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    throw new LiveAgentMalformedResponseError(resource, res.status, res.body, describeIssues(parsed.error))
  }
  return parsed.data
}

function parseValue<S extends z.ZodType>(resource: string, value: unknown, schema: S): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const body = JSON.stringify(value) ?? ''
    throw new LiveAgentMalformedResponseError(resource, 200, body, describeIssues(parsed.error))
  }
  return parsed.data
}

function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new LiveAgentInputError(`Invalid ${what}: ${describeIssues(parsed.error)}`)
  return parsed.data
}

/** Accepts `https://host/chat`, `https://host/chat/` or `https://host/chat/rest`; rejects anything not http(s). */
function normaliseEndpoint(endpoint: string): string {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new LiveAgentInputError(`endpoint is not a valid URL: ${endpoint}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LiveAgentInputError(`endpoint must be an http(s) URL, got ${url.protocol}`)
  }
  if (url.search || url.hash) throw new LiveAgentInputError('endpoint must not have a query string or a fragment')
  return url.href.replace(/\/+$/, '').replace(/\/rest$/, '')
}
