// The Live Agent backend behind the seam (../chat-backend.ts): opens a chat with GET SessionId (ChasitorInit is the
// first queued post, sent by the session), resumes a chat from its stored session cursor, answers availability
// from Visitor/Availability. One instance per process, sharing a keep-alive client per Live Agent host.
import type { Logger } from 'pino'
import type { HopConfig } from '../../config.js'
import type { HopMetrics } from '../../metrics.js'
import { urlProblem } from '../../security/allowlist.js'
import { urlPolicy } from '../../security/url-policy.js'
import type { ChatRecord, ChatRequest } from '../../store/types.js'
import type {
  BackendCursor,
  ButtonAvailability,
  ChatBackend,
  ChatConversation,
  OpenOutcome,
  ResumeContext,
} from '../chat-backend.js'
import { BackendCursorError } from '../errors.js'
import { sleep } from './async.js'
import { RetryWindow } from './backoff.js'
import { chasitorInitParams } from './chasitor-init.js'
import { LiveAgentClients } from './client-pool.js'
import { DEFAULTS } from './constants.js'
import { BACKEND_NAME, LiveAgentConversation, checkpointOf } from './conversation.js'
import { parseCursor } from './cursor.js'
import { LiveAgentInputError } from './errors.js'
import { isRetryable } from './failure.js'
import { openChat } from './session.js'
import { liveAgentOf } from './target.js'

export interface LiveAgentBackendDeps {
  config: HopConfig
  metrics: HopMetrics
  logger: Logger
}

export class LiveAgentBackend implements ChatBackend {
  readonly name = BACKEND_NAME
  /** A poll this process aborted may look open to Live Agent for this long (a new poll before it would be a 409). */
  readonly releaseGraceMs = DEFAULTS.abortedPollGraceMs
  private readonly clients: LiveAgentClients

  constructor(private readonly deps: LiveAgentBackendDeps) {
    this.clients = new LiveAgentClients(deps.metrics, deps.logger)
  }

  targetProblem(request: ChatRequest): string | undefined {
    if (!request.liveAgent) return 'liveAgent is required for a live-agent chat'
    const problem = urlProblem(request.liveAgent.endpoint, urlPolicy(this.deps.config, 'liveAgent'))
    return problem ? `liveAgent.endpoint ${problem}` : undefined
  }

  /** GET SessionId, retried within the budget. */
  async open(
    chat: ChatRecord,
    options: { signal: AbortSignal; stillWanted(): Promise<boolean> }
  ): Promise<OpenOutcome> {
    const client = this.clients.get(liveAgentOf(chat.request))
    const params = chasitorInitParams(chat, this.deps.config)
    const retries = new RetryWindow(this.deps.config.pump.liveAgentRetryBudgetMs)
    const log = this.deps.logger.child({ part: 'live-agent', hopChatId: chat.chatId })
    for (;;) {
      try {
        const cursor = await openChat(client, params, { signal: options.signal })
        return { kind: 'opened', checkpoint: checkpointOf(cursor) }
      } catch (error) {
        if (options.signal.aborted) throw error
        const delay = isRetryable(error) ? retries.nextDelay() : undefined
        if (delay === undefined) {
          const detail = `could not start the Live Agent session: ${(error as Error).message}`
          log.error({ err: error }, detail)
          return { kind: 'failed', detail }
        }
        log.warn({ err: error, attempt: retries.attempt }, 'SessionId failed; retrying')
        await sleep(delay, options.signal)
        // The visitor may have given up meanwhile: then there is nothing to open.
        if (!(await options.stillWanted())) return { kind: 'abandoned' }
      }
    }
  }

  resume(cursor: BackendCursor, context: ResumeContext): ChatConversation {
    const invalid = 'the stored Live Agent cursor is invalid'
    if (cursor.backend !== BACKEND_NAME) throw new BackendCursorError(cursor.backend, invalid)
    try {
      const session = parseCursor(cursor.state)
      const client = this.clients.get(liveAgentOf(context.chat.request))
      return new LiveAgentConversation(client, session, context, {
        minChatMessageGapMs: this.deps.config.pump.visitorMessageGapMs,
        maxConnectionTimeoutMs: this.deps.config.pump.liveAgentRetryBudgetMs,
      })
    } catch (error) {
      if (error instanceof LiveAgentInputError) throw new BackendCursorError(BACKEND_NAME, invalid, { cause: error })
      throw error
    }
  }

  availability(request: Pick<ChatRequest, 'liveAgent'>): Promise<ButtonAvailability[]> {
    return this.clients.check(liveAgentOf(request))
  }

  close(): void {
    this.clients.close()
  }
}
