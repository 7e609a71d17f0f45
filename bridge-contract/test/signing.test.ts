// The signing rules against the published test vectors (docs/bridge-contract.md, "Test vectors"), read from the page
// itself, and what a signature covers when it is verified.
import { describe, expect, it } from '@jest/globals'
import {
  computeLegacySignature,
  computeSignature,
  HEADER_SIGNATURE,
  HEADER_TENANT,
  HEADER_TIMESTAMP,
  requestTarget,
  signRequest,
  verifyRequest,
  webhookSignedTarget,
  type SignedRequest,
} from '../src/index.js'
import { CONTRACT_PAGE, codeSpans, tableAfter } from './docs.js'

const given = /With secret `([^`]+)`, tenant `([^`]+)` and timestamp `(\d+)`/.exec(CONTRACT_PAGE)
if (!given) throw new Error('docs/bridge-contract.md no longer states the secret, tenant and timestamp of its vectors')
const [, SECRET, TENANT, TIMESTAMP] = given as unknown as [string, string, string, string]
const NOW = Number(TIMESTAMP)

const VECTORS = tableAfter('### Test vectors').map(([method, target, body, signature]): [SignedRequest, string] => [
  { method: codeSpans(method!)[0]!, target: codeSpans(target!)[0]!, rawBody: codeSpans(body!)[0] ?? '' },
  codeSpans(signature!)[0]!,
])

describe('the published test vectors', () => {
  it('are all read from the page (two requests to the hop server and a webhook)', () => {
    expect(VECTORS).toHaveLength(3)
    expect(VECTORS.map(([request]) => request.method)).toEqual(['POST', 'GET', 'POST'])
  })

  it.each(VECTORS)('%j signs as documented', (request, expected) => {
    expect(computeSignature(SECRET, TENANT, TIMESTAMP, request)).toBe(expected)
    expect(signRequest(TENANT, SECRET, request, NOW)).toEqual({
      [HEADER_TENANT]: TENANT,
      [HEADER_TIMESTAMP]: TIMESTAMP,
      [HEADER_SIGNATURE]: expected,
    })
  })

  it('name the header names this package uses', () => {
    const names = tableAfter('## Signing').map(([header]) => codeSpans(header!)[0])
    expect(names).toEqual([HEADER_TENANT, HEADER_TIMESTAMP, HEADER_SIGNATURE])
  })
})

describe('verifying', () => {
  const secrets = new Map([[TENANT, SECRET]])
  const request: SignedRequest = { method: 'POST', target: '/v1/chats/chat_1/end', rawBody: '{"reason":"visitor"}' }
  const headers = (): Record<string, string> => ({ ...signRequest(TENANT, SECRET, request, NOW) })
  const verify = (changes: Partial<SignedRequest> & { headers?: Record<string, string>; now?: number } = {}) =>
    verifyRequest({ headers: headers(), ...request, secrets, now: NOW, ...changes })

  it('accepts what was signed, whatever the case of the method', () => {
    expect(verify()).toEqual({ ok: true, tenant: TENANT, signature: headers()[HEADER_SIGNATURE], version: 'v2' })
    expect(verify({ method: 'post' })).toMatchObject({ ok: true })
  })

  it.each([
    ['another method', { method: 'PUT' }],
    ['another path', { target: '/v1/chats/chat_2/end' }],
    ['a query added', { target: '/v1/chats/chat_1/end?r=1' }],
    ['a percent-encoded path', { target: '/v1/chats/%63hat_1/end' }],
    ['another body', { rawBody: '{"reason":"timeout"}' }],
  ])('refuses %s', (_what, change) => {
    expect(verify(change)).toEqual({ ok: false, message: 'signature does not match' })
  })

  it.each([
    ['no tenant', HEADER_TENANT, '', `missing ${HEADER_TENANT} header`],
    ['no timestamp', HEADER_TIMESTAMP, '', `missing ${HEADER_TIMESTAMP} header`],
    ['no signature', HEADER_SIGNATURE, '', `missing ${HEADER_SIGNATURE} header`],
    ['an unknown tenant', HEADER_TENANT, 'other', 'unknown tenant'],
    [
      'a timestamp in seconds with a fraction',
      HEADER_TIMESTAMP,
      '1790000000.5',
      `${HEADER_TIMESTAMP} must be Unix time in milliseconds`,
    ],
    ['no version prefix', HEADER_SIGNATURE, 'abc', 'unsupported signature version (expected v2=<hex>)'],
  ])('refuses %s with a sentence saying so', (_what, header, value, message) => {
    expect(verify({ headers: { ...headers(), [header]: value } })).toEqual({ ok: false, message })
  })

  it('refuses a timestamp more than the window away, either way, and accepts one at its edge', () => {
    const window = 5 * 60_000
    expect(verify({ now: NOW + window })).toMatchObject({ ok: true })
    expect(verify({ now: NOW + window + 1 })).toEqual({ ok: false, message: 'timestamp outside the allowed window' })
    expect(verify({ now: NOW - window - 1 })).toEqual({ ok: false, message: 'timestamp outside the allowed window' })
    expect(verifyRequest({ headers: headers(), ...request, secrets, now: NOW + 10, windowMs: 9 })).toMatchObject({
      ok: false,
    })
  })

  it('refuses the deprecated v1 signature unless the receiver accepts it, and then checks it', () => {
    const v1 = { ...headers(), [HEADER_SIGNATURE]: computeLegacySignature(SECRET, TIMESTAMP, request.rawBody) }
    expect(verify({ headers: v1 })).toEqual({
      ok: false,
      message: 'v1 signatures are not accepted; sign with v2 (docs/bridge-contract.md)',
    })
    const accepted = verifyRequest({ headers: v1, ...request, secrets, now: NOW, acceptV1: true })
    expect(accepted).toMatchObject({ ok: true, version: 'v1' })
    const tampered = verifyRequest({ headers: v1, ...request, rawBody: '{}', secrets, now: NOW, acceptV1: true })
    expect(tampered).toEqual({ ok: false, message: 'signature does not match' })
  })
})

describe('targets', () => {
  it('a request signs the path and query as the URL parser puts them on the wire', () => {
    expect(requestTarget('https://hop.example.com/v1/chats/chat_1?b=1&a=%20')).toBe('/v1/chats/chat_1?b=1&a=%20')
    expect(requestTarget('https://hop.example.com/v1/chats/../availability')).toBe('/v1/availability')
  })

  it('a webhook signs its absolute URL, normalized', () => {
    expect(webhookSignedTarget('HTTPS://Webhook.Botpress.Cloud/wh_1')).toBe('https://webhook.botpress.cloud/wh_1')
  })
})
