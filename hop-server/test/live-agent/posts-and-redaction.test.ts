import { describe, expect, it } from '@jest/globals'
import {
  chasitorPostSchema,
  describePost,
  parseOutOfSync,
  redactKey,
  scrubSecrets,
} from '../../src/backends/live-agent/index.js'

describe('parseOutOfSync', () => {
  it('reads Expected and Actual from the 409 body', () => {
    expect(parseOutOfSync('Out of sync Ack. Expected 498. Actual 4')).toEqual({ expected: 498, actual: 4 })
    expect(parseOutOfSync('Out of sync Ack. Expected null. Actual 0')).toEqual({ expected: undefined, actual: 0 })
    expect(parseOutOfSync('out of SYNC ack.\nexpected 3.  actual 12')).toEqual({ expected: 3, actual: 12 })
  })

  it('returns undefined for any other 409 body', () => {
    expect(parseOutOfSync('Conflict: another Messages request is already open for this session')).toBeUndefined()
    expect(parseOutOfSync('')).toBeUndefined()
    expect(parseOutOfSync('Out of sync')).toBeUndefined()
  })
})

describe('posts', () => {
  it('map to their resource and body', () => {
    expect(describePost({ kind: 'ChatMessage', text: 'hi' })).toEqual({
      resource: 'Chasitor/ChatMessage',
      body: { text: 'hi' },
    })
    expect(describePost({ kind: 'ChasitorTyping' })).toEqual({ resource: 'Chasitor/ChasitorTyping', body: {} })
    expect(describePost({ kind: 'ChasitorSneakPeek', position: 2, text: 'he' })).toEqual({
      resource: 'Chasitor/ChasitorSneakPeek',
      body: { position: 2, text: 'he' },
    })
    expect(describePost({ kind: 'CustomEvent', type: 'bot', data: '{}' }).body).toEqual({ type: 'bot', data: '{}' })
    expect(describePost({ kind: 'ChatEnd', reason: 'client' })).toEqual({
      resource: 'Chasitor/ChatEnd',
      body: { reason: 'client' },
    })
  })

  it('are validated', () => {
    expect(chasitorPostSchema.safeParse({ kind: 'ChatMessage', text: '' }).success).toBe(false)
    expect(chasitorPostSchema.safeParse({ kind: 'ChatEnd', reason: 'agent' }).success).toBe(false)
    expect(chasitorPostSchema.safeParse({ kind: 'ChasitorSneakPeek', position: -1, text: '' }).success).toBe(false)
    expect(chasitorPostSchema.safeParse({ kind: 'Nope' }).success).toBe(false)
  })
})

describe('key redaction', () => {
  const key = 'ec550263-5b6e-4a54-9d54-3f1a3b1c7f46!1417533218432!3a1e7f46/+='

  it('keeps only a short prefix of the key', () => {
    expect(redactKey(key)).toBe('ec550263…[redacted]')
    expect(redactKey(key)).not.toContain('1417533218432')
  })

  it('masks short, empty or missing keys entirely', () => {
    expect(redactKey('abc')).toBe('…[redacted]')
    expect(redactKey('')).toBe('…[redacted]')
    expect(redactKey(undefined)).toBe('…[redacted]')
  })

  it('scrubs keys, raw and URL-encoded, out of any text', () => {
    const text = `GET /rest/System/SessionId/${encodeURIComponent(key)} failed for ${key}`
    const scrubbed = scrubSecrets(text, [key, undefined])
    expect(scrubbed).not.toContain(key)
    expect(scrubbed).not.toContain(encodeURIComponent(key))
    expect(scrubbed).toBe('GET /rest/System/SessionId/ec550263…[redacted] failed for ec550263…[redacted]')
  })
})
