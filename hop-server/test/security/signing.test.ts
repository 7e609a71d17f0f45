// The signing rules of the bridge contract as units: the published test vectors (docs/bridge-contract.md, every
// implementation checks the same ones), what a v2 signature covers, the webhook target rule and v1's switch.
import { describe, expect, it } from '@jest/globals'
import {
  computeLegacySignature,
  computeSignature,
  signRequest,
  verifyRequest,
  webhookSignedTarget,
  type SignedRequest,
} from '../../src/security/signing.js'

const SECRET = 'test-secret-0123456789'
const TENANT = 'acme'
const NOW = 1_790_000_000_000
const SECRETS = new Map([[TENANT, SECRET]])
const WINDOW_MS = 5 * 60_000

/** The vectors of docs/bridge-contract.md ("Test vectors"). */
const VECTORS: [SignedRequest, string][] = [
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
]

const verify = (request: SignedRequest, headers: Record<string, string>, acceptV1 = false) =>
  verifyRequest({ headers, ...request, secrets: SECRETS, windowMs: WINDOW_MS, now: NOW, acceptV1 })

describe('v2 signatures', () => {
  it.each(VECTORS)('match the published vector for %j', (request, expected) => {
    expect(computeSignature(SECRET, TENANT, String(NOW), request)).toBe(expected)
    expect(signRequest(TENANT, SECRET, request, NOW)).toEqual({
      'x-hop-tenant': TENANT,
      'x-hop-timestamp': String(NOW),
      'x-hop-signature': expected,
    })
  })

  const request: SignedRequest = { method: 'POST', target: '/v1/chats/chat_1/end', rawBody: '{"reason":"visitor"}' }
  const headers = () => signRequest(TENANT, SECRET, request, NOW) as unknown as Record<string, string>

  it('verify what was signed, whatever the case of the method', () => {
    expect(verify(request, headers())).toMatchObject({ ok: true, tenant: TENANT, version: 'v2' })
    expect(verify({ ...request, method: 'post' }, headers())).toMatchObject({ ok: true })
  })

  it.each([
    ['another method', { method: 'PUT' }],
    ['another path', { target: '/v1/chats/chat_2/end' }],
    ['a query added', { target: '/v1/chats/chat_1/end?r=1' }],
    ['a percent-encoded path', { target: '/v1/chats/%63hat_1/end' }],
    ['another body', { rawBody: '{"reason":"timeout"}' }],
  ])('do not verify with %s', (_, change) => {
    expect(verify({ ...request, ...change }, headers())).toEqual({ ok: false, message: 'signature does not match' })
  })

  it('do not verify under another tenant name with the same secret', () => {
    const shared = new Map([
      [TENANT, SECRET],
      ['other', SECRET],
    ])
    const result = verifyRequest({
      headers: { ...headers(), 'x-hop-tenant': 'other' },
      ...request,
      secrets: shared,
      windowMs: WINDOW_MS,
      now: NOW,
    })
    expect(result).toEqual({ ok: false, message: 'signature does not match' })
  })

  it('refuse an unknown version', () => {
    expect(verify(request, { ...headers(), 'x-hop-signature': 'v3=00' })).toEqual({
      ok: false,
      message: 'unsupported signature version (expected v2=<hex>)',
    })
  })
})

describe('v1 signatures (deprecated)', () => {
  const request: SignedRequest = { method: 'POST', target: '/v1/chats/chat_1/typing', rawBody: '{"typing":true}' }
  const v1 = {
    'x-hop-tenant': TENANT,
    'x-hop-timestamp': String(NOW),
    'x-hop-signature': computeLegacySignature(SECRET, String(NOW), request.rawBody),
  }

  it('are refused unless accepted explicitly', () => {
    expect(verify(request, v1)).toEqual({
      ok: false,
      message: 'v1 signatures are not accepted; sign with v2 (docs/bridge-contract.md)',
    })
    expect(verify(request, v1, true)).toMatchObject({ ok: true, version: 'v1' })
    expect(verify({ ...request, rawBody: '{"typing":false}' }, v1, true)).toMatchObject({ ok: false })
  })
})

describe('the webhook target rule', () => {
  it('is the absolute webhook URL, normalized by the URL parser', () => {
    expect(webhookSignedTarget('https://webhook.botpress.cloud/wh_123')).toBe('https://webhook.botpress.cloud/wh_123')
    expect(webhookSignedTarget('HTTPS://Webhook.Botpress.Cloud:443/wh_123')).toBe(
      'https://webhook.botpress.cloud/wh_123'
    )
    expect(webhookSignedTarget('https://webhook.botpress.cloud/wh_123/hop?x=1')).toBe(
      'https://webhook.botpress.cloud/wh_123/hop?x=1'
    )
  })
})
