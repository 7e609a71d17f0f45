// Unit tests of the Enhanced Chat client's pure parts: org ids, the error classifier, the retry decision, the pacer.
import { describe, expect, it } from '@jest/globals'
import { checksumOf, toOrgId15 } from '../../src/backends/enhanced-chat/org-id.js'
import {
  DEFAULT_RATE_LIMIT_WAIT_MS,
  classifyFailure,
  classifyResponse,
  parseRetryAfter,
} from '../../src/backends/enhanced-chat/classify.js'
import { retryDelay, withRetry } from '../../src/backends/enhanced-chat/retry.js'
import { EnhancedChatError, EnhancedChatInputError } from '../../src/backends/enhanced-chat/errors.js'
import { OutboxPacer, type PacerClock } from '../../src/backends/enhanced-chat/pacer.js'
import { SCRT2_HOST_PATTERNS } from '../../src/backends/enhanced-chat/constants.js'

const POLICY = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 }
const MIDDLE = () => 0.5 // no jitter

describe('org ids', () => {
  it('computes the checksum of a public example id (001A0000006Vm9r → IAC)', () => {
    expect(checksumOf('001A0000006Vm9r')).toBe('IAC')
  })

  it('keeps a 15-character id and converts an 18-character one to its case-sensitive prefix', () => {
    expect(toOrgId15('00D5g000004AbCd')).toBe('00D5g000004AbCd')
    expect(toOrgId15('00D5g000004AbCdEAK')).toBe('00D5g000004AbCd')
    expect(toOrgId15('00D5g000004AbCdeak')).toBe('00D5g000004AbCd') // the suffix itself ignores case
  })

  it('refuses a wrong length, a bad checksum, other characters or another prefix, naming the field', () => {
    const cases: [string, RegExp][] = [
      ['00D5g000004AbC', /15 or 18 characters.*got 14/],
      ['00D5g000004AbCdEAA', /checksum.*EAK was expected/],
      ['00D5g000004AbC-', /letters and digits/],
      ['0015g000004AbCd', /starts with 00D/],
    ]
    for (const [input, message] of cases) {
      const error = catchError(() => toOrgId15(input, 'salesforce.orgId'))
      expect(error).toBeInstanceOf(EnhancedChatInputError)
      expect((error as EnhancedChatInputError).field).toBe('salesforce.orgId')
      expect((error as Error).message).toMatch(message)
    }
  })
})

describe('the error classifier', () => {
  it('gives each documented status its kind and reads Salesforce’s message', () => {
    const kinds = [400, 401, 403, 404, 409, 417, 429, 500, 503, 418].map((status) => [
      status,
      classifyResponse('op', status, JSON.stringify({ message: `m${status}` })).kind,
    ])
    expect(kinds).toEqual([
      [400, 'bad-request'],
      [401, 'token-expired'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [409, 'conflict'],
      [417, 'session-ended'],
      [429, 'rate-limited'],
      [500, 'server'],
      [503, 'server'],
      [418, 'http'],
    ])
    expect(classifyResponse('sendMessage', 401, '{"message":"Jwt is expired"}').message).toBe(
      'sendMessage answered HTTP 401: Jwt is expired'
    )
  })

  it('reads the stream’s Spring-style 401 and its plain-text one', () => {
    const spring = '{"timestamp":1,"status":401,"error":"Unauthorized","path":"/eventrouter/v1/sse"}'
    expect(classifyResponse('eventStream', 401, spring).serverMessage).toBe('Unauthorized')
    expect(classifyResponse('eventStream', 401, 'Jwt is expired').serverMessage).toBe('Jwt is expired')
  })

  it('gives a 429 its wait: Retry-After in seconds or as a date, else a minute', () => {
    expect(classifyResponse('op', 429, '{}', '7').retryAfterMs).toBe(7000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000)
    expect(classifyResponse('op', 429, '{}').retryAfterMs).toBe(DEFAULT_RATE_LIMIT_WAIT_MS)
  })

  it('tells aborts, timeouts and network failures apart', () => {
    const named = (name: string, code?: string) => Object.assign(new Error(name), { name, code })
    expect(classifyFailure('op', named('AbortError', 'ERR_ABORTED'), 1).kind).toBe('aborted')
    expect(classifyFailure('op', named('TimeoutError', 'ETIMEDOUT'), 1).kind).toBe('timeout')
    expect(classifyFailure('op', named('RequestError', 'ECONNRESET'), 1).kind).toBe('network')
  })
})

describe('the retry decision', () => {
  const error = (kind: EnhancedChatError['kind'], retryAfterMs?: number) =>
    new EnhancedChatError(kind, 'op', kind, retryAfterMs === undefined ? {} : { retryAfterMs })

  it('retries 5xx, network and timeouts with growing, capped delays, a bounded number of times', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(error('server'), n, POLICY, MIDDLE))).toEqual([100, 200, 400, undefined])
    expect(retryDelay(error('network'), 5, { ...POLICY, maxRetries: 9 }, MIDDLE)).toBe(1000)
    expect(retryDelay(error('timeout'), 1, POLICY, () => 0)).toBe(80) // jitter −20 %
  })

  it('never retries what a retry cannot fix', () => {
    for (const kind of ['bad-request', 'token-expired', 'forbidden', 'not-found', 'session-ended'] as const)
      expect(retryDelay(error(kind), 1, POLICY, MIDDLE)).toBeUndefined()
  })

  it('waits out a short rate limit and hands a long one back to the caller', () => {
    expect(retryDelay(error('rate-limited', 500), 1, POLICY, MIDDLE)).toBe(500)
    expect(retryDelay(error('rate-limited', 60_000), 1, POLICY, MIDDLE)).toBeUndefined()
  })

  it('stops at the first error a retry cannot fix and after the last allowed try', async () => {
    let calls = 0
    const fast = { ...POLICY, initialDelayMs: 1, maxDelayMs: 1 }
    await expect(
      withRetry(
        'op',
        async () => {
          calls++
          throw error('server')
        },
        { policy: fast }
      )
    ).rejects.toMatchObject({ kind: 'server' })
    expect(calls).toBe(4)
    calls = 0
    await expect(
      withRetry(
        'op',
        async () => {
          calls++
          throw error('forbidden')
        },
        { policy: fast }
      )
    ).rejects.toMatchObject({ kind: 'forbidden' })
    expect(calls).toBe(1)
  })
})

class FakeClock implements PacerClock {
  at = 1_000_000
  slept: number[] = []
  now = () => this.at
  sleep = async (ms: number) => {
    this.slept.push(ms)
    this.at += ms
  }
}

describe('the outbox pacer', () => {
  it('lets 22 messages through in a minute, then makes the 23rd wait for the oldest to leave the window', async () => {
    const clock = new FakeClock()
    const pacer = new OutboxPacer({ clock })
    const sentAt: number[] = []
    for (let i = 0; i < 22; i++) {
      await pacer.acquire('c1')
      sentAt.push(clock.now())
      clock.at += 100
    }
    expect(clock.slept).toEqual([])
    await pacer.acquire('c1')
    sentAt.push(clock.now())
    expect(sentAt[22]! - sentAt[0]!).toBe(60_000)
    // In every 60 s window there are never more than 22 sends.
    for (const start of sentAt)
      expect(sentAt.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(22)
  })

  it('paces each conversation on its own and never drops a message', async () => {
    const clock = new FakeClock()
    const pacer = new OutboxPacer({ clock, limit: 2, windowMs: 1000 })
    let sent = 0
    for (let i = 0; i < 5; i++) {
      await pacer.acquire('a')
      sent++
    }
    await pacer.acquire('b')
    expect(sent).toBe(5)
    expect(clock.at - 1_000_000).toBe(2000) // a: 2 now, 2 after 1 s, 1 after 2 s; b did not wait
    expect(pacer.delayFor('b')).toBe(0)
  })

  it('holds a conversation for the wait a 429 asked, and forgets a finished one', async () => {
    const clock = new FakeClock()
    const pacer = new OutboxPacer({ clock })
    pacer.penalise('c', 5000)
    expect(pacer.delayFor('c')).toBe(5000)
    await pacer.acquire('c')
    expect(clock.slept).toEqual([5000])
    pacer.forget('c')
    expect(pacer.delayFor('c')).toBe(0)
  })
})

describe('SCRT2 hosts', () => {
  // `*` stands for one or more DNS labels, as the allowlist reads host patterns.
  const matches = (host: string) =>
    SCRT2_HOST_PATTERNS.filter((pattern) => {
      const suffix = pattern.slice(1)
      return host.endsWith(suffix) && host.length > suffix.length
    })

  it('cover production, sandbox and developer org hosts, each kind by its own pattern', () => {
    expect(matches('acme.my.salesforce-scrt.com')).toEqual(['*.my.salesforce-scrt.com'])
    expect(matches('harman--uat.sandbox.my.salesforce-scrt.com')).toContain('*.sandbox.my.salesforce-scrt.com')
    expect(matches('orgfarm-1a2b.develop.my.salesforce-scrt.com')).toContain('*.develop.my.salesforce-scrt.com')
  })

  it('do not cover the org’s other hosts or look-alikes', () => {
    for (const host of [
      'acme.my.salesforce.com',
      'd.la1-c2-ia2.salesforceliveagent.com',
      'my.salesforce-scrt.com.evil.io',
    ])
      expect(matches(host)).toEqual([])
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}
