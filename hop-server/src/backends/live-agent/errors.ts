// Typed errors of the Live Agent client. Every one carries the resource, the HTTP status (when there was a
// response) and the body text, and never the session key (messages are scrubbed by the client).

/** What went wrong, so callers can switch without instanceof chains. */
export type LiveAgentErrorKind =
  | 'http' // the server answered with a status the caller must handle
  | 'network' // no response: connection refused or reset, socket hang up, DNS
  | 'timeout' // no response within the request's timeout
  | 'aborted' // the caller's AbortSignal fired
  | 'malformed' // a 2xx whose body does not match the protocol (bad JSON, wrong field types)
  | 'switch-server' // a Visitor resource answered SwitchServer: the org lives on another host
  | 'retries-exhausted' // network errors or 5xx kept coming until the chat's connection timeout ran out
  | 'out-of-sync' // a POST's sequence could not be brought back in sync after the allowed recoveries
  | 'reconnect-failed' // the 503 hand-over procedure failed, the session is lost
  | 'hook-failed' // the caller's onBatch/onCursor hook threw; the cursor was not advanced
  | 'internal' // an exception nobody expected (a defect): retrying the chat would hit it again

export interface LiveAgentErrorDetails {
  resource: string
  status?: number
  body?: string
  cause?: unknown
}

/** Base class of every client error: `{ kind, resource, status, body }`. */
export class LiveAgentError extends Error {
  override readonly name: string = 'LiveAgentError'
  readonly kind: LiveAgentErrorKind
  readonly resource: string
  readonly status: number | undefined
  readonly body: string

  constructor(kind: LiveAgentErrorKind, message: string, details: LiveAgentErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.resource = details.resource
    this.status = details.status
    this.body = details.body ?? ''
  }
}

/** The server answered with an unexpected HTTP status. */
export class LiveAgentHttpError extends LiveAgentError {
  override readonly name = 'LiveAgentHttpError'
  declare readonly status: number

  constructor(resource: string, status: number, body: string) {
    super('http', `${resource} answered HTTP ${status}${body ? `: ${truncate(body)}` : ''}`, { resource, status, body })
  }

  /** 5xx other than 503 is a server hiccup worth retrying; 503 is a hand-over (§8). */
  get isRetryable(): boolean {
    return this.status >= SERVER_ERROR && this.status !== HANDOVER_STATUS
  }
}

/** No response at all (refused, reset, hang-up). `code` is Node's error code, e.g. ECONNRESET. */
export class LiveAgentNetworkError extends LiveAgentError {
  override readonly name = 'LiveAgentNetworkError'
  readonly code: string | undefined

  constructor(resource: string, message: string, code: string | undefined) {
    super('network', `${resource} failed: ${message}`, { resource })
    this.code = code
  }
}

export class LiveAgentTimeoutError extends LiveAgentError {
  override readonly name = 'LiveAgentTimeoutError'
  readonly timeoutMs: number

  constructor(resource: string, timeoutMs: number) {
    super('timeout', `${resource} got no response within ${timeoutMs} ms`, { resource })
    this.timeoutMs = timeoutMs
  }
}

export class LiveAgentAbortError extends LiveAgentError {
  override readonly name = 'LiveAgentAbortError'

  constructor(resource: string) {
    super('aborted', `${resource} was aborted`, { resource })
  }
}

/** A 2xx response that does not follow the protocol. `issue` says what is wrong. */
export class LiveAgentMalformedResponseError extends LiveAgentError {
  override readonly name = 'LiveAgentMalformedResponseError'
  readonly issue: string

  constructor(resource: string, status: number, body: string, issue: string) {
    super('malformed', `${resource} sent a malformed response: ${issue}`, { resource, status, body })
    this.issue = issue
  }
}

/** A Visitor resource told us the org is served by another host (§3.7). */
export class LiveAgentSwitchServerError extends LiveAgentError {
  override readonly name = 'LiveAgentSwitchServerError'
  readonly newUrl: string

  constructor(resource: string, newUrl: string) {
    super('switch-server', `${resource} says the org moved to ${newUrl}`, { resource, status: OK_STATUS })
    this.newUrl = newUrl
  }
}

/** A session-level failure (retries exhausted, out of sync, reconnect failed, hook failed, internal), wrapping the cause. */
export class ChatSessionError extends LiveAgentError {
  override readonly name = 'ChatSessionError'

  constructor(kind: LiveAgentErrorKind, message: string, details: LiveAgentErrorDetails) {
    super(kind, message, details)
  }
}

/** Bad input from the caller (an invalid post, an unusable cursor). Nothing was changed. */
export class LiveAgentInputError extends Error {
  override readonly name = 'LiveAgentInputError'
}

const OK_STATUS = 200
const SERVER_ERROR = 500
const HANDOVER_STATUS = 503
const MAX_BODY_IN_MESSAGE = 200

function truncate(text: string): string {
  return text.length > MAX_BODY_IN_MESSAGE ? `${text.slice(0, MAX_BODY_IN_MESSAGE)}…` : text
}
