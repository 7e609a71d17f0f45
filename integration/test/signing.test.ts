import { createHmac } from 'node:crypto'
import { computeSignature, HOP_HEADERS, signRequest, verifySignature } from '../src/signing.js'

const SECRET = 'a-secret-of-some-length'
const NOW = 1_790_000_000_000

describe('request signing (bridge contract)', () => {
  it('signs timestamp + "." + raw body with HMAC-SHA256, as v1=<hex>', () => {
    const body = '{"text":"hello"}'
    const headers = signRequest({ tenantId: 'acme', secret: SECRET, rawBody: body, now: NOW })
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${body}`).digest('hex')
    expect(headers).toEqual({
      [HOP_HEADERS.tenant]: 'acme',
      [HOP_HEADERS.timestamp]: String(NOW),
      [HOP_HEADERS.signature]: `v1=${expected}`,
    })
  })

  const verify = (headers: Record<string, string>, rawBody = '{}', now = NOW) =>
    verifySignature({ headers, rawBody, expectedTenantId: 'acme', secret: SECRET, now })

  it('accepts its own signature, also for an empty body', () => {
    expect(verify(signRequest({ tenantId: 'acme', secret: SECRET, rawBody: '{}', now: NOW }))).toEqual({ valid: true })
    expect(verify(signRequest({ tenantId: 'acme', secret: SECRET, rawBody: '', now: NOW }), '')).toEqual({
      valid: true,
    })
  })

  const good = () => signRequest({ tenantId: 'acme', secret: SECRET, rawBody: '{}', now: NOW })

  it.each([
    ['a missing header', () => ({ ...good(), [HOP_HEADERS.signature]: '' }), '{}', 'missing signature headers'],
    ['another tenant', () => ({ ...good(), [HOP_HEADERS.tenant]: 'other' }), '{}', 'unknown tenant'],
    ['a changed body', good, '{"x":1}', 'signature does not match'],
    [
      'another secret',
      () => signRequest({ tenantId: 'acme', secret: 'wrong', rawBody: '{}', now: NOW }),
      '{}',
      'signature does not match',
    ],
    [
      'a non-numeric timestamp',
      () => ({ ...good(), [HOP_HEADERS.timestamp]: 'yesterday' }),
      '{}',
      'timestamp is not a number of milliseconds',
    ],
    [
      'a signature without the v1= prefix',
      () => ({ ...good(), [HOP_HEADERS.signature]: computeSignature(SECRET, String(NOW), '{}').slice(3) }),
      '{}',
      'signature does not match',
    ],
  ])('rejects %s', (_what, headers, body, reason) => {
    expect(verify(headers(), body)).toEqual({ valid: false, reason })
  })

  it('rejects a timestamp more than five minutes away, either way', () => {
    const fiveMinutes = 5 * 60 * 1000
    expect(verify(good(), '{}', NOW + fiveMinutes)).toEqual({ valid: true })
    expect(verify(good(), '{}', NOW + fiveMinutes + 1)).toMatchObject({
      valid: false,
      reason: 'timestamp outside the allowed window',
    })
    expect(verify(good(), '{}', NOW - fiveMinutes - 1)).toMatchObject({ valid: false })
  })
})
