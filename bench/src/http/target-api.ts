// The client side of the bridge contract as the bench uses it: create a chat, send visitor messages, end it.
// Both the hop server and the naive baseline answer this API, so one driver measures both. Every call is
// re-signed on each attempt (the hop server refuses a replayed signature) and retried within a bounded window,
// rotating over the given base URLs (replicas) on network errors: what a well-behaved integration would do.
import { setTimeout as sleep } from 'node:timers/promises'
import { HttpRequestError, type JsonClient, type JsonResponse } from './json-client.js'
import { signedHeaders } from './signing.js'

export interface RetryPolicy {
  /** Give up after this long since the first attempt. */
  budgetMs: number
  firstDelayMs: number
  maxDelayMs: number
}

export const NO_RETRY: RetryPolicy = { budgetMs: 0, firstDelayMs: 0, maxDelayMs: 0 }

export interface CallResult extends JsonResponse {
  attempts: number
  /** Date.now() when the attempt that got this answer started. */
  sentAt: number
}

export interface LiveAgentTargetBody {
  endpoint: string
  organizationId: string
  deploymentId: string
  buttonId: string
  apiVersion: string
}

export interface EnhancedChatTargetBody {
  scrtUrl: string
  orgId: string
  esDeveloperName: string
  routingAttributes: Record<string, string>
}

/** The create-chat request's backend and target: Live Agent's body stays as it was (no backend field, the default). */
export type ChatTarget =
  { liveAgent: LiveAgentTargetBody } | { backend: 'enhanced-chat'; enhancedChat: EnhancedChatTargetBody }

const REPLAYED = 'replayed request'
const UNAUTHORIZED = 401
const SERVER_ERROR = 500
const BACKOFF_FACTOR = 2

export class TargetApi {
  /** Retries, by reason (`network:ECONNREFUSED`, `http:503`, `replayed`). */
  readonly retries = new Map<string, number>()
  private next = 0

  constructor(
    private readonly baseUrls: string[],
    private readonly tenant: string,
    private readonly secret: string,
    private readonly http: JsonClient,
    private readonly policy: RetryPolicy
  ) {
    if (baseUrls.length === 0) throw new Error('TargetApi needs at least one base URL')
  }

  createChat(
    body: {
      conversationId: string
      webhookUrl: string
      visitorName: string
    } & ChatTarget
  ): Promise<CallResult> {
    const { conversationId, webhookUrl, visitorName, ...target } = body
    return this.call('POST', '/v1/chats', {
      conversationId,
      webhookUrl,
      ...target,
      visitor: { name: visitorName, language: 'en-US' },
      prechatDetails: [],
      prechatEntities: [],
      transcript: [],
      transcriptDelivery: { mode: 'none' },
    })
  }

  sendMessage(chatId: string, messageId: string, text: string): Promise<CallResult> {
    return this.call('POST', `/v1/chats/${encodeURIComponent(chatId)}/messages`, { messageId, text })
  }

  end(chatId: string): Promise<CallResult> {
    return this.call('POST', `/v1/chats/${encodeURIComponent(chatId)}/end`, { reason: 'visitor' })
  }

  /** One call, retried on network errors, 5xx and a replayed signature until the policy's budget is spent. */
  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<CallResult> {
    const rawBody = body === undefined ? '' : JSON.stringify(body)
    const started = Date.now()
    let delay = this.policy.firstDelayMs
    for (let attempt = 1; ; attempt++) {
      const base = this.baseUrls[this.next % this.baseUrls.length]!
      const sentAt = Date.now()
      let reason: string
      try {
        const response = await this.http.request(
          method,
          base + path,
          method === 'POST' ? rawBody : undefined,
          signedHeaders(this.tenant, this.secret, { method, url: base + path, rawBody })
        )
        if (!isRetryable(response)) return { ...response, attempts: attempt, sentAt }
        reason = response.status === UNAUTHORIZED ? 'replayed' : `http:${response.status}`
        if (Date.now() - started + delay > this.policy.budgetMs) return { ...response, attempts: attempt, sentAt }
      } catch (error) {
        if (!(error instanceof HttpRequestError)) throw error
        reason = `network:${error.code ?? 'error'}`
        // Another replica may be alive.
        this.next++
        if (Date.now() - started + delay > this.policy.budgetMs) throw error
      }
      this.retries.set(reason, (this.retries.get(reason) ?? 0) + 1)
      await sleep(delay)
      delay = Math.min(this.policy.maxDelayMs, Math.max(1, delay) * BACKOFF_FACTOR)
    }
  }
}

function isRetryable(response: JsonResponse): boolean {
  if (response.status >= SERVER_ERROR) return true
  return response.status === UNAUTHORIZED && response.body.message === REPLAYED
}
