// A small client of the hop server API (docs/bridge-contract.md). Every attempt is signed afresh (the hop server
// refuses a replayed signature), retries are bounded and only for failures where a retry can help, and every failure
// becomes a RuntimeError whose sentence a bot builder can act on.
import { RuntimeError, type z } from '@botpress/sdk'
import got, { RequestError, type Method } from 'got'
import {
  availabilityResponseSchema,
  chatResponseSchema,
  createChatResponseSchema,
  endChatResponseSchema,
  enhancedChatAvailabilityResponseSchema,
  sendMessageResponseSchema,
  type AvailabilityResponse,
  type ChatResponse,
  type CreateChatRequest,
  type CreateChatResponse,
  type EnhancedChatAvailabilityResponse,
  type EnhancedChatTarget,
  type LiveAgentTarget,
  type SendMessageResponse,
} from './hop-contract.js'
import { requestTarget, signingTimestamp, signRequest } from './signing.js'

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_ATTEMPTS = 3
const DEFAULT_RETRY_DELAY_MS = 250
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504])

const HTTP = {
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  conflict: 409,
  payloadTooLarge: 413,
  badGateway: 502,
} as const

export type HopFailure = 'unreachable' | 'unauthorized' | 'refused' | 'unknown_chat' | 'chat_ended' | 'failed'

/** A hop-server failure: a RuntimeError (shown to the bot builder) that code can still branch on. */
export class HopServerError extends RuntimeError {
  public constructor(
    message: string,
    public readonly failure: HopFailure,
    public readonly status?: number
  ) {
    super(message)
  }
}

export type HopClientOptions = {
  baseUrl: string
  tenantId: string
  secret: string
  timeoutMs?: number
  maxAttempts?: number
  retryDelayMs?: number
}

type Attempt = { status: number; body: string } | { networkError: string }

type Call<T> = {
  method: Method
  path: string
  payload?: unknown
  schema?: z.ZodType<T>
  chatId?: string
  /** What a 400 means: the Salesforce configuration (create, availability) or the request itself. */
  refusal?: 'configuration' | 'request'
  /** The Salesforce product whose configuration a 400 or 502 is about. */
  product?: Product
}

type Product = 'Live Agent' | 'Enhanced Chat'

/** What to check when the hop server says Salesforce refused or did not answer. */
const CHECK_HINT: Record<Product, string> = {
  'Live Agent': 'Check the endpoint, organization, deployment and button ids.',
  'Enhanced Chat': 'Check the SCRT2 URL and the organization id.',
}

const chatPath = (chatId: string) => `/v1/chats/${encodeURIComponent(chatId)}`

export class HopClient {
  private readonly _baseUrl: string
  private readonly _timeoutMs: number
  private readonly _maxAttempts: number
  private readonly _retryDelayMs: number

  public constructor(private readonly _options: HopClientOptions) {
    this._baseUrl = _options.baseUrl.replace(/\/+$/, '')
    this._timeoutMs = _options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this._maxAttempts = Math.max(1, _options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)
    this._retryDelayMs = _options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS
  }

  /** Idempotent per conversationId: a repeated call answers the existing chat. */
  public async createChat(request: CreateChatRequest): Promise<CreateChatResponse> {
    return this._call({
      method: 'POST',
      path: '/v1/chats',
      payload: request,
      schema: createChatResponseSchema,
      refusal: 'configuration',
      product: request.backend === 'enhanced-chat' ? 'Enhanced Chat' : 'Live Agent',
    })
  }

  /** Idempotent per messageId. Before the agent joins, the hop server keeps the message and delivers it later. */
  public async sendMessage(chatId: string, message: { messageId: string; text: string }): Promise<SendMessageResponse> {
    return this._call({
      method: 'POST',
      path: `${chatPath(chatId)}/messages`,
      payload: message,
      schema: sendMessageResponseSchema,
      chatId,
    })
  }

  public async sendTyping(chatId: string, typing: boolean): Promise<void> {
    await this._call({ method: 'POST', path: `${chatPath(chatId)}/typing`, payload: { typing }, chatId })
  }

  /** Idempotent: ending an ended chat succeeds. */
  public async endChat(chatId: string, reason: 'visitor' = 'visitor'): Promise<void> {
    await this._call({
      method: 'POST',
      path: `${chatPath(chatId)}/end`,
      payload: { reason },
      schema: endChatResponseSchema,
      chatId,
    })
  }

  public async getChat(chatId: string): Promise<ChatResponse> {
    return this._call({ method: 'GET', path: chatPath(chatId), schema: chatResponseSchema, chatId })
  }

  public async getAvailability(target: LiveAgentTarget): Promise<AvailabilityResponse> {
    const query = new URLSearchParams({
      endpoint: target.endpoint,
      organizationId: target.organizationId,
      deploymentId: target.deploymentId,
      buttonId: target.buttonId,
      apiVersion: target.apiVersion,
    })
    return this._call({
      method: 'GET',
      path: `/v1/availability?${query.toString()}`,
      schema: availabilityResponseSchema,
      refusal: 'configuration',
    })
  }

  /**
   * What Salesforce lets a guest know about an Enhanced Chat deployment before a hand-off: whether it exists and its
   * business hours. Never whether an agent is free (Salesforce has no such call for guests).
   */
  public async getEnhancedChatAvailability(
    target: Pick<EnhancedChatTarget, 'scrtUrl' | 'orgId' | 'esDeveloperName'>
  ): Promise<EnhancedChatAvailabilityResponse> {
    const query = new URLSearchParams({
      backend: 'enhanced-chat',
      scrtUrl: target.scrtUrl,
      orgId: target.orgId,
      esDeveloperName: target.esDeveloperName,
    })
    return this._call({
      method: 'GET',
      path: `/v1/availability?${query.toString()}`,
      schema: enhancedChatAvailabilityResponseSchema,
      refusal: 'configuration',
      product: 'Enhanced Chat',
    })
  }

  private async _call<T>(call: Call<T>): Promise<T> {
    const rawBody = call.payload === undefined ? '' : JSON.stringify(call.payload)
    let attempt: Attempt = { networkError: 'no attempt made' }
    for (let attemptNumber = 1; attemptNumber <= this._maxAttempts; attemptNumber++) {
      attempt = await this._send(call.method, call.path, rawBody)
      if (!this._isRetryable(attempt) || attemptNumber === this._maxAttempts) {
        break
      }
      await sleep(this._retryDelayMs * 2 ** (attemptNumber - 1))
    }

    if ('networkError' in attempt) {
      throw new HopServerError(
        `The hop server at ${this._baseUrl} is unreachable (${attempt.networkError}). Check the hop server URL and that the server is running.`,
        'unreachable'
      )
    }
    if (attempt.status >= 200 && attempt.status < 300) {
      return this._parse(attempt.body, call.schema, call.path)
    }
    throw this._toError(attempt.status, errorMessageOf(attempt.body), call)
  }

  private async _send(method: Method, path: string, rawBody: string): Promise<Attempt> {
    const url = `${this._baseUrl}${path}`
    // Signed per attempt (the hop server refuses a signature it has already accepted), over the method, the path and
    // query as they go on the wire, and the body.
    const headers: Record<string, string> = {
      ...signRequest({
        tenantId: this._options.tenantId,
        secret: this._options.secret,
        method,
        target: requestTarget(url),
        rawBody,
        now: signingTimestamp(),
      }),
      accept: 'application/json',
    }
    if (rawBody) {
      headers['content-type'] = 'application/json'
    }
    try {
      const response = await got(url, {
        method,
        headers,
        body: rawBody || undefined,
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: this._timeoutMs },
        responseType: 'text',
      })
      return { status: response.statusCode, body: response.body }
    } catch (thrown) {
      if (thrown instanceof RequestError) {
        return { networkError: thrown.code || thrown.message }
      }
      throw thrown
    }
  }

  private _isRetryable(attempt: Attempt): boolean {
    return 'networkError' in attempt || RETRYABLE_STATUSES.has(attempt.status)
  }

  private _parse<T>(body: string, schema: z.ZodType<T> | undefined, path: string): T {
    if (!schema) {
      return undefined as T
    }
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      throw new HopServerError(`The hop server answered ${path} with something that is not JSON.`, 'failed')
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      throw new HopServerError(
        `The hop server answered ${path} with an unexpected body (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
        'failed'
      )
    }
    return parsed.data
  }

  private _toError(status: number, message: string, call: Call<unknown>): HopServerError {
    switch (status) {
      case HTTP.unauthorized:
        return new HopServerError(
          `The hop server rejected the signature (${message}). Check the tenant id and the shared secret.`,
          'unauthorized',
          status
        )
      case HTTP.badRequest:
        return call.refusal === 'configuration'
          ? new HopServerError(
              `The hop server refused the ${call.product ?? 'Live Agent'} configuration: ${message}.`,
              'refused',
              status
            )
          : new HopServerError(`The hop server refused the request: ${message}.`, 'refused', status)
      case HTTP.notFound:
        return new HopServerError(
          `The hop server does not know the chat ${call.chatId ?? ''} (${message}).`,
          'unknown_chat',
          status
        )
      case HTTP.conflict:
        return new HopServerError('The Live Agent chat has already ended.', 'chat_ended', status)
      case HTTP.payloadTooLarge:
        return new HopServerError(`The request is larger than the hop server accepts (${message}).`, 'refused', status)
      case HTTP.badGateway:
        return new HopServerError(
          `${call.product ?? 'Live Agent'} refused the configuration or did not answer (${message}). ${CHECK_HINT[call.product ?? 'Live Agent']}`,
          'refused',
          status
        )
      default:
        return new HopServerError(
          `The hop server failed (HTTP ${status}: ${message}). Try again later.`,
          'failed',
          status
        )
    }
  }
}

const errorMessageOf = (body: string): string => {
  try {
    const json = JSON.parse(body) as { message?: unknown }
    if (typeof json.message === 'string' && json.message) {
      return json.message
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200) || 'no message'
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
