// The HTTP API over real HTTP: bad input of every kind gets a 4xx with a clear message and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { signRequest } from '@liveagent-hop/bridge-contract'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import {
  MOCK_HOLD_MS,
  OTHER_SECRET,
  OTHER_TENANT,
  SECRET,
  TENANT,
  TENANTS,
  chatBody,
  eventually,
  hopConfig,
  tempDir,
} from '../support/harness.js'

const BODY_LIMIT = 4096
const dir = tempDir('hop-api-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopServer
let client: HopTestClient
let chatId: string

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: TENANTS })
  hop = await startHopServer(
    hopConfig(dir.path, {
      security: {
        bodyLimitBytes: BODY_LIMIT,
        liveAgentAllowlist: ['*.salesforceliveagent.com'],
        webhookAllowlist: ['webhook.botpress.cloud'],
      },
    })
  )
  client = new HopTestClient(hop.url, TENANT, SECRET)
  const created = await client.createChat(chatBody(mock.url, receiver.url))
  chatId = created.body.chatId as string
  // Let the chat settle (queued, nothing more in the manual scenario) so snapshots only change on purpose.
  await receiver.waitForType(chatId, 'chat.queued')
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

/** What a refused request must leave untouched. */
async function snapshot() {
  return {
    active: await hop.store.activeChatCount(),
    outbox: await hop.store.readOutbox(chatId, 0, 1000),
    chat: await hop.store.getChat(chatId),
  }
}

async function expectRefused(
  request: Promise<{ status: number; body: Record<string, unknown> }>,
  status: number,
  message: RegExp
) {
  const before = await snapshot()
  const response = await request
  expect(response.status).toBe(status)
  expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String) })
  expect(response.body.message).toMatch(message)
  expect(await snapshot()).toEqual(before)
}

describe('signatures', () => {
  const body = () => JSON.stringify({ messageId: `m-${Math.random()}`, text: 'hi' })
  const path = () => `/v1/chats/${chatId}/messages`

  it('accepts a correctly signed request', async () => {
    expect((await client.raw('POST', path(), body())).status).toBe(202)
  })

  const sign = (tenant: string, secret: string, raw: string, now?: number) =>
    signRequest(tenant, secret, { method: 'POST', target: path(), rawBody: raw }, now) as unknown as Record<
      string,
      string
    >
  it.each([
    ['a wrong secret', (raw: string) => sign(TENANT, 'not-the-secret-0123456789', raw), /signature does not match/],
    ['an unknown tenant', (raw: string) => sign('nobody', SECRET, raw), /unknown tenant/],
    [
      'a missing signature',
      (raw: string) => ({ ...sign(TENANT, SECRET, raw), 'x-hop-signature': '' }),
      /missing x-hop-signature/,
    ],
    [
      'a missing tenant',
      (raw: string) => ({ ...sign(TENANT, SECRET, raw), 'x-hop-tenant': '' }),
      /missing x-hop-tenant/,
    ],
    [
      'an old timestamp',
      (raw: string) => sign(TENANT, SECRET, raw, Date.now() - 6 * 60_000),
      /outside the allowed window/,
    ],
    ['a timestamp in seconds', (raw: string) => sign(TENANT, SECRET, raw, Math.floor(Date.now() / 1000)), /window/],
    [
      'a non-numeric timestamp',
      (raw: string) => ({ ...sign(TENANT, SECRET, raw), 'x-hop-timestamp': 'soon' }),
      /milliseconds/,
    ],
  ])('refuses %s with 401 and changes nothing', async (_, headers, message) => {
    const raw = body()
    await expectRefused(client.raw('POST', path(), raw, headers(raw)), 401, message)
  })

  it('refuses a signature over a different body', async () => {
    const headers = sign(TENANT, SECRET, JSON.stringify({ messageId: 'x', text: 'other' }))
    await expectRefused(client.raw('POST', path(), body(), headers), 401, /signature does not match/)
  })

  it('refuses a replayed request, even a valid one', async () => {
    const raw = body()
    const headers = sign(TENANT, SECRET, raw)
    expect((await client.raw('POST', path(), raw, headers)).status).toBe(202)
    await expectRefused(client.raw('POST', path(), raw, headers), 401, /replayed request/)
  })

  it('refuses another tenant access to the chat (404: it does not exist for them)', async () => {
    const other = new HopTestClient(hop.url, OTHER_TENANT, OTHER_SECRET)
    await expectRefused(other.status(chatId), 404, /not found/)
    await expectRefused(other.sendMessage(chatId, 'x1', 'hello'), 404, /not found/)
    await expectRefused(other.end(chatId), 404, /not found/)
  })

  it('leaves the operations endpoints unsigned', async () => {
    expect((await fetch(`${hop.url}/healthz`)).status).toBe(200)
    const ready = await fetch(`${hop.url}/readyz`)
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite' })
  })
})

describe('bad input', () => {
  it('refuses invalid JSON', async () => {
    await expectRefused(
      client.raw('POST', `/v1/chats/${chatId}/messages`, '{"messageId": "x", '),
      400,
      /not valid JSON/
    )
    await expectRefused(client.raw('POST', '/v1/chats', 'not json'), 400, /not valid JSON/)
  })

  it('refuses a prototype-polluting key', async () => {
    await expectRefused(
      client.raw('POST', `/v1/chats/${chatId}/messages`, '{"messageId":"x","text":"y","__proto__":{"admin":true}}'),
      400,
      /__proto__/
    )
  })

  it('refuses a prototype-polluting key spelled with \\u escapes', async () => {
    await expectRefused(
      client.raw('POST', `/v1/chats/${chatId}/messages`, '{"messageId":"x","text":"y","\\u005f_proto__":{"a":1}}'),
      400,
      /__proto__/
    )
  })

  it('refuses an oversized body with 413', async () => {
    const text = 'x'.repeat(BODY_LIMIT + 1)
    await expectRefused(client.post(`/v1/chats/${chatId}/messages`, { messageId: 'big', text }), 413, /too large/i)
  })

  it('refuses a body that breaks the schema, naming the field', async () => {
    await expectRefused(client.post(`/v1/chats/${chatId}/messages`, { messageId: 'x' }), 400, /text/)
    await expectRefused(client.post(`/v1/chats/${chatId}/messages`, { messageId: 'x', text: '' }), 400, /text/)
    await expectRefused(client.post(`/v1/chats/${chatId}/typing`, { typing: 'yes' }), 400, /typing/)
    await expectRefused(client.post(`/v1/chats/${chatId}/end`, { reason: 'bored' }), 400, /reason/)
    const body = chatBody(mock.url, receiver.url)
    await expectRefused(client.createChat({ ...body, extra: 1 }), 400, /additional properties/)
    await expectRefused(
      client.createChat({ ...body, liveAgent: { ...body.liveAgent, organizationId: '12345' } }),
      400,
      /organizationId/
    )
    await expectRefused(client.createChat({ ...body, visitor: {} }), 400, /name/)
    await expectRefused(client.createChat({ ...body, transcriptDelivery: { mode: 'fax' } }), 400, /mode/)
  })

  it('answers 404 for an unknown chat and 400 for a malformed chat id', async () => {
    await expectRefused(client.status('chat_000000000000000000000000'), 404, /chat_000000000000000000000000 not found/)
    await expectRefused(client.sendMessage('chat_000000000000000000000000', 'm', 'x'), 404, /not found/)
    await expectRefused(client.end('chat_000000000000000000000000'), 404, /not found/)
    await expectRefused(client.status('nope'), 400, /chatId/)
  })

  it('answers 404 with the route for an unknown path', async () => {
    await expectRefused(client.get('/v1/nothing-here'), 404, /no route GET \/v1\/nothing-here/)
  })
})

describe('allowlists (no server-side request forgery)', () => {
  it.each([
    [
      'a Live Agent endpoint off the allowlist',
      { endpoint: 'https://evil.example.com/chat' },
      /liveAgent.endpoint host evil.example.com is not on the allowlist/,
    ],
    ['an internal IP as endpoint', { endpoint: 'https://169.254.169.254/chat' }, /IP address/],
    ['a plain-http endpoint', { endpoint: 'http://d.la1.salesforceliveagent.com/chat' }, /https/],
  ])('refuses %s', async (_, liveAgent, message) => {
    const body = chatBody(mock.url, receiver.url)
    await expectRefused(client.createChat({ ...body, liveAgent: { ...body.liveAgent, ...liveAgent } }), 400, message)
  })

  it.each([
    ['a webhook host off the allowlist', 'https://attacker.example.net/hook', /webhookUrl host attacker.example.net/],
    ['a webhook with credentials', 'https://user:pw@webhook.botpress.cloud/x', /credentials/],
  ])('refuses %s', async (_, webhookUrl, message) => {
    await expectRefused(client.createChat(chatBody(mock.url, webhookUrl)), 400, message)
  })

  it.each([
    [
      'an allowlisted Live Agent host on another port',
      { liveAgent: { endpoint: 'https://d.la1.salesforceliveagent.com:8443/chat' } },
      /liveAgent.endpoint port 8443 of d.la1.salesforceliveagent.com is not allowed/,
    ],
    [
      'an allowlisted webhook host on another port',
      { webhookUrl: 'https://webhook.botpress.cloud:8443/wh_1' },
      /webhookUrl port 8443 of webhook.botpress.cloud is not allowed/,
    ],
  ])('refuses %s (only the default port unless the allowlist names another)', async (_, change, message) => {
    const body = chatBody(mock.url, receiver.url)
    const liveAgent = 'liveAgent' in change ? { ...body.liveAgent, ...change.liveAgent } : body.liveAgent
    await expectRefused(client.createChat({ ...body, ...change, liveAgent }), 400, message)
  })

  it('calls only the listed loopback host:port pairs, never another spelling, port or the hop server itself', async () => {
    const mockPort = new URL(mock.url).port
    const listed = await startHopServer(
      hopConfig(tempDirFor('listed'), {
        security: { loopbackTargets: [`127.0.0.1:${mockPort}`, `127.0.0.1:${new URL(receiver.url).port}`] },
      })
    )
    try {
      const listedClient = new HopTestClient(listed.url, TENANT, SECRET)
      const body = chatBody(mock.url, receiver.url)
      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ liveAgent: { ...body.liveAgent, endpoint: `http://localhost:${mockPort}/chat` } }, /not listed/],
        [{ liveAgent: { ...body.liveAgent, endpoint: `http://127.0.0.2:${mockPort}/chat` } }, /not listed/],
        [{ liveAgent: { ...body.liveAgent, endpoint: `http://127.0.0.1:${Number(mockPort) + 1}/chat` } }, /not listed/],
        [{ webhookUrl: `${listed.url}/v1/chats` }, /not listed|hop server itself/],
      ]
      for (const [change, message] of refusals) {
        const response = await listedClient.createChat({ ...body, ...change })
        expect(response.status).toBe(400)
        expect(response.body.message).toMatch(message)
      }
      expect(await listed.store.activeChatCount()).toBe(0)
      expect((await listedClient.createChat(body)).status).toBe(201)
    } finally {
      await listed.close()
    }
  })

  it('never calls its own port, even when a listed range covers it', async () => {
    const ranged = await startHopServer(hopConfig(tempDirFor('ranged')))
    try {
      const own = new HopTestClient(ranged.url, TENANT, SECRET)
      const response = await own.createChat(chatBody(mock.url, `${ranged.url}/v1/chats`))
      // Port 0 in the configuration, and the test harness lists the whole ephemeral range, which covers it.
      expect(response.status).toBe(400)
      expect(response.body.message).toMatch(/hop server itself/)
    } finally {
      await ranged.close()
    }
  })

  it('refuses loopback targets unless loopback is allowed', async () => {
    const strict = await startHopServer(hopConfig(tempDirFor('strict'), { security: { loopbackTargets: [] } }))
    try {
      const strictClient = new HopTestClient(strict.url, TENANT, SECRET)
      const response = await strictClient.createChat(chatBody(mock.url, receiver.url))
      expect(response.status).toBe(400)
      expect(response.body.message).toMatch(/loopback/)
      expect(await strict.store.activeChatCount()).toBe(0)
    } finally {
      await strict.close()
    }
  })
})

describe('allowlist changes', () => {
  it('ends a stored chat whose Live Agent endpoint is no longer allowed, without calling it', async () => {
    const dataDir = tempDirFor('reconfigured')
    const first = await startHopServer(hopConfig(dataDir))
    const created = await new HopTestClient(first.url, TENANT, SECRET).createChat(
      chatBody(mock.url, receiver.url, { visitor: { name: 'reconfigured' } })
    )
    const id = created.body.chatId as string
    await receiver.waitForType(id, 'chat.queued')
    await first.close()
    const la = mock.admin.chats().find((chat) => chat.visitorName === 'reconfigured')!
    const polls = la.acks.length

    const second = await startHopServer(hopConfig(dataDir, { security: { loopbackTargets: [] } }))
    try {
      const ended = await eventually(async () => {
        const chat = await second.store.getChat(id)
        return chat?.state === 'ended' ? chat : undefined
      })
      expect(ended).toMatchObject({ endReason: 'error', endDetail: expect.stringMatching(/loopback/) })
      expect(mock.admin.chat(la.id)!.acks).toHaveLength(polls)
    } finally {
      await second.close()
    }
  })
})

function tempDirFor(name: string): string {
  return `${dir.path}/${name}`
}

describe('the backend a chat names', () => {
  it('defaults to live-agent and accepts it named', async () => {
    const active = await hop.store.activeChatCount()
    const unnamed = await client.createChat(chatBody(mock.url, receiver.url))
    const named = await client.createChat({ ...chatBody(mock.url, receiver.url), backend: 'live-agent' })
    expect([unnamed.status, named.status]).toEqual([201, 201])
    for (const created of [unnamed, named]) {
      const id = created.body.chatId as string
      expect((await hop.store.getChat(id))?.request.backend).toBe('live-agent')
      await receiver.waitForType(id, 'chat.queued')
      await client.end(id)
    }
    // Both retire once their end is delivered, so the refusals below compare a settled store.
    await eventually(async () => (await hop.store.activeChatCount()) === active)
  })

  it('refuses a backend it does not know, naming the ones it knows', async () => {
    const body = { ...chatBody(mock.url, receiver.url), backend: 'carrier-pigeon' }
    await expectRefused(
      client.createChat(body),
      400,
      /^backend must be one of live-agent, enhanced-chat \(got "carrier-pigeon"\)$/
    )
    await expectRefused(client.createChat({ ...body, backend: '' }), 400, /backend/)
  })

  it("refuses a chat whose target is not its backend's, naming the field", async () => {
    const body = { ...chatBody(mock.url, receiver.url), backend: 'enhanced-chat' }
    await expectRefused(
      client.createChat(body),
      400,
      /^liveAgent does not belong in a chat on the enhanced-chat backend$/
    )
    const { liveAgent: _liveAgent, ...withoutTarget } = body
    await expectRefused(client.createChat(withoutTarget), 400, /^enhancedChat: /)
    await expectRefused(
      client.createChat({ ...withoutTarget, backend: 'live-agent' }),
      400,
      /^liveAgent is required for a live-agent chat$/
    )
  })
})

describe('idempotency', () => {
  it('returns the open chat of a conversation (200, created false)', async () => {
    const body = chatBody(mock.url, receiver.url)
    const first = await client.createChat(body)
    const again = await client.createChat(body)
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ chatId: first.body.chatId, created: false })
    await client.end(first.body.chatId as string)
  })
})

describe('operations', () => {
  it('serves Prometheus metrics with the issue’s series', async () => {
    const text = await (await fetch(`${hop.url}/metrics`)).text()
    for (const name of [
      'hop_open_chats',
      'hop_polls_in_flight',
      'hop_poll_duration_seconds',
      'hop_webhook_duration_seconds',
      'hop_webhook_failures_total',
      'hop_messages_relayed_total{direction="to_agent"}',
      'hop_messages_relayed_total{direction="to_bot"}',
      'hop_liveagent_responses_total{status="409"}',
      'hop_liveagent_responses_total{status="503"}',
      'hop_liveagent_responses_total{status="403"}',
      'hop_auth_failures_total',
    ]) {
      expect(text).toContain(name)
    }
  })

  it('serves the OpenAPI document at /docs/json', async () => {
    const doc = (await (await fetch(`${hop.url}/docs/json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/chats',
        '/v1/chats/{chatId}',
        '/v1/chats/{chatId}/messages',
        '/v1/chats/{chatId}/typing',
        '/v1/chats/{chatId}/end',
        '/v1/availability',
        '/healthz',
        '/readyz',
        '/metrics',
      ])
    )
  })

  it('never logs a secret', async () => {
    const lines: string[] = []
    const sink = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream
    const verbose = await startHopServer(hopConfig(tempDirFor('verbose'), { logLevel: 'trace' }), {
      logDestination: sink,
    })
    try {
      const verboseClient = new HopTestClient(verbose.url, TENANT, SECRET)
      await verboseClient.createChat(chatBody(mock.url, receiver.url))
      await verboseClient.raw('POST', '/v1/chats', '{}', { 'x-hop-signature': 'v1=bad' })
    } finally {
      await verbose.close()
    }
    const log = lines.join('')
    expect(log).toContain('liveagent-hop listening')
    expect(log).not.toContain(SECRET)
    expect(log).not.toContain(OTHER_SECRET)
  })
})
