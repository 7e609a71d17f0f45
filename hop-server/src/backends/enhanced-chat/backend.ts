// The Enhanced Chat backend behind the seam (../chat-backend.ts). open() gets a guest token and chooses the
// conversation id (the least that makes a resumable cursor); everything after happens in the conversation, so a
// crash after the cursor was stored resumes instead of creating a second conversation. One instance per process,
// with one client (keep-alive pool) per deployment and one pacer for every conversation.
import { randomUUID } from 'node:crypto'
import { transcriptFieldValue } from '../../chats/transcript.js'
import type { UrlPolicy } from '../../security/allowlist.js'
import type { ChatRecord, ChatRequest } from '../../store/types.js'
import type {
  BackendCursor,
  BackendLogger,
  ChatBackend,
  ChatConversation,
  GuestAvailability,
  OpenOutcome,
  ResumeContext,
} from '../chat-backend.js'
import { EnhancedChatAvailability, type AvailabilityCheckOptions } from './availability.js'
import { EnhancedChatClient } from './client.js'
import { DEFAULT_REST_RETRY, DEFAULT_STREAM_RETRY, type RequestTimeouts, type RetryPolicy } from './constants.js'
import { EnhancedChatConversation } from './conversation.js'
import { BACKEND_NAME, checkpointOf, newCursorState, parseCursor } from './cursor.js'
import { EnhancedChatError, EnhancedChatInputError } from './errors.js'
import { OutboxPacer } from './pacer.js'
import { backoffDelay, sleep } from './retry.js'
import { checkedTarget, scrtPolicy, type CheckedTarget } from './target.js'

export interface EnhancedChatBackendOptions {
  /** Loopback `host:port` targets callable over http (HOP_LOOPBACK_TARGETS); every other call goes to SCRT2 hosts. */
  loopbackTargets: readonly string[]
  /** The hop server's own port, never a target. */
  ownPort?: number
  logger: BackendLogger
  /** Tries of open() after the client's own retries are spent (Salesforce down, network). */
  openRetry?: Partial<RetryPolicy>
  /** Rounds of a visitor post after the client's own retries are spent. */
  sendRetry?: Partial<RetryPolicy>
  restRetry?: Partial<RetryPolicy>
  stream?: {
    retry?: Partial<RetryPolicy>
    timeouts?: Partial<Pick<RequestTimeouts, 'streamConnectMs' | 'streamIdleMs'>>
  }
  timeouts?: Partial<RequestTimeouts>
  pacer?: OutboxPacer
  /** Longest transcript put in the transcript pre-chat field (the pump's transcriptFieldMaxChars). */
  transcriptFieldMaxChars?: number
  /** How long before a guest token's expiry a live hand-off warns in the log (default 5 minutes). */
  tokenExpiryWarningMs?: number
  /** The availability check's retries, timeout and clock. */
  availability?: AvailabilityCheckOptions
}

/** Salesforce's long text fields hold 131,072 characters; a hidden pre-chat field's own limit is not documented. */
const DEFAULT_TRANSCRIPT_FIELD_MAX_CHARS = 32_000
const MS_PER_SECOND = 1000

/** The first language tag of the visitor (`en-US`, `fr`) as Salesforce spells locales (`en_US`, `fr`). */
export function salesforceLanguage(language: string | undefined): string | undefined {
  const tag = language?.split(',')[0]?.trim()
  if (!tag || !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(tag)) return undefined
  const [base, region] = tag.split(/[-_]/)
  return region ? `${base!.toLowerCase()}_${region.toUpperCase()}` : base!.toLowerCase()
}

export class EnhancedChatBackend implements ChatBackend {
  readonly name = BACKEND_NAME
  /** A new stream replaces the old one; a killed process's socket is closed by its kernel. */
  readonly releaseGraceMs = 0
  private readonly clients = new Map<string, EnhancedChatClient>()
  private readonly pacer: OutboxPacer
  private readonly openRetry: RetryPolicy
  private readonly sendRetry: RetryPolicy
  private readonly policy: UrlPolicy
  private readonly guestAvailability: EnhancedChatAvailability

  constructor(private readonly options: EnhancedChatBackendOptions) {
    this.policy = scrtPolicy(options)
    this.pacer = options.pacer ?? new OutboxPacer()
    this.openRetry = { ...DEFAULT_STREAM_RETRY, maxRetries: 5, ...options.openRetry }
    this.sendRetry = { ...DEFAULT_STREAM_RETRY, maxRetries: 5, ...options.sendRetry }
    this.guestAvailability = new EnhancedChatAvailability(options.availability)
  }

  targetProblem(request: ChatRequest): string | undefined {
    try {
      checkedTarget(request as ChatRequest & { enhancedChat?: unknown }, this.policy)
      return undefined
    } catch (error) {
      if (error instanceof EnhancedChatInputError) return error.message
      throw error
    }
  }

  async open(
    chat: ChatRecord,
    options: { signal: AbortSignal; stillWanted(): Promise<boolean> }
  ): Promise<OpenOutcome> {
    const log = this.options.logger.child({ part: 'enhanced-chat', hopChatId: chat.chatId })
    let target: CheckedTarget
    try {
      target = this.targetOf(chat.request)
    } catch (error) {
      return { kind: 'failed', detail: (error as Error).message }
    }
    const client = this.clientFor(target)
    for (let attempt = 1; ; attempt++) {
      try {
        const token = await client.accessToken({ signal: options.signal })
        logTokenExpiry(log, token.expiresAt)
        return { kind: 'opened', checkpoint: checkpointOf(newCursorState(token, randomUUID())) }
      } catch (error) {
        if (options.signal.aborted || !(error instanceof EnhancedChatError)) throw error
        const refusal = tokenRefusal(error, target)
        if (refusal || attempt > this.openRetry.maxRetries) {
          const detail = refusal ?? `could not get an Enhanced Chat guest token: ${error.message}`
          log.error({ kind: error.kind, status: error.status }, detail)
          return { kind: 'failed', detail }
        }
        log.warn({ kind: error.kind, attempt }, 'Enhanced Chat guest token failed; retrying')
        await sleep(backoffDelay(attempt, this.openRetry), options.signal, 'open')
        if (!(await options.stillWanted())) return { kind: 'abandoned' }
      }
    }
  }

  resume(cursor: BackendCursor, context: ResumeContext): ChatConversation {
    const state = parseCursor(cursor)
    const target = this.targetOf(context.chat.request)
    const { request } = context.chat
    const language = salesforceLanguage(request.visitor.language)
    const { prechatField } = request.transcriptDelivery
    // The doc's third way to show the transcript: a hidden pre-chat field mapped to a long text field.
    const transcriptAttribute =
      prechatField && request.transcript.length > 0
        ? {
            [prechatField]: transcriptFieldValue(
              request.transcript,
              this.options.transcriptFieldMaxChars ?? DEFAULT_TRANSCRIPT_FIELD_MAX_CHARS
            ),
          }
        : {}
    return new EnhancedChatConversation(state, {
      client: this.clientFor(target),
      target: { ...target, routingAttributes: { ...target.routingAttributes, ...transcriptAttribute } },
      ...(language ? { language } : {}),
      hooks: context.hooks,
      logger: context.logger,
      pacer: this.pacer,
      sendRetry: this.sendRetry,
      ...(this.options.stream ? { stream: this.options.stream } : {}),
      ...(this.options.tokenExpiryWarningMs !== undefined
        ? { tokenExpiryWarningMs: this.options.tokenExpiryWarningMs }
        : {}),
    })
  }

  /**
   * What Salesforce tells a guest before a hand-off: whether the deployment exists and its business hours, never
   * whether an agent is free. Throws EnhancedChatInputError (naming the field) for a bad target, EnhancedChatError
   * when Salesforce did not answer.
   */
  async availability(request: Pick<ChatRequest, 'enhancedChat'>): Promise<GuestAvailability> {
    return this.guestAvailability.check(this.targetOf(request as ChatRequest))
  }

  close(): void {
    for (const client of this.clients.values()) client.close()
    this.clients.clear()
  }

  private targetOf(request: ChatRequest): CheckedTarget {
    return checkedTarget(request as ChatRequest & { enhancedChat?: unknown }, this.policy)
  }

  private clientFor(target: CheckedTarget): EnhancedChatClient {
    const key = `${target.scrtUrl}|${target.orgId}|${target.esDeveloperName}`
    let client = this.clients.get(key)
    if (!client) {
      client = new EnhancedChatClient({
        baseUrl: target.scrtUrl,
        orgId: target.orgId,
        esDeveloperName: target.esDeveloperName,
        retry: { ...DEFAULT_REST_RETRY, ...this.options.restRetry },
        ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      })
      this.clients.set(key, client)
    }
    return client
  }
}

/** The guest token's expiry (read from its `exp`, not verified), logged once when it is issued. */
function logTokenExpiry(log: BackendLogger, expiresAt: number | undefined): void {
  if (expiresAt === undefined) {
    log.warn({}, 'the Enhanced Chat guest token carries no exp: when it expires cannot be known before a 401')
    return
  }
  const lifetimeS = Math.round((expiresAt - Date.now()) / MS_PER_SECOND)
  const fields = { expiresAt: new Date(expiresAt).toISOString(), lifetimeS }
  // Salesforce's clock, not ours, decides; an exp already past here most likely means this server's clock is ahead.
  if (lifetimeS <= 0) log.warn(fields, "the Enhanced Chat guest token is already past its exp by this server's clock")
  else log.info(fields, 'Enhanced Chat guest token issued; it cannot be extended, the hand-off ends when it expires')
}

/**
 * A token request Salesforce refused for good, as a sentence naming the field to fix: an unknown deployment, an
 * org id that does not match, a deployment that is not published. Undefined when a retry may help.
 */
function tokenRefusal(error: EnhancedChatError, target: CheckedTarget): string | undefined {
  if (!['bad-request', 'not-found', 'forbidden', 'token-expired'].includes(error.kind)) return undefined
  const said = error.serverMessage ? ` (Salesforce: ${error.serverMessage})` : ''
  const text = error.serverMessage.toLowerCase()
  if (text.includes('esdevelopername') || text.includes('deployment'))
    return `enhancedChat.esDeveloperName: Salesforce does not know the deployment ${target.esDeveloperName} in this org; nothing was created${said}`
  if (text.includes('orgid') || text.includes('org id') || text.includes('organization'))
    return `enhancedChat.orgId: Salesforce refused the org id ${target.orgId}; nothing was created${said}`
  return `enhancedChat: Salesforce refused the guest token request (${error.status ?? error.kind}); nothing was created${said}`
}
