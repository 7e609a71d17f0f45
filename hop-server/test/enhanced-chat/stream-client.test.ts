// The event stream's client (event-stream.ts over sse-connection.ts) against a scripted SSE server on loopback: the
// bytes each connection gets are written here, so splits, drops, replays and refusals happen exactly where a test
// wants them. The server writes what Salesforce's event router writes (docs/enhanced-chat-protocol.md, "Event
// stream"): `id:`/`event:`/`data:` lines, a blank line after each event, `ping` events while idle, the 401 as a
// Spring-style JSON body or as bare text, and Retry-After on a 429.
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from '@jest/globals'
import { EnhancedChatError, EnhancedChatEventStream, type StreamEvent } from '../../src/backends/enhanced-chat/index.js'
import { checksumOf } from '../../src/backends/enhanced-chat/org-id.js'

const ORG_ID_15 = '00D5e000000AbCd'
const CONVERSATION_ID = '9b2f6a54-6f0e-4b8e-9c1a-2d3e4f5a6b7c'
const FAST_RECONNECT = { initialDelayMs: 10, maxDelayMs: 50, maxRetries: 5 }
const SSE_HEADERS = { 'content-type': 'text/event-stream;charset=UTF-8', 'cache-control': 'no-cache' }

/** One conversation event as the router frames it: the envelope's `data` is one JSON line. */
function frame(id: number, text: string, lineEnd = '\n'): string {
  const data = JSON.stringify({
    conversationId: CONVERSATION_ID,
    conversationEntry: {
      identifier: `entry-${id}`,
      entryType: 'Message',
      sender: { role: 'Agent', subject: 'agent-1' },
      senderDisplayName: 'Agent',
      entryPayload: JSON.stringify({ entryType: 'Message', abstractMessage: { staticContent: { text } } }),
      transcriptedTimestamp: 1_700_000_000_000 + id,
    },
  })
  return [`id: ${id}`, 'event: CONVERSATION_MESSAGE', `data: ${data}`, '', ''].join(lineEnd)
}

const PING = 'event: ping\ndata: {}\n\n'

type Script = (req: IncomingMessage, res: ServerResponse, connection: number) => void | Promise<void>

interface ScriptedServer {
  url: string
  requests: IncomingMessage[]
  openSockets(): number
  close(): Promise<void>
}

const servers: ScriptedServer[] = []
const streams: EnhancedChatEventStream[] = []

afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** A loopback server whose n-th connection (from 1) runs `script`. */
async function scriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: IncomingMessage[] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    requests.push(req)
    void script(req, res, requests.length)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const scripted: ScriptedServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
  servers.push(scripted)
  return scripted
}

function reader(url: string, onEvent: (event: StreamEvent) => void | Promise<void>, extra = {}) {
  const stream = new EnhancedChatEventStream({
    baseUrl: url,
    orgId: ORG_ID_15,
    accessToken: 'header.payload.signature',
    lastEventId: '0',
    retry: FAST_RECONNECT,
    onEvent,
    ...extra,
  })
  streams.push(stream)
  return stream
}

/** The message text (the reader hands `entryPayload` on parsed). */
const textOf = (event: StreamEvent) =>
  (event.entry.entryPayload as { abstractMessage: { staticContent: { text: string } } }).abstractMessage.staticContent
    .text

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await pause(10)
  if (!condition()) throw new Error(`timed out waiting for ${what}`)
}

describe('the event stream client', () => {
  it('sends the bearer token, the 15-character org id and the resume point, and asks for no compression', async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(PING)
    })
    const stream = reader(server.url, () => undefined, {
      orgId: `${ORG_ID_15}${checksumOf(ORG_ID_15)}`,
      lastEventId: '41',
    })
    void stream.run()
    await until(() => stream.connectionCount === 1, 'the stream to open')
    const headers = server.requests[0]!.headers
    expect(headers).toMatchObject({
      authorization: 'Bearer header.payload.signature',
      'x-org-id': ORG_ID_15,
      'last-event-id': '41',
      accept: 'text/event-stream',
    })
    expect(headers['accept-encoding']).toBeUndefined()
    expect(server.requests[0]!.url).toBe('/eventrouter/v1/sse')
  })

  it('parses frames split anywhere (inside a line, between CR and LF, inside a UTF-8 character), in order', async () => {
    const texts = ['plain', 'café ✓ 日本語', 'emoji 🙂 last']
    const body = `: a comment line\n\n${frame(1, texts[0]!, '\r\n')}${PING}${frame(2, texts[1]!)}${frame(3, texts[2]!, '\r\n')}`
    const bytes = Buffer.from(body, 'utf8')
    const server = await scriptedServer(async (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      // Three bytes at a time, each in its own write after a pause: the client reads many small chunks.
      for (let at = 0; at < bytes.length; at += 3) {
        res.write(bytes.subarray(at, at + 3))
        await pause(1)
      }
    })
    const events: StreamEvent[] = []
    const stream = reader(server.url, (event) => {
      events.push(event)
    })
    void stream.run()
    await until(() => events.length === 3, 'three events')
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3'])
    expect(events.map(textOf)).toEqual(texts)
    expect(events.every((event) => event.name === 'CONVERSATION_MESSAGE')).toBe(true)
    expect(stream.lastEventId).toBe('3')
    expect(stream.connectionCount).toBe(1)
  })

  it('hands events on one at a time: the next waits until the handler of the one before has finished', async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(frame(1, 'a') + frame(2, 'b') + frame(3, 'c'))
    })
    const log: string[] = []
    const stream = reader(server.url, async (event) => {
      log.push(`start ${event.id}`)
      await pause(20)
      log.push(`end ${event.id}`)
    })
    void stream.run()
    await until(() => log.length === 6, 'three handled events')
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
  })

  it('reconnects after the server ends or drops the stream, resuming after the last handled event, once each', async () => {
    const server = await scriptedServer((req, res, connection) => {
      res.writeHead(200, SSE_HEADERS)
      if (connection === 1) {
        res.end(frame(1, 'one') + frame(2, 'two')) // the server ends the stream
      } else if (connection === 2) {
        // One event, then half of the next, then the socket breaks: the half is never handed on.
        res.write(frame(3, 'three') + frame(4, 'four').slice(0, 40))
        setTimeout(() => req.socket.destroy(), 20)
      } else {
        res.write(frame(3, 'three') + frame(4, 'four')) // the replay overlaps: 3 comes again
      }
    })
    const events: StreamEvent[] = []
    const reconnects: string[] = []
    const stream = reader(server.url, (event) => void events.push(event), {
      onReconnect: (error: EnhancedChatError) => reconnects.push(error.kind),
    })
    void stream.run()
    await until(() => events.length === 4, 'four events')
    await pause(50) // a repeated 3 or 4 would arrive now
    expect(events.map(textOf)).toEqual(['one', 'two', 'three', 'four'])
    expect(server.requests.map((req) => req.headers['last-event-id'])).toEqual(['0', '2', '3'])
    expect(reconnects).toEqual(['network', 'network'])
    expect(stream.connectionCount).toBe(3)
  })

  it('waits as long as a 429 on the connect asks (Retry-After), then connects again', async () => {
    const server = await scriptedServer((_req, res, connection) => {
      if (connection === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        res.end(JSON.stringify({ message: 'Too many requests' }))
        return
      }
      res.writeHead(200, SSE_HEADERS)
      res.write(frame(1, 'after the wait'))
    })
    const waits: { kind: string; delayMs: number }[] = []
    const events: StreamEvent[] = []
    const stream = reader(server.url, (event) => void events.push(event), {
      retry: { ...FAST_RECONNECT, maxDelayMs: 5_000 },
      onReconnect: (error: EnhancedChatError, _attempt: number, delayMs: number) =>
        waits.push({ kind: error.kind, delayMs }),
    })
    void stream.run()
    await until(() => events.length === 1, 'the event after the wait')
    expect(waits).toEqual([{ kind: 'rate-limited', delayMs: 1000 }])
  })

  it.each([
    [
      'a Spring-style JSON body',
      'application/json',
      JSON.stringify({
        timestamp: '2026-11-30T12:00:00.000+00:00',
        status: 401,
        error: 'Unauthorized',
        message: 'Jwt is expired',
        path: '/eventrouter/v1/sse',
      }),
    ],
    ['bare text', 'text/plain;charset=UTF-8', 'Jwt is expired'],
  ])('stops with token-expired on a 401 with %s, without trying again', async (_shape, type, body) => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(401, { 'content-type': type })
      res.end(body)
    })
    const stream = reader(server.url, () => undefined)
    const error = await stream.run().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EnhancedChatError)
    expect(error).toMatchObject({
      kind: 'token-expired',
      status: 401,
      operation: 'eventStream',
      serverMessage: 'Jwt is expired',
    })
    expect(server.requests).toHaveLength(1)
  })

  it('stops at once when the caller’s signal fires on an open stream, and closes its socket', async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(frame(1, 'hello'))
    })
    const shutdown = new AbortController()
    const events: StreamEvent[] = []
    const stream = reader(server.url, (event) => void events.push(event), { signal: shutdown.signal })
    const done = stream.run()
    await until(() => events.length === 1, 'the first event')
    expect(server.openSockets()).toBe(1)
    shutdown.abort()
    await expect(done).resolves.toBeUndefined()
    await until(() => server.openSockets() === 0, 'the server to see the socket close')
    expect(server.requests).toHaveLength(1)
  })

  it('on close() lets the event being handled finish, hands on nothing after it, and resumes there next time', async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(frame(1, 'one') + frame(2, 'two'))
    })
    let release: () => void = () => undefined
    const handled: string[] = []
    const stream = reader(server.url, async (event) => {
      if (event.id === '1') await new Promise<void>((resolve) => (release = resolve))
      handled.push(event.id)
    })
    const done = stream.run()
    await until(() => server.requests.length === 1 && stream.connectionCount === 1, 'the stream to open')
    await pause(20) // event 1's handler is now waiting
    let closed = false
    const closing = stream.close().then(() => (closed = true))
    await pause(20)
    expect(closed).toBe(false) // close() waits for the handler in progress
    release()
    await closing
    await expect(done).resolves.toBeUndefined()
    expect(handled).toEqual(['1'])
    expect(stream.lastEventId).toBe('1')
  })

  it('does not count the time a slow handler takes as the server’s silence', async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(frame(1, 'slow'))
      const pinger = setInterval(() => res.write(PING), 100)
      res.once('close', () => clearInterval(pinger))
    })
    const handled: string[] = []
    const stream = reader(
      server.url,
      async (event) => {
        await pause(3_000) // longer than the idle limit below
        handled.push(event.id)
      },
      { timeouts: { streamIdleMs: 2_000 } }
    )
    void stream.run()
    await until(() => handled.length === 1, 'the slow event')
    await pause(200)
    expect(stream.connectionCount).toBe(1)
    expect(server.requests).toHaveLength(1)
  })
})
