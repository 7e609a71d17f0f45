// Writes that reach Salesforce but whose answer is lost, and the stream's clean shutdown. A loopback proxy in
// front of the simulator forwards a request, lets the simulator apply it, then breaks the client's connection
// instead of answering: the client must retry without doing the write twice.
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { EnhancedChatClient, EnhancedChatEventStream } from '../../src/backends/enhanced-chat/index.js'

let mock: MockServer
let proxy: http.Server
let proxyUrl: string
/** Requests (method + path prefix) whose next answer the proxy swallows, with how many to swallow. */
const swallow = new Map<string, number>()
const swallowed: string[] = []
/** Every request through the proxy, as `METHOD /last-path-segment`. */
const seen: string[] = []
/**
 * The entries API answers with entryPayload as a JSON string (as Botpress and other clients read it) instead of the
 * simulator's object (as Salesforce's sample reads it): sources disagree, the client must take both.
 */
let stringPayloads = false

function withStringPayloads(body: string): string {
  const parsed = JSON.parse(body) as { conversationEntries: { entryPayload: unknown }[] }
  for (const entry of parsed.conversationEntries) entry.entryPayload = JSON.stringify(entry.entryPayload)
  return JSON.stringify(parsed)
}

function swallowKey(method: string | undefined, url: string | undefined): string | undefined {
  const path = new URL(url ?? '/', 'http://x').pathname
  for (const key of swallow.keys()) {
    const [m, suffix] = key.split(' ')
    if (m === method && path.endsWith(suffix!)) return key
  }
  return undefined
}

beforeAll(async () => {
  mock = await startMockServer({ scenario: 'manual', logLevel: 'silent' })
  const target = new URL(mock.url)
  proxy = http.createServer((req, res) => {
    seen.push(`${req.method} /${new URL(req.url ?? '/', 'http://x').pathname.split('/').at(-1)}`)
    const key = swallowKey(req.method, req.url)
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const left = key === undefined ? 0 : (swallow.get(key) ?? 0)
        if (key !== undefined && left > 0) {
          swallow.set(key, left - 1)
          swallowed.push(`${key} → ${answer.statusCode}`)
          answer.resume()
          answer.once('end', () => req.socket.destroy())
          return
        }
        if (stringPayloads && req.method === 'GET' && req.url?.includes('/entries') && answer.statusCode === 200) {
          let body = ''
          answer.setEncoding('utf8')
          answer.on('data', (chunk: string) => (body += chunk))
          answer.on('end', () => {
            const rewritten = withStringPayloads(body)
            const { 'content-length': _length, ...headers } = answer.headers
            res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(rewritten) })
            res.end(rewritten)
          })
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

beforeEach(() => {
  stringPayloads = false
  swallow.clear()
  swallowed.length = 0
  seen.length = 0
})

afterAll(async () => {
  proxy.closeAllConnections()
  await new Promise((resolve) => proxy.close(resolve))
  await mock.close()
})

function proxiedClient(): EnhancedChatClient {
  return new EnhancedChatClient({
    baseUrl: proxyUrl,
    orgId: mock.options.orgId,
    esDeveloperName: mock.options.esDeveloperName,
    retry: { initialDelayMs: 10, maxDelayMs: 50 },
  })
}

describe('writes whose answer is lost', () => {
  it('creates the conversation once: the retry’s 409 for our own id counts as created', async () => {
    const client = proxiedClient()
    try {
      const token = await client.accessToken()
      const conversationId = randomUUID()
      swallow.set('POST /conversation', 1)
      await client.createConversation(token.accessToken, { conversationId })
      expect(swallowed).toEqual(['POST /conversation → 201'])
      expect(mock.enhanced.conversations().filter((c) => c.id === conversationId)).toHaveLength(1)
    } finally {
      client.close()
    }
  })

  it('delivers a message once: the retry finds it among the entries by its id instead of sending it again', async () => {
    const client = proxiedClient()
    try {
      const token = await client.accessToken()
      const conversationId = randomUUID()
      await client.createConversation(token.accessToken, { conversationId })
      swallow.set('POST /message', 1)
      const sent = await client.sendMessage(token.accessToken, conversationId, {
        messageId: randomUUID(),
        text: 'only once please',
      })
      expect(swallowed).toEqual(['POST /message → 202'])
      // The retry looked the id up and did not post the message again (the simulator, like Salesforce, would take a
      // second post of the id as a second message).
      expect(seen.slice(-2)).toEqual(['POST /message', 'GET /entries'])
      const view = mock.enhanced.conversation(conversationId)!
      expect(view.transcript.filter((line) => line.text === 'only once please')).toHaveLength(1)
      const entries = await client.listEntries(token.accessToken, conversationId, { entryTypeFilter: ['Message'] })
      expect(entries.map((e) => e.identifier)).toEqual([sent.entryId])
    } finally {
      client.close()
    }
  })

  it.each([
    ['objects', false],
    ['JSON strings', true],
  ])(
    'finds a message that may have arrived with more than a page (50) of entries before and after it, payloads as %s',
    async (_label, asStrings) => {
      const client = proxiedClient()
      try {
        const token = await client.accessToken()
        const conversationId = randomUUID()
        await client.createConversation(token.accessToken, { conversationId })
        mock.enhanced.accept(conversationId)
        const firstTriedAt = Date.now()
        for (let i = 1; i <= 60; i++) mock.enhanced.agentMessage(conversationId, `agent ${i}`)
        const messageId = randomUUID()
        const sent = await client.sendMessage(token.accessToken, conversationId, { messageId, text: 'mine' })
        for (let i = 61; i <= 120; i++) mock.enhanced.agentMessage(conversationId, `agent ${i}`)
        stringPayloads = asStrings
        seen.length = 0
        // Another process's try of this message may have arrived (a crash before its answer was stored).
        const again = await client.sendMessage(token.accessToken, conversationId, {
          messageId,
          text: 'mine',
          mayHaveArrived: true,
          firstTriedAt,
        })
        expect(again.entryId).toBe(sent.entryId)
        expect(seen.filter((line) => line === 'GET /entries').length).toBeGreaterThanOrEqual(2)
        expect(seen).not.toContain('POST /message')
        const lines = mock.enhanced.conversation(conversationId)!.transcript.filter((line) => line.from === 'visitor')
        expect(lines.map((line) => line.text)).toEqual(['mine'])

        // A message that never arrived is looked for, not found, and sent once.
        const lost = randomUUID()
        await client.sendMessage(token.accessToken, conversationId, {
          messageId: lost,
          text: 'never arrived',
          mayHaveArrived: true,
        })
        expect(seen.at(-1)).toBe('POST /message')
        const after = mock.enhanced.conversation(conversationId)!.transcript.filter((line) => line.from === 'visitor')
        expect(after.map((line) => line.text)).toEqual(['mine', 'never arrived'])
      } finally {
        client.close()
      }
    }
  )

  it('closes the conversation once: a retry that finds it closed by the lost try succeeds', async () => {
    const client = proxiedClient()
    try {
      const token = await client.accessToken()
      const conversationId = randomUUID()
      await client.createConversation(token.accessToken, { conversationId })
      swallow.set(`DELETE /${conversationId}`, 1)
      await client.end(token.accessToken, conversationId)
      expect(swallowed).toEqual([`DELETE /${conversationId} → 204`])
      expect(mock.enhanced.conversation(conversationId)?.closed).toBe(true)
    } finally {
      client.close()
    }
  })

  it('aborts a call at once when the caller’s signal fires', async () => {
    const client = proxiedClient()
    try {
      const controller = new AbortController()
      controller.abort()
      await expect(client.accessToken({ signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' })
    } finally {
      client.close()
    }
  })
})

describe('the event stream’s shutdown and silence', () => {
  /** Every reader a test starts is closed after it, even when an assertion failed half-way. */
  const opened: EnhancedChatEventStream[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((stream) => stream.close()))
  })

  /**
   * Records the timers the reader's own files start (by the caller's stack) and whether each fired or was cleared:
   * other timers of this process (the simulator's, got's) are not the reader's to clear.
   */
  function trackReaderTimers() {
    const pending = new Set<unknown>()
    const realSet = globalThis.setTimeout
    const realClear = globalThis.clearTimeout
    globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const ours = new Error().stack?.includes('backends/enhanced-chat') ?? false
      const handle: unknown = realSet(
        (...a: unknown[]) => {
          pending.delete(handle)
          fn(...a)
        },
        ms,
        ...args
      )
      if (ours) pending.add(handle)
      return handle
    }) as typeof setTimeout
    globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(handle)
      realClear(handle)
    }) as typeof clearTimeout
    return {
      pending: () => pending.size,
      restore: () => {
        globalThis.setTimeout = realSet
        globalThis.clearTimeout = realClear
      },
    }
  }

  async function guest() {
    const client = proxiedClient()
    const token = await client.accessToken()
    const conversationId = randomUUID()
    await client.createConversation(token.accessToken, { conversationId })
    client.close()
    return token
  }

  it('reconnects a stream that goes silent, resuming after the last event', async () => {
    const token = await guest()
    const ids: string[] = []
    const stream = new EnhancedChatEventStream({
      baseUrl: mock.url,
      orgId: mock.options.orgId,
      accessToken: token.accessToken,
      lastEventId: token.lastEventId,
      // The simulator pings every 15 s: 150 ms without a byte counts as a dead stream here.
      timeouts: { streamIdleMs: 150 },
      retry: { initialDelayMs: 10, maxDelayMs: 20 },
      onEvent: (event) => {
        ids.push(event.id)
      },
    })
    opened.push(stream)
    const done = stream.run()
    for (let i = 0; i < 100 && stream.connectionCount < 3; i++) await new Promise((r) => setTimeout(r, 20))
    expect(stream.connectionCount).toBeGreaterThanOrEqual(3)
    // Each reconnect resumed after the last event: the routing events came once.
    expect(ids.length).toBeGreaterThan(0)
    expect(new Set(ids).size).toBe(ids.length)
    await stream.close()
    await expect(done).resolves.toBeUndefined()
    for (let i = 0; i < 100 && mock.enhanced.openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(mock.enhanced.openStreams()).toBe(0)
  })

  it('leaves no socket or timer behind once closed', async () => {
    const token = await guest()
    const timers = trackReaderTimers()
    const stream = new EnhancedChatEventStream({
      baseUrl: mock.url,
      orgId: mock.options.orgId,
      accessToken: token.accessToken,
      lastEventId: token.lastEventId,
      onEvent: () => undefined,
    })
    opened.push(stream)
    try {
      const done = stream.run()
      // connectionCount moves when the client has the answer's headers, the moment it arms its idle timer (the
      // simulator counts the stream earlier, as soon as it wrote them).
      for (let i = 0; i < 200 && stream.connectionCount === 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(stream.connectionCount).toBe(1)
      expect(mock.enhanced.openStreams()).toBe(1)
      expect(timers.pending()).toBe(1) // the 90 s idle timer, armed while the stream is open
      await stream.close()
      await expect(done).resolves.toBeUndefined()
      expect(timers.pending()).toBe(0)
      // The simulator sees the socket go a moment later.
      for (let i = 0; i < 100 && mock.enhanced.openStreams() > 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(mock.enhanced.openStreams()).toBe(0)
    } finally {
      await stream.close()
      timers.restore()
    }
  })

  it('stops at once when closed while waiting to reconnect, leaving no timer', async () => {
    const timers = trackReaderTimers()
    try {
      let failures = 0
      const stream = new EnhancedChatEventStream({
        baseUrl: 'http://127.0.0.1:9', // the discard port: nothing listens, the connect is refused
        orgId: mock.options.orgId,
        accessToken: 'x.y.z',
        lastEventId: '0',
        retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
        onEvent: () => undefined,
        onReconnect: () => {
          failures++
        },
      })
      opened.push(stream)
      const done = stream.run()
      for (let i = 0; i < 200 && failures === 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(failures).toBe(1)
      expect(timers.pending()).toBe(1) // the 60 s wait before the next try
      await stream.close()
      await expect(done).resolves.toBeUndefined()
      expect(timers.pending()).toBe(0)
      expect(stream.connectionCount).toBe(0)
    } finally {
      timers.restore()
    }
  })

  it('stops at once when closed while the server has not answered the connect yet', async () => {
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => {
      sockets.add(socket) // accepts, reads, never answers
      socket.resume()
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const timers = trackReaderTimers()
    try {
      const stream = new EnhancedChatEventStream({
        baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        orgId: mock.options.orgId,
        accessToken: 'x.y.z',
        lastEventId: '0',
        onEvent: () => undefined,
      })
      opened.push(stream)
      const done = stream.run()
      for (let i = 0; i < 200 && sockets.size === 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(sockets.size).toBe(1)
      await stream.close()
      await expect(done).resolves.toBeUndefined()
      expect(timers.pending()).toBe(0)
      for (let i = 0; i < 100 && [...sockets].some((s) => !s.destroyed); i++)
        await new Promise((r) => setTimeout(r, 10))
      expect([...sockets].every((s) => s.destroyed)).toBe(true) // the client's socket went, so the server's did
    } finally {
      timers.restore()
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('stops with a classified error when the stream refuses its request (another org’s id)', async () => {
    const token = await guest()
    const stream = new EnhancedChatEventStream({
      baseUrl: mock.url,
      orgId: '00D000000000001',
      accessToken: token.accessToken,
      lastEventId: token.lastEventId,
      onEvent: () => undefined,
    })
    opened.push(stream)
    await expect(stream.run()).rejects.toMatchObject({
      kind: 'bad-request',
      status: 400,
      serverMessage: 'OrgId in the header and token must match',
    })
    expect(() => new EnhancedChatEventStream({ ...streamBase(token), orgId: '00D12' })).toThrow(
      expect.objectContaining({ field: 'orgId' })
    )
  })

  it('stops with the error of a failing onEvent, without moving the cursor past that event', async () => {
    const token = await guest()
    const stream = new EnhancedChatEventStream({
      ...streamBase(token),
      onEvent: () => {
        throw new Error('store unavailable')
      },
    })
    opened.push(stream)
    await expect(stream.run()).rejects.toThrow('store unavailable')
    expect(stream.lastEventId).toBe(token.lastEventId)
  })

  function streamBase(token: { accessToken: string; lastEventId: string }) {
    return {
      baseUrl: mock.url,
      orgId: mock.options.orgId,
      accessToken: token.accessToken,
      lastEventId: token.lastEventId,
      onEvent: () => undefined,
    }
  }
})
