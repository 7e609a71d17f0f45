// The webhook sender's one POST: what it signs (method, the absolute URL with its query, timestamp, body), that it
// never retries or follows a redirect by itself (the dispatcher owns the retry decision), that a URL outside the
// policy is never called, and that shutdown aborts a delivery in flight. A bare loopback receiver records the raw
// request; the signature is checked with the bridge contract's own verifier.
import http from 'node:http'
import { afterEach, describe, expect, it } from '@jest/globals'
import { HEADER_TIMESTAMP, verifyRequest } from '@liveagent-hop/bridge-contract'
import { WebhookSender } from '../../src/webhooks/sender.js'
import { listenOnLoopback } from '../support/loopback-server.js'

const TENANT = 'acme'
const SECRET = 'webhook-secret-0123456789'
const SECRETS = new Map([[TENANT, SECRET]])
const TIMEOUT_MS = 5000

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function receiver(
  answer: (res: http.ServerResponse) => void = (res) => res.end()
): Promise<{ origin: string; port: number; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      answer(res)
    })
  })
  const { port, close } = await listenOnLoopback(server)
  cleanups.push(close)
  return { origin: `http://127.0.0.1:${port}`, port, seen }
}

function senderFor(port: number, signal = new AbortController().signal): WebhookSender {
  const sender = new WebhookSender({
    policy: { allowlist: [], loopbackTargets: [`127.0.0.1:${port}`] },
    timeoutMs: TIMEOUT_MS,
    signal,
  })
  cleanups.push(() => sender.close())
  return sender
}

describe('WebhookSender', () => {
  it('signs method, absolute URL with its query, timestamp and body; any of them changed fails verification', async () => {
    const { origin, port, seen } = await receiver()
    const url = `${origin}/webhooks/bot-1?tenant=acme`
    const body = JSON.stringify({ chatId: 'chat-1', seq: 1, type: 'message', data: { text: 'hello' } })
    await expect(senderFor(port).post(url, TENANT, SECRET, body)).resolves.toEqual({ ok: true })
    const [request] = seen
    expect(request).toMatchObject({ method: 'POST', url: '/webhooks/bot-1?tenant=acme', body })
    expect(request?.headers['content-type']).toBe('application/json')
    const check = (change: Partial<{ method: string; target: string; rawBody: string; timestamp: string }>) =>
      verifyRequest({
        headers: change.timestamp ? { ...request!.headers, [HEADER_TIMESTAMP]: change.timestamp } : request!.headers,
        secrets: SECRETS,
        method: change.method ?? request!.method,
        target: change.target ?? `${origin}${request!.url}`,
        rawBody: change.rawBody ?? request!.body,
      })
    expect(check({})).toMatchObject({ ok: true, tenant: TENANT })
    expect(check({ method: 'PUT' })).toMatchObject({ ok: false })
    expect(check({ target: `${origin}/webhooks/bot-2?tenant=acme` })).toMatchObject({ ok: false })
    expect(check({ target: `${origin}/webhooks/bot-1?tenant=other` })).toMatchObject({ ok: false })
    expect(check({ rawBody: body.replace('hello', 'hellO') })).toMatchObject({ ok: false })
    const timestamp = Number(request!.headers[HEADER_TIMESTAMP])
    expect(check({ timestamp: String(timestamp + 1) })).toMatchObject({ ok: false })
  })

  it('signs each delivery at its own time: the same body sent twice carries two timestamps', async () => {
    const { origin, port, seen } = await receiver()
    const sender = senderFor(port)
    await sender.post(`${origin}/hook`, TENANT, SECRET, '{"seq":1}')
    await new Promise((resolve) => setTimeout(resolve, 5))
    await sender.post(`${origin}/hook`, TENANT, SECRET, '{"seq":1}')
    const [first, second] = seen.map((s) => s.headers[HEADER_TIMESTAMP])
    expect(Number(second)).toBeGreaterThan(Number(first))
  })

  it('reports a 5xx and a redirect as they are, sent once: no retry, no redirect followed', async () => {
    let status = 500
    const { origin, port, seen } = await receiver((res) => {
      res.statusCode = status
      if (status === 307) res.setHeader('location', `${origin}/elsewhere`)
      res.end()
    })
    const sender = senderFor(port)
    await expect(sender.post(`${origin}/hook`, TENANT, SECRET, '{}')).resolves.toMatchObject({
      ok: false,
      reason: 'http',
      status: 500,
    })
    status = 307
    await expect(sender.post(`${origin}/hook`, TENANT, SECRET, '{}')).resolves.toMatchObject({ status: 307 })
    expect(seen.map((s) => s.url)).toEqual(['/hook', '/hook'])
  })

  it('never calls a URL outside the policy', async () => {
    const { port, seen } = await receiver()
    const sender = senderFor(port)
    const result = await sender.post('http://127.0.0.2:9/hook', TENANT, SECRET, '{}')
    expect(result).toMatchObject({ ok: false, reason: 'disallowed' })
    expect(sender.urlProblem('http://127.0.0.2:9/hook')).toMatch(/loopback/)
    expect(seen).toHaveLength(0)
  })

  it('aborts a delivery in flight when its signal fires (shutdown), as a network failure', async () => {
    const { origin, port } = await receiver(() => undefined)
    const shutdown = new AbortController()
    const delivery = senderFor(port, shutdown.signal).post(`${origin}/hook`, TENANT, SECRET, '{}')
    await new Promise((resolve) => setTimeout(resolve, 50))
    shutdown.abort()
    await expect(delivery).resolves.toMatchObject({ ok: false, reason: 'network' })
  })
})
