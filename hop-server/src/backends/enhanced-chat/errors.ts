// Typed errors of the Enhanced Chat client. Each carries the operation, the HTTP status when there was a response,
// and Salesforce's `message`; never the access token. classify.ts is the one place that decides the kind.

/** What went wrong, so callers switch on `kind` instead of on status codes. */
export type EnhancedChatErrorKind =
  | 'bad-request' // 400: a body, id, header or deployment name Salesforce refused
  | 'token-expired' // 401: the guest token expired or is invalid; the hand-off cannot continue (a new token is a new identity)
  | 'forbidden' // 403: the conversation belongs to another identity
  | 'not-found' // 404: unknown conversation or path
  | 'conflict' // 409: the conversation id exists already
  | 'session-ended' // 417: the messaging session ended; a message now would need a new, routed session
  | 'rate-limited' // 429: over a rate limit; `retryAfterMs` says how long to wait
  | 'server' // 5xx: Salesforce's side failed; retryable
  | 'http' // another unexpected status
  | 'network' // no response: refused, reset, hang-up, DNS
  | 'timeout' // no response in time
  | 'aborted' // the caller's AbortSignal fired
  | 'malformed' // a 2xx whose body does not follow the protocol

export interface EnhancedChatErrorDetails {
  status?: number
  /** Salesforce's error text (`message` of the JSON body, or the raw text). */
  serverMessage?: string
  retryAfterMs?: number
  cause?: unknown
}

export class EnhancedChatError extends Error {
  override readonly name = 'EnhancedChatError'
  readonly kind: EnhancedChatErrorKind
  /** The client operation, e.g. `sendMessage`. */
  readonly operation: string
  readonly status: number | undefined
  readonly serverMessage: string
  /** For `rate-limited`: how long to wait before trying again. */
  readonly retryAfterMs: number | undefined

  constructor(kind: EnhancedChatErrorKind, operation: string, message: string, details: EnhancedChatErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.operation = operation
    this.status = details.status
    this.serverMessage = details.serverMessage ?? ''
    this.retryAfterMs = details.retryAfterMs
  }
}

/** Bad input from the caller, caught before any request: `field` names what to fix. Nothing was sent. */
export class EnhancedChatInputError extends Error {
  override readonly name = 'EnhancedChatInputError'
  readonly field: string

  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }
}
