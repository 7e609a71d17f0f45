// The bench's own copy of the contract's signing must match the published test vectors (docs/bridge-contract.md).
import { describe, expect, it } from '@jest/globals'
import { requestTarget, signature, verifySigned } from '../src/http/signing.js'

const SECRET = 'test-secret-0123456789'
const TIMESTAMP = '1790000000000'

describe('bench signing (bridge contract v2)', () => {
  it.each([
    [
      { method: 'POST', target: '/v1/chats/chat_1/messages?r=1', rawBody: '{"messageId":"m1","text":"hi"}' },
      'v2=115fe46865152180b0c03aadeaedf20cc84b9e7e49973653891fcb8801dcf8b1',
    ],
    [
      { method: 'GET', target: '/v1/chats/chat_1', rawBody: '' },
      'v2=98ceb2e465e65fcaa0b231a600168bfa259ddcd0d165621f0b1eddbf0bb71588',
    ],
    [
      { method: 'POST', target: 'https://webhook.botpress.cloud/wh_123', rawBody: '{"seq":1}' },
      'v2=76d5f94698d49d107bd23d8f284acf4e440fc5b84c2d0614dfb9b85c10bc0a52',
    ],
  ])('matches test vector %#', (request, expected) => {
    expect(signature(SECRET, 'acme', TIMESTAMP, request)).toBe(expected)
  })

  it('verifies only the method, target and body that were signed', () => {
    const request = { method: 'POST', target: '/v1/chats/chat_1/end', rawBody: '{}' }
    const headers = {
      'x-hop-tenant': 'acme',
      'x-hop-timestamp': TIMESTAMP,
      'x-hop-signature': signature(SECRET, 'acme', TIMESTAMP, request),
    }
    const now = Number(TIMESTAMP)
    expect(verifySigned(headers, request, 'acme', SECRET, now)).toEqual({ ok: true })
    expect(verifySigned(headers, { ...request, target: '/v1/chats/chat_2/end' }, 'acme', SECRET, now)).toEqual({
      ok: false,
      reason: 'signature does not match',
    })
    expect(requestTarget('http://127.0.0.1:1/v1/chats/x?y=1')).toBe('/v1/chats/x?y=1')
  })
})
