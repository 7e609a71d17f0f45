// The one classifier of Enhanced Chat failures: an HTTP answer or a transport error becomes an EnhancedChatError
// with its kind, and retryable() says which kinds a retry can fix. Status meanings: docs/enhanced-chat-protocol.md
// ("Errors"); Salesforce's bodies are JSON with a `message`, except the stream's 401 (Spring-style or plain text).
import { EnhancedChatError, type EnhancedChatErrorKind } from './errors.js'

const KIND_BY_STATUS: Record<number, EnhancedChatErrorKind> = {
  400: 'bad-request',
  401: 'token-expired',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  417: 'session-ended',
  429: 'rate-limited',
}
const SERVER_ERROR_MIN = 500
const SERVER_ERROR_MAX = 599
/** The documented limits are per minute; without a Retry-After, a minute is the wait that surely clears them. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000
const MS_PER_SECOND = 1000
const MAX_TEXT_IN_MESSAGE = 200

const RETRYABLE: ReadonlySet<EnhancedChatErrorKind> = new Set(['server', 'network', 'timeout', 'rate-limited'])

/** Whether trying the same request again can succeed. */
export function retryable(error: EnhancedChatError): boolean {
  return RETRYABLE.has(error.kind)
}

/** Salesforce's error text: `message` of a JSON body (or `error` of the Spring-style one), else the raw text. */
export function serverMessageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object') {
      const { message, error } = parsed as { message?: unknown; error?: unknown }
      if (typeof message === 'string' && message) return message
      if (typeof error === 'string' && error) return error
    }
  } catch {
    // not JSON: the plain text is the message (the stream's "Jwt is expired")
  }
  return truncate(body.trim())
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * MS_PER_SECOND))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** A non-2xx answer as a classified error. */
export function classifyResponse(
  operation: string,
  status: number,
  body: string,
  retryAfterHeader?: string
): EnhancedChatError {
  const serverMessage = serverMessageOf(body)
  const kind: EnhancedChatErrorKind =
    KIND_BY_STATUS[status] ?? (status >= SERVER_ERROR_MIN && status <= SERVER_ERROR_MAX ? 'server' : 'http')
  const retryAfterMs =
    kind === 'rate-limited' ? (parseRetryAfter(retryAfterHeader) ?? DEFAULT_RATE_LIMIT_WAIT_MS) : undefined
  const text = `${operation} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`
  return new EnhancedChatError(kind, operation, text, {
    status,
    serverMessage,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

/** A failure without an answer (got's RequestError, an AbortError, a timeout) as a classified error. */
export function classifyFailure(operation: string, error: unknown, timeoutMs: number): EnhancedChatError {
  if (error instanceof EnhancedChatError) return error
  const name = error instanceof Error ? error.name : ''
  const code = (error as { code?: unknown } | undefined)?.code
  if (name === 'AbortError' || code === 'ERR_ABORTED')
    return new EnhancedChatError('aborted', operation, `${operation} was aborted`, { cause: error })
  if (name === 'TimeoutError' || code === 'ETIMEDOUT')
    return new EnhancedChatError('timeout', operation, `${operation} got no answer within ${timeoutMs} ms`, {
      cause: error,
    })
  const reason = error instanceof Error ? error.message : String(error)
  return new EnhancedChatError('network', operation, `${operation} failed: ${reason}`, { cause: error })
}

function truncate(text: string): string {
  return text.length > MAX_TEXT_IN_MESSAGE ? `${text.slice(0, MAX_TEXT_IN_MESSAGE)}…` : text
}
