// The one owner of retry pacing for every backend: exponential delays with jitter. Each backend decides which
// failures a retry can fix and how many tries or how much time it allows (Live Agent: a time budget, the chat's
// connection timeout; Enhanced Chat: a count of tries); the delay between two tries is computed here. Pure: the
// random source is a parameter, so the arithmetic is unit-tested.

export interface BackoffPolicy {
  initialDelayMs: number
  maxDelayMs: number
  factor: number
  /** Fraction in [0, 1): each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number
}

/** Delay before retry number `attempt` (1 = first retry): initial × factor^(attempt-1), capped, then jittered. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1)
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent)
  const spread = 1 + policy.jitter * (2 * random() - 1)
  return Math.max(0, Math.round(base * spread))
}
