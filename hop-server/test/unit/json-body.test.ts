import { describe, expect, it } from '@jest/globals'
import { parseJsonSafely } from '../../src/http/app.js'

describe('parsing a JSON body', () => {
  it('parses a plain body and one with \\u escapes in its values', () => {
    expect(parseJsonSafely('{"messageId":"m1","text":"hello"}')).toEqual({ messageId: 'm1', text: 'hello' })
    expect(parseJsonSafely('{"text":"caf\\u00e9 \\u0001"}')).toEqual({ text: 'café \u0001' })
  })

  it('refuses a __proto__ key however it is spelled, at any depth', () => {
    expect(() => parseJsonSafely('{"__proto__":{"admin":true}}')).toThrow(/__proto__/)
    expect(() => parseJsonSafely('{"a":[{"\\u005f_proto__":1}]}')).toThrow(/__proto__/)
    expect(() => parseJsonSafely('{"__pr\\u006fto__":1}')).toThrow(/__proto__/)
  })

  it('accepts __proto__ as a value, not a key', () => {
    expect(parseJsonSafely('{"text":"__proto__"}')).toEqual({ text: '__proto__' })
  })
})
