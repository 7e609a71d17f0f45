// Replays against the real hop server over HTTP: a request signed and accepted once is captured (headers and body)
// and sent again altered the way an attacker would (query added, id percent-encoded, another chat, another path,
// another method, after the chat ended). A v2 signature covers method, path and query as sent, timestamp and body,
// and each signature is accepted once, so every variant is refused with 401 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { startHopServer, type HopServer } from '../../src/index.js'
import { computeLegacySignature, signRequest } from '@liveagent-hop/bridge-contract'
import { HopTestClient, startWebhookReceiver, type WebhookReceiver } from '../../src/testing/index.js'
import { MOCK_HOLD_MS, SECRET, TENANT, chatBody, eventually, hopConfig, tempDir } from '../support/harness.js'

const dir = tempDir('hop-replay-')
let mock: MockServer
let receiver: WebhookReceiver
let hop: HopServer
let client: HopTestClient

type Headers = Record<string, string>
interface Captured {
  method: 'GET' | 'POST'
  path: string
  rawBody: string
  headers: Headers
  /** The body of the accepted answer. */
  answer: Record<string, unknown>
}

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS })
  receiver = await startWebhookReceiver({ secrets: { [TENANT]: SECRET } })
  hop = await startHopServer(hopConfig(dir.path))
  client = new HopTestClient(hop.url, TENANT, SECRET)
})

afterAll(async () => {
  await hop?.close()
  await receiver?.close()
  await mock?.close()
  dir.remove()
})

async function openChat(): Promise<string> {
  const created = await client.createChat(chatBody(mock.url, receiver.url))
  expect(created.status).toBe(201)
  const chatId = created.body.chatId as string
  await receiver.waitForType(chatId, 'chat.queued')
  return chatId
}

/** Sends a correctly signed request once (it must succeed) and returns what an eavesdropper would have seen. */
async function captureAccepted(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Captured> {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = signRequest(TENANT, SECRET, { method, target: path, rawBody }) as unknown as Headers
  const first = await client.raw(method, path, rawBody, headers)
  expect(first.status).toBeLessThan(300)
  return { method, path, rawBody, headers, answer: first.body }
}

/** What a refused replay must leave untouched: the chats concerned and their outboxes. */
async function snapshot(chatIds: string[]) {
  return {
    chats: await Promise.all(chatIds.map((id) => hop.store.getChat(id))),
    outboxes: await Promise.all(chatIds.map((id) => hop.store.readOutbox(id, 0, 1000))),
  }
}

async function expectReplayRefused(
  send: () => Promise<{ status: number; body: Record<string, unknown> }>,
  chatIds: string[],
  message = /signature does not match|replayed request/
) {
  const before = await snapshot(chatIds)
  const response = await send()
  expect(response.status).toBe(401)
  expect(response.body.message).toMatch(message)
  expect(await snapshot(chatIds)).toEqual(before)
}

const resend = (captured: Captured, path: string, method = captured.method) =>
  client.raw(method, path, captured.rawBody, captured.headers)

describe('replays of a captured request are refused (one test per known bypass)', () => {
  it('the exact same request again', async () => {
    const chatA = await openChat()
    const captured = await captureAccepted('GET', `/v1/chats/${chatA}`)
    await expectReplayRefused(() => resend(captured, captured.path), [chatA], /replayed request/)
  })

  it('GET /v1/chats/A with a query string added', async () => {
    const chatA = await openChat()
    const captured = await captureAccepted('GET', `/v1/chats/${chatA}`)
    await expectReplayRefused(() => resend(captured, `/v1/chats/${chatA}?r=1`), [chatA])
  })

  it('GET /v1/chats/A with the chat id percent-encoded', async () => {
    const chatA = await openChat()
    expect(chatA.startsWith('c')).toBe(true)
    const captured = await captureAccepted('GET', `/v1/chats/${chatA}`)
    await expectReplayRefused(() => resend(captured, `/v1/chats/%63${chatA.slice(1)}`), [chatA])
  })

  it('POST /v1/chats/A/typing with a query string added', async () => {
    const chatA = await openChat()
    const captured = await captureAccepted('POST', `/v1/chats/${chatA}/typing`, { typing: true })
    await expectReplayRefused(() => resend(captured, `/v1/chats/${chatA}/typing?r=1`), [chatA])
  })

  it('POST /v1/chats/A/messages resent to /v1/chats/B/messages (no message injected into B)', async () => {
    const [chatA, chatB] = [await openChat(), await openChat()]
    const captured = await captureAccepted('POST', `/v1/chats/${chatA}/messages`, { messageId: 'm1', text: 'hello' })
    await expectReplayRefused(() => resend(captured, `/v1/chats/${chatB}/messages`), [chatA, chatB])
    expect(await hop.store.readOutbox(chatB, 0, 1000)).toEqual([])
  })

  it('POST /v1/chats/A/end resent to /v1/chats/B/end (B stays open)', async () => {
    const [chatA, chatB] = [await openChat(), await openChat()]
    const captured = await captureAccepted('POST', `/v1/chats/${chatA}/end`, { reason: 'visitor' })
    await expectReplayRefused(() => resend(captured, `/v1/chats/${chatB}/end`), [chatB])
    expect((await hop.store.getChat(chatB))?.state).not.toBe('ended')
  })

  it('a signed GET reused on other GET paths', async () => {
    const [chatA, chatB] = [await openChat(), await openChat()]
    const captured = await captureAccepted('GET', `/v1/chats/${chatA}`)
    await expectReplayRefused(() => resend(captured, `/v1/chats/${chatB}`), [chatA, chatB])
    const availability = new URLSearchParams({
      endpoint: `${mock.url}/chat`,
      organizationId: '00D000000000001',
      deploymentId: '572000000000001',
      buttonId: '573000000000001',
      apiVersion: '63',
    })
    await expectReplayRefused(() => resend(captured, `/v1/availability?${availability.toString()}`), [chatA, chatB])
  })

  it('a create resent after its chat ended, with ?r=1 or as is (no new Live Agent chat)', async () => {
    const body = chatBody(mock.url, receiver.url)
    const captured = await captureAccepted('POST', '/v1/chats', body)
    const id = captured.answer.chatId as string
    expect((await client.end(id)).status).toBe(202)
    await eventually(async () => (await hop.store.getChat(id))?.state === 'ended')
    await expectReplayRefused(() => resend(captured, '/v1/chats?r=1'), [id])
    await expectReplayRefused(() => resend(captured, '/v1/chats'), [id], /replayed request/)
    // Neither replay opened a chat for the conversation: a fresh create still starts a new one.
    const fresh = await client.createChat(body)
    expect(fresh).toMatchObject({ status: 201, body: { created: true } })
    await client.end(fresh.body.chatId as string)
  })

  it('a signed request sent with another method (method tampering)', async () => {
    const chatA = await openChat()
    // Signed for HEAD, sent as GET: the method is part of what is signed.
    const rawBody = ''
    const headForGet = signRequest(TENANT, SECRET, { method: 'HEAD', target: `/v1/chats/${chatA}`, rawBody })
    await expectReplayRefused(
      () => client.raw('GET', `/v1/chats/${chatA}`, rawBody, headForGet as unknown as Headers),
      [chatA],
      /signature does not match/
    )
    // A captured GET sent as HEAD.
    const captured = await captureAccepted('GET', `/v1/chats/${chatA}`)
    const head = await fetch(`${hop.url}/v1/chats/${chatA}`, { method: 'HEAD', headers: captured.headers })
    expect(head.status).toBe(401)
    // Signed as PUT, sent as POST.
    const end = JSON.stringify({ reason: 'visitor' })
    const putHeaders = signRequest(TENANT, SECRET, { method: 'PUT', target: `/v1/chats/${chatA}/end`, rawBody: end })
    await expectReplayRefused(
      () => client.raw('POST', `/v1/chats/${chatA}/end`, end, putHeaders as unknown as Headers),
      [chatA],
      /signature does not match/
    )
  })
})

describe('what a signature covers', () => {
  it('accepts a percent-encoded id or a query when the client signed exactly that', async () => {
    const chatA = await openChat()
    const encoded = `/v1/chats/%63${chatA.slice(1)}`
    expect((await client.get(encoded)).body).toMatchObject({ chatId: chatA })
    expect((await client.get(`/v1/chats/${chatA}?r=1`)).status).toBe(200)
  })

  it('accepts two identical bodies sent to two chats at once (different paths sign differently)', async () => {
    const [chatA, chatB] = [await openChat(), await openChat()]
    const now = Date.now()
    const rawBody = JSON.stringify({ typing: true })
    for (const chatId of [chatA, chatB]) {
      const target = `/v1/chats/${chatId}/typing`
      const headers = signRequest(TENANT, SECRET, { method: 'POST', target, rawBody }, now) as unknown as Headers
      expect((await client.raw('POST', target, rawBody, headers)).status).toBe(202)
    }
  })
})

describe('deprecated v1 signatures', () => {
  const v1Headers = (rawBody: string, now = Date.now()): Headers => ({
    'x-hop-tenant': TENANT,
    'x-hop-timestamp': String(now),
    'x-hop-signature': computeLegacySignature(SECRET, String(now), rawBody),
  })

  it('are refused by default, saying to sign with v2', async () => {
    const chatA = await openChat()
    await expectReplayRefused(
      () => client.raw('GET', `/v1/chats/${chatA}`, '', v1Headers('')),
      [chatA],
      /v1 signatures are not accepted; sign with v2/
    )
  })

  it('are accepted once, on one path only, when HOP_ACCEPT_V1_SIGNATURES is set, and logged as deprecated', async () => {
    const lines: string[] = []
    const sink = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream
    const legacy = await startHopServer(
      hopConfig(`${dir.path}/legacy`, { logLevel: 'warn', security: { acceptV1Signatures: true } }),
      { logDestination: sink }
    )
    try {
      const legacyClient = new HopTestClient(legacy.url, TENANT, SECRET)
      const created = await legacyClient.createChat(chatBody(mock.url, receiver.url))
      const other = await legacyClient.createChat(chatBody(mock.url, receiver.url))
      const [chatA, chatB] = [created.body.chatId as string, other.body.chatId as string]
      const rawBody = JSON.stringify({ messageId: 'v1-m1', text: 'hello' })
      const headers = v1Headers(rawBody)
      expect((await legacyClient.raw('POST', `/v1/chats/${chatA}/messages`, rawBody, headers)).status).toBe(202)
      const moved = await legacyClient.raw('POST', `/v1/chats/${chatB}/messages`, rawBody, headers)
      expect(moved).toMatchObject({ status: 401, body: { message: 'replayed request' } })
      expect(await legacy.store.readOutbox(chatB, 0, 1000)).toEqual([])
      const log = lines.join('')
      expect(log).toContain('deprecated v1 signature accepted')
      expect(log).toContain(`"tenant":"${TENANT}"`)
    } finally {
      await legacy.close()
    }
  })
})
