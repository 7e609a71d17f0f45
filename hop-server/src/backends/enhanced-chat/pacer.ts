// Paces a conversation's outgoing messages under Salesforce's limit of 22 inbound messages per minute per
// conversation: a sliding window of send times; a message waits for a free slot, it is never dropped. A 429 that
// comes anyway (Salesforce's window is not ours) blocks the conversation for the wait it asked.
import { LIMITS, MINUTE_MS } from './constants.js'
import { sleep } from './retry.js'

export interface PacerClock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal, 'pacer'),
}

export interface PacerOptions {
  limit?: number
  windowMs?: number
  clock?: PacerClock
}

export class OutboxPacer {
  private readonly limit: number
  private readonly windowMs: number
  private readonly clock: PacerClock
  private readonly sent = new Map<string, number[]>()
  private readonly blockedUntil = new Map<string, number>()

  constructor(options: PacerOptions = {}) {
    this.limit = options.limit ?? LIMITS.messagesPerMinutePerConversation
    this.windowMs = options.windowMs ?? MINUTE_MS
    this.clock = options.clock ?? systemClock
  }

  /** Milliseconds until `key` may send one more message (0: now). */
  delayFor(key: string): number {
    const now = this.clock.now()
    const times = this.window(key, now)
    const slotAt = times.length < this.limit ? now : times[times.length - this.limit]! + this.windowMs
    return Math.max(0, slotAt - now, (this.blockedUntil.get(key) ?? 0) - now)
  }

  /** Waits for a free slot of `key`, then takes it. Callers send one message of a conversation at a time. */
  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    for (let delay = this.delayFor(key); delay > 0; delay = this.delayFor(key)) await this.clock.sleep(delay, signal)
    this.record(key)
  }

  /** Counts a message of `key` sent now. */
  record(key: string): void {
    const now = this.clock.now()
    const times = this.window(key, now)
    times.push(now)
    this.sent.set(key, times)
  }

  /** Salesforce answered 429 anyway: nothing more for `key` before `retryAfterMs` from now. */
  penalise(key: string, retryAfterMs: number): void {
    this.blockedUntil.set(key, Math.max(this.blockedUntil.get(key) ?? 0, this.clock.now() + retryAfterMs))
  }

  /** The send times of `key` within the window, oldest first (stored with the chat so pacing survives a restart). */
  recent(key: string): number[] {
    return [...this.window(key, this.clock.now())]
  }

  /** Takes over send times stored by another process (or before a restart). */
  restore(key: string, times: readonly number[]): void {
    const now = this.clock.now()
    const merged = [...new Set([...(this.sent.get(key) ?? []), ...times])]
      .filter((at) => at > now - this.windowMs)
      .sort((a, b) => a - b)
    if (merged.length > 0) this.sent.set(key, merged)
  }

  /** The conversation is over: drop its state. */
  forget(key: string): void {
    this.sent.delete(key)
    this.blockedUntil.delete(key)
  }

  private window(key: string, now: number): number[] {
    const times = (this.sent.get(key) ?? []).filter((at) => at > now - this.windowMs)
    if (times.length === 0) this.sent.delete(key)
    return times
  }
}
