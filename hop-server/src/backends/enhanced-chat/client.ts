// EnhancedChatClient: typed calls of the Enhanced Chat guest REST API over one got instance with keep-alive agents.
// Every call takes an AbortSignal, has a timeout, and is retried a bounded number of times when retryDelay() (the
// one retry decision, retry.ts) allows it. Each retried write is safe to repeat: the ids are chosen by the client.
import http from 'node:http'
import https from 'node:https'
import { randomUUID } from 'node:crypto'
import got, { type Got, type Method } from 'got'
import type { z } from 'zod'
import { classifyFailure, classifyResponse } from './classify.js'
import {
  CAPABILITIES_VERSION,
  DEFAULT_REST_RETRY,
  DEFAULT_TIMEOUTS,
  HEADER,
  LIMITS,
  PATH,
  PLATFORM,
  UUID_V4,
  type RequestTimeouts,
  type RetryPolicy,
} from './constants.js'
import { EnhancedChatError, EnhancedChatInputError } from './errors.js'
import { toOrgId15 } from './org-id.js'
import { withRetry } from './retry.js'
import {
  continuationResponseSchema,
  conversationListSchema,
  describeIssues,
  entriesResponseSchema,
  routingStatusSchema,
  sentEntriesSchema,
  tokenResponseSchema,
  type ConversationEntry,
  type ConversationList,
  type RoutingStatusResponse,
} from './wire.js'

export interface EnhancedChatClientOptions {
  /** The org's SCRT2 URL, e.g. `https://acme.my.salesforce-scrt.com` (check it against the allowlist first). */
  baseUrl: string
  /** 15 or 18 characters; the client uses the 15-character form everywhere. */
  orgId: string
  /** The Custom Client deployment's API name (`esDeveloperName`). */
  esDeveloperName: string
  timeouts?: Partial<RequestTimeouts>
  retry?: Partial<RetryPolicy>
  /** Jitter source (tests pass a fixed one). */
  random?: () => number
}

export interface CallOptions {
  signal?: AbortSignal | undefined
}

export interface GuestToken {
  accessToken: string
  /** Where the stream starts: the first connect with it replays every event since the token was issued. */
  lastEventId: string
  /** `sub` of the identity, when Salesforce sends it (opaque). */
  subject?: string
  /** The JWT's `exp` in epoch ms (read, not verified), when present: the hand-off cannot outlive it. */
  expiresAt?: number
}

export type RoutingAttributes = Record<string, string | number | boolean>

export interface NewConversation {
  /** Lowercase UUID v4 chosen by the caller (store it before calling, so a retry after a crash reuses it). */
  conversationId: string
  /** Pre-chat field API names (case-sensitive; Salesforce drops unknown ones silently) → values. */
  routingAttributes?: RoutingAttributes
  language?: string
}

export interface OutgoingMessage {
  /**
   * Lowercase UUID v4 chosen by the caller and kept with the outbox item: every retry of this message sends the
   * same id, and after a lost answer the client finds it in the conversation's entries instead of sending again.
   */
  messageId: string
  text: string
  /** After a 417: start a new messaging session (routed again) with these attributes. */
  isNewMessagingSession?: boolean
  /**
   * An earlier try of this message (in another process, before a crash) may have reached Salesforce: look its id up
   * in the conversation's entries before sending it again.
   */
  mayHaveArrived?: boolean
  /** When (Unix ms) the first try may have gone out: the look-up reads entries back to this time, not further. */
  firstTriedAt?: number
  routingAttributes?: RoutingAttributes
}

export interface EntriesQuery {
  limit?: number
  direction?: 'FromStart' | 'FromEnd'
  entryTypeFilter?: string[]
  startTimestamp?: number
  endTimestamp?: number
}

/** A request prepared once per call (URL with its query, headers, serialised body) and sent as is by every try. */
interface PreparedRequest {
  url: string
  init: { method: Method; headers?: Record<string, string>; body?: string; signal?: AbortSignal }
}

interface RequestParts {
  query?: Record<string, string | number | boolean>
  json?: object
}

interface Answer {
  status: number
  body: string
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
/**
 * Pages of entries the look-up of a message that may have arrived reads at most (50 each): far more than the
 * messages a conversation holds in the minutes a crashed send waits for its next owner.
 */
const LOOKUP_MAX_PAGES = 10
/** Salesforce's clock may differ from ours: the look-up reads entries this much older than the first try too. */
const LOOKUP_CLOCK_SKEW_MS = 5 * 60_000
const JWT_PARTS = 3
const JSON_TYPE = 'application/json'
const MS_PER_SECOND = 1000

export class EnhancedChatClient {
  readonly baseUrl: string
  readonly orgId: string
  readonly esDeveloperName: string
  private readonly timeouts: RequestTimeouts
  private readonly retryPolicy: RetryPolicy
  private readonly random: () => number
  private readonly httpAgent = new http.Agent({ keepAlive: true })
  private readonly httpsAgent = new https.Agent({ keepAlive: true })
  private readonly http: Got

  constructor(options: EnhancedChatClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl)
    this.orgId = toOrgId15(options.orgId)
    if (!API_NAME.test(options.esDeveloperName))
      throw new EnhancedChatInputError(
        'esDeveloperName',
        'the deployment API name has letters, digits and underscores and starts with a letter (Setup → Embedded Service Deployments)'
      )
    this.esDeveloperName = options.esDeveloperName
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    this.retryPolicy = { ...DEFAULT_REST_RETRY, ...options.retry }
    this.random = options.random ?? Math.random
    this.http = got.extend({
      agent: { http: this.httpAgent, https: this.httpsAgent },
      headers: { accept: JSON_TYPE, [HEADER.orgId]: this.orgId },
      // Retries are decided in one place (retry.ts); got must never replay a request on its own.
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      timeout: { request: this.timeouts.restMs },
    })
  }

  /** Closes the keep-alive sockets (call on shutdown). */
  close(): void {
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }

  // ------------------------------------------------------------------ tokens

  /** A guest (unauthenticated) access token: a new identity. */
  async accessToken(options?: CallOptions): Promise<GuestToken> {
    const operation = 'accessToken'
    const request = this.prepare('POST', PATH.accessToken, undefined, options, {
      json: {
        orgId: this.orgId,
        esDeveloperName: this.esDeveloperName,
        capabilitiesVersion: CAPABILITIES_VERSION,
        platform: PLATFORM,
      },
    })
    const answer = await this.retried(operation, options, () => this.send(operation, request))
    const parsed = parseBody(operation, answer, tokenResponseSchema)
    return toGuestToken(parsed.accessToken, parsed.lastEventId, parsed.context?.endUser?.subject)
  }

  /** A continuation token of the same identity (it does not extend the expiry). */
  async continuationToken(token: string, options?: CallOptions): Promise<GuestToken> {
    const operation = 'continuationToken'
    const request = this.prepare('GET', PATH.continuationToken, token, options)
    const answer = await this.retried(operation, options, () => this.send(operation, request))
    const parsed = parseBody(operation, answer, continuationResponseSchema)
    return toGuestToken(parsed.accessToken, parsed.lastEventId ?? '0', undefined)
  }

  // ------------------------------------------------------------------ conversation

  /**
   * Creates the conversation (201, routing starts). Safe to retry: when an earlier try went through without its
   * answer reaching us, the retry answers 409 for our own id, which counts as created.
   */
  async createConversation(token: string, input: NewConversation, options?: CallOptions): Promise<void> {
    const operation = 'createConversation'
    checkUuid('conversationId', input.conversationId)
    const attributes = checkAttributes(input.routingAttributes)
    const request = this.prepare('POST', PATH.conversation, token, options, {
      json: {
        conversationId: input.conversationId,
        esDeveloperName: this.esDeveloperName,
        ...(attributes ? { routingAttributes: attributes } : {}),
        ...(input.language ? { language: input.language } : {}),
      },
    })
    await this.retried(operation, options, async (attempt) => {
      try {
        return await this.send(operation, request)
      } catch (error) {
        if (attempt > 0 && error instanceof EnhancedChatError && error.kind === 'conflict') return undefined
        throw error
      }
    })
  }

  /** `GET /conversation/{id}`: INITIAL, ROUTED, NEEDS_ROUTING (ended or failed) or TRANSFER. */
  async routingStatus(token: string, conversationId: string, options?: CallOptions): Promise<RoutingStatusResponse> {
    const operation = 'routingStatus'
    checkUuid('conversationId', conversationId)
    const request = this.prepare('GET', conversationPath(conversationId), token, options)
    const answer = await this.retried(operation, options, () => this.send(operation, request))
    return parseBody(operation, answer, routingStatusSchema)
  }

  async listConversations(
    token: string,
    query: { includeClosed?: boolean; limit?: number } = {},
    options?: CallOptions
  ): Promise<ConversationList> {
    const operation = 'listConversations'
    const limit = checkLimit(query.limit)
    const request = this.prepare('GET', `${PATH.conversation}/list`, token, options, {
      query: { inclClosedConvs: query.includeClosed ?? false, ...(limit ? { limit } : {}) },
    })
    const answer = await this.retried(operation, options, () => this.send(operation, request))
    return parseBody(operation, answer, conversationListSchema)
  }

  /** The conversation's entries (payloads parsed whether Salesforce sends them as strings or objects). */
  async listEntries(
    token: string,
    conversationId: string,
    query: EntriesQuery = {},
    options?: CallOptions
  ): Promise<ConversationEntry[]> {
    const operation = 'listEntries'
    checkUuid('conversationId', conversationId)
    const limit = checkLimit(query.limit)
    const searchParams: Record<string, string | number> = {}
    if (limit) searchParams['limit'] = limit
    if (query.direction) searchParams['direction'] = query.direction
    if (query.entryTypeFilter?.length) searchParams['entryTypeFilter'] = query.entryTypeFilter.join(',')
    if (query.startTimestamp !== undefined) searchParams['startTimestamp'] = query.startTimestamp
    if (query.endTimestamp !== undefined) searchParams['endTimestamp'] = query.endTimestamp
    const request = this.prepare('GET', `${conversationPath(conversationId)}/entries`, token, options, {
      query: searchParams,
    })
    const answer = await this.retried(operation, options, () => this.send(operation, request))
    return parseBody(operation, answer, entriesResponseSchema).conversationEntries
  }

  // ------------------------------------------------------------------ messages and typing

  /**
   * Sends a text message; returns Salesforce's entry id. Exactly once by `messageId`: every try carries the same
   * client-chosen id, and a try that follows one without an answer (network, timeout, 5xx) first looks for that id
   * in the conversation's latest entries (the end user's message keeps its id as `abstractMessage.id`), so a
   * message that did arrive is not sent again even by a server that does not deduplicate ids.
   */
  async sendMessage(
    token: string,
    conversationId: string,
    message: OutgoingMessage,
    options?: CallOptions
  ): Promise<{ entryId: string }> {
    const operation = 'sendMessage'
    checkUuid('conversationId', conversationId)
    checkUuid('messageId', message.messageId)
    if (message.text.length === 0) throw new EnhancedChatInputError('text', 'a message needs some text')
    const attributes = checkAttributes(message.routingAttributes)
    let unanswered = message.mayHaveArrived === true
    // A try in another process started at an unknown time, unless the caller says: then the look-up reads from the start.
    const firstTriedAt = message.firstTriedAt ?? (message.mayHaveArrived ? undefined : Date.now())
    const request = this.prepare('POST', `${conversationPath(conversationId)}/message`, token, options, {
      json: {
        esDeveloperName: this.esDeveloperName,
        message: {
          id: message.messageId,
          messageType: 'StaticContentMessage',
          staticContent: { formatType: 'Text', text: message.text },
        },
        ...(message.isNewMessagingSession ? { isNewMessagingSession: true } : {}),
        ...(attributes ? { routingAttributes: attributes } : {}),
      },
    })
    const answer = await this.retried(operation, options, async () => {
      if (unanswered) {
        const found = await this.findSentMessage(token, conversationId, message.messageId, firstTriedAt, options)
        if (found) return { status: 202, body: JSON.stringify({ conversationEntries: [{ id: found }] }) }
      }
      try {
        return await this.send(operation, request)
      } catch (error) {
        if (error instanceof EnhancedChatError && ['network', 'timeout', 'server'].includes(error.kind))
          unanswered = true
        throw error
      }
    })
    const [entry] = parseBody(operation, answer, sentEntriesSchema).conversationEntries
    return { entryId: entry!.id }
  }

  /** Typing started / stopped, shown to the agent. Each indicator is its own entry (a fresh id). */
  async typing(token: string, conversationId: string, typing: boolean, options?: CallOptions): Promise<void> {
    const operation = 'typing'
    checkUuid('conversationId', conversationId)
    const entryType = typing ? 'TypingStartedIndicator' : 'TypingStoppedIndicator'
    const request = this.prepare('POST', `${conversationPath(conversationId)}/entry`, token, options, {
      json: { entryType, id: randomUUID() },
    })
    await this.retried(operation, options, () => this.send(operation, request))
  }

  // ------------------------------------------------------------------ ending

  /** `DELETE …/session`: ends the messaging session, keeps the conversation. */
  async endSession(token: string, conversationId: string, options?: CallOptions): Promise<void> {
    const operation = 'endSession'
    checkUuid('conversationId', conversationId)
    const request = this.prepare('DELETE', `${conversationPath(conversationId)}/session`, token, options, {
      query: { esDeveloperName: this.esDeveloperName },
    })
    await this.retried(operation, options, () => this.send(operation, request))
  }

  /** `DELETE /conversation/{id}`: closes the conversation (the end user's close event follows on the stream). */
  async closeConversation(token: string, conversationId: string, options?: CallOptions): Promise<void> {
    const operation = 'closeConversation'
    checkUuid('conversationId', conversationId)
    const request = this.prepare('DELETE', conversationPath(conversationId), token, options, {
      query: { esDeveloperName: this.esDeveloperName },
    })
    await this.retried(operation, options, async (attempt) => {
      try {
        return await this.send(operation, request)
      } catch (error) {
        // A retry after a lost answer may find the conversation closed by our own earlier try.
        if (attempt > 0 && error instanceof EnhancedChatError && error.kind === 'bad-request') {
          if (await this.isClosed(token, conversationId, options)) return undefined
        }
        throw error
      }
    })
  }

  /**
   * The end user ends the hand-off: end the messaging session, then close the conversation. A session that is
   * already over (the agent ended it) is not an error: the close still follows.
   */
  async end(token: string, conversationId: string, options?: CallOptions): Promise<void> {
    try {
      await this.endSession(token, conversationId, options)
    } catch (error) {
      if (!(error instanceof EnhancedChatError) || !['bad-request', 'session-ended'].includes(error.kind)) throw error
    }
    await this.closeConversation(token, conversationId, options)
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * The entry of our own message `messageId`, if an earlier try reached Salesforce. Reads the Message entries
   * oldest first from `since` (less the clock skew we allow; from the start when unknown), a page of at most 50 (the
   * API's cap) at a time, for at most LOOKUP_MAX_PAGES pages; `entryPayload` may be a string or an object.
   */
  private async findSentMessage(
    token: string,
    conversationId: string,
    messageId: string,
    since: number | undefined,
    options: CallOptions | undefined
  ): Promise<string | undefined> {
    const seen = new Set<string>()
    let startTimestamp = since === undefined ? undefined : since - LOOKUP_CLOCK_SKEW_MS
    for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
      const entries = await this.listEntries(
        token,
        conversationId,
        {
          direction: 'FromStart',
          entryTypeFilter: ['Message'],
          limit: LIMITS.listMax,
          ...(startTimestamp !== undefined ? { startTimestamp } : {}),
        },
        options
      )
      const fresh = entries.filter((entry) => !seen.has(entry.identifier))
      for (const entry of fresh) seen.add(entry.identifier)
      const mine = fresh.find((entry) => isOwnMessage(entry, messageId))
      if (mine) return mine.identifier
      // A short page is the end of the conversation: the message never arrived.
      if (entries.length < LIMITS.listMax) return undefined
      const newest = Math.max(...entries.map((entry) => entry.transcriptedTimestamp ?? Number.NEGATIVE_INFINITY))
      if (!Number.isFinite(newest)) return undefined
      // startTimestamp is taken as inclusive: entries of the same millisecond come again and are skipped as seen; a
      // page with nothing new (50 entries in one millisecond) steps past that millisecond.
      startTimestamp = fresh.length > 0 ? newest : newest + 1
    }
    return undefined
  }

  private async isClosed(token: string, conversationId: string, options: CallOptions | undefined): Promise<boolean> {
    const list = await this.listConversations(token, { includeClosed: true, limit: LIMITS.listMax }, options)
    const found = list.conversations.find((c) => c.conversationId === conversationId)
    return found?.endTimestamp !== undefined
  }

  private retried<T>(operation: string, options: CallOptions | undefined, attempt: (n: number) => Promise<T>) {
    return withRetry(operation, attempt, { policy: this.retryPolicy, signal: options?.signal, random: this.random })
  }

  /**
   * A call's request, built once: absolute URL with its query, the bearer header, the body serialised here (got
   * would merge searchParams and serialise json again on every try).
   */
  private prepare(
    method: Method,
    path: string,
    token: string | undefined,
    options: CallOptions | undefined,
    parts: RequestParts = {}
  ): PreparedRequest {
    const url = parts.query ? `${this.baseUrl}${path}?${queryString(parts.query)}` : `${this.baseUrl}${path}`
    const init: PreparedRequest['init'] = { method }
    if (token !== undefined || parts.json) {
      const headers: Record<string, string> = {}
      if (token !== undefined) headers[HEADER.authorization] = `Bearer ${token}`
      if (parts.json) headers['content-type'] = JSON_TYPE
      init.headers = headers
    }
    if (parts.json) init.body = JSON.stringify(parts.json)
    if (options?.signal) init.signal = options.signal
    return { url, init }
  }

  /** One HTTP exchange: a 2xx answer, or a classified EnhancedChatError. */
  private async send(operation: string, request: PreparedRequest): Promise<Answer> {
    let response
    try {
      response = await this.http(request.url, request.init)
    } catch (error) {
      throw classifyFailure(operation, error, this.timeouts.restMs)
    }
    const { statusCode, body } = response
    if (statusCode >= 200 && statusCode < 300) return { status: statusCode, body }
    const retryAfter = response.headers[HEADER.retryAfter]
    throw classifyResponse(operation, statusCode, body, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
  }
}

/**
 * The end user's message sent under `messageId`: Salesforce keeps the client's id as `abstractMessage.id` (and the
 * payload's and the entry's ids may carry it too).
 */
function isOwnMessage(entry: ConversationEntry, messageId: string): boolean {
  if (entry.sender.role !== 'EndUser') return false
  const abstract = entry.entryPayload['abstractMessage'] as { id?: unknown } | undefined
  return abstract?.id === messageId || entry.entryPayload['id'] === messageId || entry.identifier === messageId
}

function queryString(query: Record<string, string | number | boolean>): string {
  const params = new URLSearchParams()
  for (const name in query) params.append(name, String(query[name]))
  return params.toString()
}

function conversationPath(conversationId: string): string {
  return `${PATH.conversation}/${conversationId}`
}

function parseBody<S extends z.ZodType>(operation: string, answer: Answer, schema: S): z.output<S> {
  let json: unknown
  try {
    json = JSON.parse(answer.body)
  } catch {
    throw new EnhancedChatError('malformed', operation, `${operation} answered ${answer.status} without JSON`, {
      status: answer.status,
    })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new EnhancedChatError(
      'malformed',
      operation,
      `${operation} answered ${answer.status} with an unexpected body: ${describeIssues(parsed.error)}`,
      { status: answer.status }
    )
  return parsed.data
}

function toGuestToken(accessToken: string, lastEventId: string, subject: string | undefined): GuestToken {
  const claims = readJwtClaims(accessToken)
  const sub = subject ?? (typeof claims?.['sub'] === 'string' ? claims['sub'] : undefined)
  const exp = typeof claims?.['exp'] === 'number' ? claims['exp'] * MS_PER_SECOND : undefined
  return { accessToken, lastEventId, ...(sub ? { subject: sub } : {}), ...(exp ? { expiresAt: exp } : {}) }
}

/** The JWT's claims, unverified (Salesforce verifies it; we only read `exp` and `sub`). */
function readJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== JWT_PARTS) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function normaliseBaseUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new EnhancedChatInputError('baseUrl', `the SCRT2 URL "${value}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new EnhancedChatInputError('baseUrl', 'the SCRT2 URL must start with https://')
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw new EnhancedChatInputError(
      'baseUrl',
      'the SCRT2 URL is the host only, e.g. https://acme.my.salesforce-scrt.com'
    )
  return url.origin
}

function checkUuid(field: string, value: string): void {
  if (!UUID_V4.test(value)) throw new EnhancedChatInputError(field, 'must be a lowercase UUID v4 (crypto.randomUUID())')
}

function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.listMax)
    throw new EnhancedChatInputError('limit', `must be an integer from 1 to ${LIMITS.listMax}`)
  return limit
}

function checkAttributes(attributes: RoutingAttributes | undefined): RoutingAttributes | undefined {
  if (attributes === undefined) return undefined
  for (const [key, value] of Object.entries(attributes)) {
    if (!key) throw new EnhancedChatInputError('routingAttributes', 'a pre-chat field name must not be empty')
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw new EnhancedChatInputError(`routingAttributes.${key}`, 'must be a string, a number or a boolean')
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined
}
