// The bench signs and checks with the contract's rule (its test vectors are checked in bridge-contract): what it
// sends verifies, and a request moved to another target does not.
import { describe, expect, it } from '@jest/globals'
import { signedHeaders, verifySigned } from '../src/http/signing.js'

const SECRET = 'test-secret-0123456789'

describe('bench signing (bridge contract v2)', () => {
  it('signs a request to the hop server over its path and query, and verifies only that', () => {
    const rawBody = '{}'
    const headers = signedHeaders('acme', SECRET, {
      method: 'POST',
      url: 'http://127.0.0.1:1/v1/chats/x/end?y=1',
      rawBody,
    })
    const request = { method: 'POST', target: '/v1/chats/x/end?y=1', rawBody }
    expect(verifySigned(headers, request, 'acme', SECRET)).toEqual({ ok: true })
    expect(verifySigned(headers, { ...request, target: '/v1/chats/y/end?y=1' }, 'acme', SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match',
    })
    expect(verifySigned(headers, request, 'other', SECRET)).toEqual({ ok: false, reason: 'unknown tenant' })
  })

  it('signs a webhook over its absolute URL', () => {
    const url = 'http://127.0.0.1:1/hook/wh_1'
    const headers = signedHeaders('acme', SECRET, { method: 'POST', url, rawBody: '{"seq":1}', webhook: true })
    const request = { method: 'POST', target: url, rawBody: '{"seq":1}' }
    expect(verifySigned(headers, request, 'acme', SECRET)).toEqual({ ok: true })
    expect(verifySigned(headers, { ...request, target: '/hook/wh_1' }, 'acme', SECRET)).toMatchObject({ ok: false })
  })
})
