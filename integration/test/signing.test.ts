import { createHmac } from 'node:crypto'
import integration from '../src/index.js'
import { signedHeaders } from './support/fake-hop-server.js'
import { TEST_SECRET, TEST_TENANT } from './support/fakes.js'
import { type DirectHarness, useDirectHarness, WEBHOOK_BASE_URL } from './support/harness.js'
import {
  HOP_HEADERS,
  requestTarget,
  signingTimestamp,
  signRequest,
  verifySignature,
  webhookTarget,
  type SignedRequest,
} from '../src/signing.js'

const SECRET = 'a-secret-of-some-length'
const NOW = 1_790_000_000_000

describe('request signing (bridge contract, v2)', () => {
  it('signs tenant, method, target, timestamp and raw body with HMAC-SHA256, as v2=<hex>', () => {
    const body = '{"text":"hello"}'
    const headers = signRequest({
      tenantId: 'acme',
      secret: SECRET,
      method: 'post',
      target: '/v1/chats/chat_1/messages',
      rawBody: body,
      now: NOW,
    })
    const expected = createHmac('sha256', SECRET)
      .update(`v2\nacme\nPOST\n/v1/chats/chat_1/messages\n${NOW}\n${body}`)
      .digest('hex')
    expect(headers).toEqual({
      [HOP_HEADERS.tenant]: 'acme',
      [HOP_HEADERS.timestamp]: String(NOW),
      [HOP_HEADERS.signature]: `v2=${expected}`,
    })
  })

  // The published test vectors are checked once, by @liveagent-hop/bridge-contract, whose signing this is.

  const webhook: SignedRequest = { method: 'POST', target: 'https://webhook.botpress.cloud/wh_1', rawBody: '{}' }
  const good = () => signRequest({ tenantId: 'acme', secret: SECRET, ...webhook, now: NOW })
  const verify = (headers: Record<string, string>, request: Partial<SignedRequest> = {}, now = NOW) =>
    verifySignature({ headers, ...webhook, ...request, expectedTenantId: 'acme', secret: SECRET, now })

  it('accepts its own signature, also for an empty body', () => {
    expect(verify(good())).toEqual({ valid: true })
    const get = { method: 'GET', target: '/v1/chats/chat_1', rawBody: '' }
    expect(verify(signRequest({ tenantId: 'acme', secret: SECRET, ...get, now: NOW }), get)).toEqual({ valid: true })
  })

  it.each([
    ['a missing header', () => ({ ...good(), [HOP_HEADERS.signature]: '' }), {}, 'missing x-hop-signature header'],
    ['another tenant', () => ({ ...good(), [HOP_HEADERS.tenant]: 'other' }), {}, 'unknown tenant'],
    ['a changed body', good, { rawBody: '{"x":1}' }, 'signature does not match'],
    ['another method', good, { method: 'PUT' }, 'signature does not match'],
    ['another webhook URL', good, { target: 'https://webhook.botpress.cloud/wh_2' }, 'signature does not match'],
    ['a query added', good, { target: 'https://webhook.botpress.cloud/wh_1?r=1' }, 'signature does not match'],
    [
      'another secret',
      () => signRequest({ tenantId: 'acme', secret: 'wrong', ...webhook, now: NOW }),
      {},
      'signature does not match',
    ],
    [
      'a non-numeric timestamp',
      () => ({ ...good(), [HOP_HEADERS.timestamp]: 'yesterday' }),
      {},
      'x-hop-timestamp must be Unix time in milliseconds',
    ],
    [
      'a v1 signature (timestamp and body only)',
      () => ({
        ...good(),
        [HOP_HEADERS.signature]: `v1=${createHmac('sha256', SECRET).update(`${NOW}.{}`).digest('hex')}`,
      }),
      {},
      'v1 signatures are not accepted; sign with v2 (docs/bridge-contract.md)',
    ],
    [
      'a signature without the v2= prefix',
      () => ({ ...good(), [HOP_HEADERS.signature]: good()[HOP_HEADERS.signature].slice(3) }),
      {},
      'unsupported signature version (expected v2=<hex>)',
    ],
  ])('rejects %s', (_what, headers, request, reason) => {
    expect(verify(headers(), request)).toEqual({ valid: false, reason })
  })

  it('rejects a timestamp more than five minutes away, either way', () => {
    const fiveMinutes = 5 * 60 * 1000
    expect(verify(good(), {}, NOW + fiveMinutes)).toEqual({ valid: true })
    expect(verify(good(), {}, NOW + fiveMinutes + 1)).toMatchObject({
      valid: false,
      reason: 'timestamp outside the allowed window',
    })
    expect(verify(good(), {}, NOW - fiveMinutes - 1)).toMatchObject({ valid: false })
  })
})

describe('signing timestamps', () => {
  it('never repeat in one process, so identical requests in one millisecond never sign alike', () => {
    const first = signingTimestamp(NOW)
    expect(signingTimestamp(NOW)).toBe(first + 1)
    expect(signingTimestamp(first + 10_000)).toBe(first + 10_000)
  })
})

describe('what is signed', () => {
  it('a request: the path and query as the URL parser puts them on the wire', () => {
    expect(requestTarget('https://hop.example.com/v1/chats/chat_1')).toBe('/v1/chats/chat_1')
    expect(requestTarget('https://hop.example.com/v1/availability?endpoint=https%3A%2F%2Fx&b=1')).toBe(
      '/v1/availability?endpoint=https%3A%2F%2Fx&b=1'
    )
    expect(requestTarget('https://hop.example.com/v1/chats/a b')).toBe('/v1/chats/a%20b')
  })

  it('a webhook: the integration’s webhook URL plus the path and query Botpress relays after the webhook id', () => {
    const url = 'https://webhook.botpress.cloud/wh_1'
    expect(webhookTarget(url, { path: '/', query: '' })).toBe('https://webhook.botpress.cloud/wh_1')
    expect(webhookTarget(url, { path: '', query: '' })).toBe('https://webhook.botpress.cloud/wh_1')
    expect(webhookTarget(`${url}/`, { path: '/', query: '' })).toBe('https://webhook.botpress.cloud/wh_1')
    expect(webhookTarget(url, { path: '/extra', query: 'r=1' })).toBe('https://webhook.botpress.cloud/wh_1/extra?r=1')
  })
})

describe('the webhook handler checks the signature over the URL the event was posted to', () => {
  let h: DirectHarness
  const body = JSON.stringify({
    chatId: 'chat_unknown',
    conversationId: 'conv_unknown',
    seq: 1,
    type: 'chat.queued',
    at: '2026-11-24T10:00:00.000Z',
    data: { position: 1 },
  })

  useDirectHarness((started) => (h = started))

  const relay = (headers: Record<string, string>, path = '/', query = '') =>
    integration.webhook({ ...h.props, req: { method: 'POST', path, query, headers, body } })

  it('accepts an event signed for this integration’s webhook URL (an unknown chat is acknowledged)', async () => {
    const response = await relay(signedHeaders(TEST_TENANT, TEST_SECRET, body))
    expect(response).toMatchObject({ status: 200 })
  })

  it.each([
    ['replayed under another path', signedHeaders(TEST_TENANT, TEST_SECRET, body), '/other', ''],
    ['replayed with a query added', signedHeaders(TEST_TENANT, TEST_SECRET, body), '/', 'r=1'],
    [
      'signed for another bot’s webhook',
      signedHeaders(TEST_TENANT, TEST_SECRET, body, Date.now(), `${WEBHOOK_BASE_URL}/wh_other`),
      '/',
      '',
    ],
  ])('refuses an event %s with 401', async (_, headers, path, query) => {
    const calls = h.store.calls.length
    const response = await relay(headers, path, query)
    expect(response).toMatchObject({ status: 401 })
    expect(JSON.parse(response!.body!)).toMatchObject({ message: 'signature does not match' })
    expect(h.store.calls.length).toBe(calls)
  })
})
