// Bounded retries with exponential backoff and jitter (the delays come from the backends' shared ../backoff.ts).
// retryDelay() is the one retry decision of the client (REST calls and stream reconnects): which errors a retry can
// fix, how many tries, how long to wait.
import { backoffDelay } from '../backoff.js'
import { retryable } from './classify.js'
import { EnhancedChatError } from './errors.js'
import type { RetryPolicy } from './constants.js'

export { backoffDelay }

/**
 * The wait before retry number `attempt` after `error`, or undefined when no retry should happen: the error is
 * not one a retry fixes, the tries are spent, or a rate limit asks for a longer wait than the policy allows (the
 * caller then sees the 429 with its `retryAfterMs` and paces itself).
 */
export function retryDelay(
  error: EnhancedChatError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random
): number | undefined {
  if (!retryable(error) || attempt > policy.maxRetries) return undefined
  if (error.kind === 'rate-limited') {
    const wait = error.retryAfterMs ?? policy.maxDelayMs + 1
    return wait <= policy.maxDelayMs ? wait : undefined
  }
  return backoffDelay(attempt, policy, random)
}

/** Resolves after `ms`, or rejects with an `aborted` error as soon as `signal` fires (the timer is cleared). */
export function sleep(ms: number, signal: AbortSignal | undefined, operation: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new EnhancedChatError('aborted', operation, `${operation} was aborted`)
    if (signal?.aborted) return reject(aborted())
    const onAbort = () => {
      clearTimeout(timer)
      reject(aborted())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RetryOptions {
  policy: RetryPolicy
  signal?: AbortSignal | undefined
  random?: () => number
  /** Called before each wait (logs, metrics). */
  onRetry?: (error: EnhancedChatError, attempt: number, delayMs: number) => void
}

/** Runs `attempt(n)` (n = 0 first) until it succeeds or retryDelay() says stop; then throws the last error. */
export async function withRetry<T>(
  operation: string,
  attempt: (n: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (!(error instanceof EnhancedChatError)) throw error
      const delay = retryDelay(error, n + 1, options.policy, options.random)
      if (delay === undefined || options.signal?.aborted) throw error
      options.onRetry?.(error, n + 1, delay)
      await sleep(delay, options.signal, operation)
    }
  }
}
