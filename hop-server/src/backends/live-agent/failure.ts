// The one classifier of failed Live Agent requests: what a failure means for the chat, whichever request it was.
// Every call site (poll, post, resync, reconnect, opening the session) switches on this instead of testing statuses.
// The meanings: docs/live-agent-protocol.md (403 session gone, 409 duplicate poll or sequence out of sync, 503 the
// chat moved to another server).
import { ChatSessionError, LiveAgentError, LiveAgentHttpError } from './errors.js'

const HTTP = { forbidden: 403, conflict: 409, unavailable: 503 } as const

/**
 * - `aborted`: we cancelled it (stop, or a hand-over interrupting a wait); nothing to do.
 * - `stop`: 403, the session is gone (expired, deleted, ended): the chat is over.
 * - `hand-over`: 503, the chat moved to another server: ReconnectSession, then resync.
 * - `conflict`: 409, two polls at once (Messages) or a post's sequence out of sync (Chasitor posts).
 * - `retry`: no answer, a timeout, a 5xx other than 503, a malformed 2xx: the same request may succeed later.
 * - `fatal`: anything else (400, 404…, or not a Live Agent error at all): a retry would get the same answer.
 */
export type FailureDisposition = 'aborted' | 'stop' | 'hand-over' | 'conflict' | 'retry' | 'fatal'

export function classifyFailure(error: unknown): FailureDisposition {
  if (!(error instanceof LiveAgentError)) return 'fatal'
  if (error instanceof LiveAgentHttpError) {
    if (error.status === HTTP.unavailable) return 'hand-over'
    if (error.status === HTTP.forbidden) return 'stop'
    if (error.status === HTTP.conflict) return 'conflict'
    return error.isRetryable ? 'retry' : 'fatal'
  }
  switch (error.kind) {
    case 'aborted':
      return 'aborted'
    case 'network':
    case 'timeout':
    case 'malformed':
      return 'retry'
    default:
      return 'fatal'
  }
}

/** Whether the same request may succeed when tried again (network errors, timeouts, 5xx but 503, malformed 2xx). */
export function isRetryable(error: unknown): boolean {
  return classifyFailure(error) === 'retry'
}

/** The session-level error when a request kept failing until the chat's retry budget ran out. */
export function exhausted(resource: string, attempts: number, error: unknown): ChatSessionError {
  return new ChatSessionError(
    'retries-exhausted',
    `${resource} kept failing (${attempts} retries) until the connection timeout ran out: ${describeError(error)}`,
    { resource, ...httpDetails(error), cause: error }
  )
}

/** The status and body of a failure that had an answer, for the error that wraps it. */
export function httpDetails(error: unknown): { status?: number; body?: string } {
  return error instanceof LiveAgentError && error.status !== undefined ? { status: error.status, body: error.body } : {}
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
