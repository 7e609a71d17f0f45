// Bounded retries of Live Agent requests: the shared backoff (../backoff.ts) inside a time budget (the chat's
// connection timeout). Pure: the clock and the random source are parameters, so the arithmetic is unit-tested.
import { backoffDelay, type BackoffPolicy } from '../backoff.js'
import { DEFAULT_BACKOFF } from './constants.js'

export { backoffDelay, type BackoffPolicy }

export const defaultBackoffPolicy: BackoffPolicy = { ...DEFAULT_BACKOFF }

/**
 * A streak of failures of one kind of request. It starts at the first failure; retries are allowed while the
 * time since then stays within the budget. `nextDelay` returns undefined once the budget is spent, and never a
 * delay that would overshoot it by more than the remaining time.
 */
export class RetryWindow {
  private attempts = 0
  private readonly startedAt: number

  constructor(
    private readonly budgetMs: number,
    private readonly policy: BackoffPolicy = defaultBackoffPolicy,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random
  ) {
    this.startedAt = now()
  }

  get attempt(): number {
    return this.attempts
  }

  /** Milliseconds left in the budget (0 when spent). */
  remainingMs(): number {
    return Math.max(0, this.startedAt + this.budgetMs - this.now())
  }

  /** Call after a failure: the delay before the next try, or undefined when the budget is spent. */
  nextDelay(): number | undefined {
    const remaining = this.remainingMs()
    if (remaining <= 0) return undefined
    this.attempts += 1
    return Math.min(remaining, backoffDelay(this.attempts, this.policy, this.random))
  }
}
