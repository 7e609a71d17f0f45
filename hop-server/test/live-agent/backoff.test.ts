import { describe, expect, it } from '@jest/globals'
import { RetryWindow, backoffDelay, type BackoffPolicy } from '../../src/backends/live-agent/index.js'

const policy: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 }
const middle = (): number => 0.5 // no jitter
const low = (): number => 0 // the lowest jitter
const high = (): number => 0.999999 // the highest jitter

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, middle))).toEqual([100, 200, 400, 800, 1000, 1000])
  })

  it('spreads each delay by ±jitter', () => {
    expect(backoffDelay(1, policy, low)).toBe(80)
    expect(backoffDelay(1, policy, high)).toBe(120)
    expect(backoffDelay(10, policy, high)).toBe(1200)
  })

  it('treats attempt 0 or less as the first retry and never returns a negative delay', () => {
    expect(backoffDelay(0, policy, middle)).toBe(100)
    expect(backoffDelay(-3, { ...policy, jitter: 1 }, low)).toBe(0)
  })
})

describe('RetryWindow', () => {
  it('allows retries until the budget since the first failure is spent, then says stop', () => {
    let now = 10_000
    const window = new RetryWindow(1000, policy, () => now, middle)
    expect(window.nextDelay()).toBe(100)
    now += 100
    expect(window.nextDelay()).toBe(200)
    now += 200
    expect(window.nextDelay()).toBe(400)
    now += 400
    // 300 ms left: the delay is cut to what remains instead of overshooting the budget
    expect(window.nextDelay()).toBe(300)
    now += 300
    expect(window.remainingMs()).toBe(0)
    expect(window.nextDelay()).toBeUndefined()
    expect(window.attempt).toBe(4)
  })

  it('gives up at once with a zero budget', () => {
    const window = new RetryWindow(0, policy, () => 0, middle)
    expect(window.nextDelay()).toBeUndefined()
    expect(window.attempt).toBe(0)
  })
})
