// Malformed and unusual server answers. The mock is faithful, so a tiny raw node:http server plays a broken
// Live Agent here: every odd answer must become a typed error or an `unknown` event, never an unhandled rejection
// (Jest 30 reports an unhandled rejection as a failure of the test that is running, so these tests catch one).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  ChatSession,
  LiveAgentClient,
  LiveAgentHttpError,
  LiveAgentMalformedResponseError,
  LiveAgentSwitchServerError,
  openChat,
} from '../../src/backends/live-agent/index.js'
import { FAST, INIT, RecordingStore } from './helpers.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const KEY = 'c0ffee00-0000-4000-8000-000000000001!1700000000000!c2VjcmV0LXNpZ25hdHVyZQ=='
const SESSION_ID = KEY.split('!')[0]!

let server: Server
let client: LiveAgentClient
let routes: Record<string, Handler> = {}

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }
const text =
  (status: number, body: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body)
  }
/** Answers each request with the next handler; the last one repeats. */
const sequence =
  (...handlers: Handler[]): Handler =>
  (req, res) => {
    const next = handlers.length > 1 ? handlers.shift()! : handlers[0]!
    next(req, res)
  }

const SESSION_OK = json(200, { id: SESSION_ID, key: KEY, affinityToken: 'abcd1234', clientPollTimeout: 40 })

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/chat\/rest\//, '')
    req.resume()
    req.on('end', () => {
      const route = routes[path]
      if (route) route(req, res)
      else res.writeHead(404).end('Not Found')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  client = new LiveAgentClient({ endpoint: `http://127.0.0.1:${port}/chat` })
})

afterAll(async () => {
  client.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  routes = {}
})

const auth = { key: KEY, affinityToken: 'abcd1234' }

describe('LiveAgentClient with malformed responses', () => {
  it('bad JSON on Messages → LiveAgentMalformedResponseError with status and body', async () => {
    routes['System/Messages'] = text(200, '{"messages": [')
    const error = await client.messages(auth, { ack: -1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentMalformedResponseError)
    expect(error).toMatchObject({
      kind: 'malformed',
      resource: 'System/Messages',
      status: 200,
      body: '{"messages": [',
      issue: 'the body is not valid JSON',
    })
  })

  it('wrong envelope types on Messages → malformed, naming the field', async () => {
    routes['System/Messages'] = json(200, { messages: 'ChatMessage', sequence: 1 })
    await expect(client.messages(auth, { ack: -1 })).rejects.toMatchObject({
      kind: 'malformed',
      issue: expect.stringContaining('messages'),
    })
    routes['System/Messages'] = json(200, { messages: [], sequence: 'three' })
    await expect(client.messages(auth, { ack: -1 })).rejects.toMatchObject({
      issue: expect.stringContaining('sequence'),
    })
  })

  it('unknown event types and wrongly typed events come through as unknown events', async () => {
    routes['System/Messages'] = json(200, {
      messages: [
        { type: 'ChatMessage', message: { text: 'fine', name: 'Andy' } },
        { type: 'Hologram', message: { beam: true } },
        { type: 'ChatMessage', message: { text: ['not', 'a', 'string'] } },
        'garbage',
      ],
      sequence: 7,
      offset: 1234,
    })
    const result = await client.messages(auth, { ack: 3 })
    if (result.status !== 200) throw new Error('expected a batch')
    expect(result.sequence).toBe(7)
    expect(result.offset).toBe(1234)
    expect(result.events.map((e) => (e.type === 'unknown' ? `unknown:${e.originalType}` : e.type))).toEqual([
      'ChatMessage',
      'unknown:Hologram',
      'unknown:ChatMessage',
      'unknown:undefined',
    ])
  })

  it('a SessionId response without the key → malformed; a string clientPollTimeout is read as a number', async () => {
    routes['System/SessionId'] = json(200, { id: SESSION_ID, affinityToken: 'abcd1234' })
    await expect(client.createSession()).rejects.toMatchObject({
      kind: 'malformed',
      issue: expect.stringContaining('key'),
    })
    routes['System/SessionId'] = json(200, {
      id: SESSION_ID,
      key: KEY,
      affinityToken: 'abcd1234',
      clientPollTimeout: '30',
    })
    await expect(client.createSession()).resolves.toMatchObject({ clientPollTimeoutSec: 30 })
    routes['System/SessionId'] = json(200, { id: SESSION_ID, key: KEY, affinityToken: 'abcd1234' })
    await expect(client.createSession()).resolves.toMatchObject({ clientPollTimeoutSec: 40 })
  })

  it('reads both ReconnectSession shapes and refuses one without a token', async () => {
    routes['System/ReconnectSession'] = json(200, { resetSequence: true, affinityToken: 'bare0001' })
    await expect(client.reconnectSession(KEY, 5)).resolves.toEqual({ affinityToken: 'bare0001', resetSequence: true })
    routes['System/ReconnectSession'] = json(200, {
      messages: [{ type: 'ReconnectSession', message: { affinityToken: 'wrap0002' } }],
    })
    await expect(client.reconnectSession(KEY, 5)).resolves.toEqual({ affinityToken: 'wrap0002', resetSequence: true })
    routes['System/ReconnectSession'] = json(200, { messages: [{ type: 'Other', message: {} }] })
    await expect(client.reconnectSession(KEY, 5)).rejects.toBeInstanceOf(LiveAgentMalformedResponseError)
  })

  it('Availability: a missing isAvailable means unavailable; SwitchServer is a typed error', async () => {
    const query = { organizationId: INIT.organizationId, deploymentId: INIT.deploymentId, ids: ['573A', '573B'] }
    routes['Visitor/Availability'] = json(200, {
      messages: [{ type: 'Availability', message: { results: [{ id: '573A' }, { id: '573B', isAvailable: true }] } }],
    })
    await expect(client.availability(query)).resolves.toEqual([
      { id: '573A', isAvailable: false },
      { id: '573B', isAvailable: true },
    ])
    routes['Visitor/Availability'] = json(200, {
      messages: [{ type: 'SwitchServer', message: { newUrl: 'https://d.la9.salesforceliveagent.com/chat' } }],
    })
    const error = await client.availability(query).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentSwitchServerError)
    expect(error).toMatchObject({ newUrl: 'https://d.la9.salesforceliveagent.com/chat' })
    routes['Visitor/Availability'] = json(200, { messages: [{ type: 'Availability', message: { results: 'none' } }] })
    await expect(client.availability(query)).rejects.toMatchObject({ kind: 'malformed' })
  })

  it('keeps plain-text error bodies, with any echoed session key scrubbed out', async () => {
    routes['Chasitor/ChatMessage'] = text(403, `Forbidden: session ${KEY} is gone`)
    const error = await client.chatMessage(auth, 2, 'hi').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentHttpError)
    const http = error as LiveAgentHttpError
    expect(http.status).toBe(403)
    expect(http.body).toBe('Forbidden: session c0ffee00…[redacted] is gone')
    expect(http.message).not.toContain(KEY)
  })

  it('an answer cut in the middle → a network error', async () => {
    routes['System/Messages'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' })
      res.write('{"messages":[')
      setTimeout(() => res.destroy(), 10)
    }
    await expect(client.messages(auth, { ack: -1 })).rejects.toMatchObject({ kind: 'network' })
  })
})

describe('ChatSession with a broken server', () => {
  async function runAgainst(messages: Handler, options: { maxConnectionTimeoutMs?: number } = {}) {
    routes['System/SessionId'] = SESSION_OK
    routes['Chasitor/ChasitorInit'] = text(200, 'OK')
    routes['System/Messages'] = messages
    const cursor = await openChat(client, INIT)
    const store = new RecordingStore(cursor)
    const session = new ChatSession({ client, cursor, hooks: store, ...FAST, ...options })
    return { outcome: await session.run(), store }
  }

  it('passes unknown and wrongly typed events on, and still reacts to the known ones', async () => {
    const { outcome, store } = await runAgainst(
      sequence(
        json(200, {
          messages: [
            { type: 'ChatRequestSuccess', message: { queuePosition: '2', connectionTimeout: 60000 } },
            { type: 'FutureEvent', message: { x: 1 } },
            { type: 'ChatEstablished', message: { name: 42, userId: '005' } },
          ],
          sequence: 2,
          offset: 99,
        }),
        json(200, { messages: [{ type: 'ChatEnded', message: { reason: 'agent' } }], sequence: 3, offset: 100 })
      )
    )
    expect(outcome).toMatchObject({ kind: 'over', reason: 'agent-ended', detail: 'agent' })
    expect(store.types()).toEqual(['ChatRequestSuccess', 'unknown', 'unknown', 'ChatEnded'])
    // the ChatEstablished with a numeric name was not trusted: the session never counted as established
    expect(store.batches[0]?.cursor).toMatchObject({ established: false, connectionTimeoutMs: 60000, ack: 2 })
    expect(store.latest).toMatchObject({ ack: 3, lastOffset: 100 })
  })

  it('bad JSON forever → retried until the connection timeout, then a typed failure; nothing reaches onBatch', async () => {
    const { outcome, store } = await runAgainst(text(200, 'definitely not json'), { maxConnectionTimeoutMs: 200 })
    expect(outcome.kind).toBe('failed')
    if (outcome.kind !== 'failed') throw new Error('expected a failure')
    expect(outcome.error).toMatchObject({ kind: 'retries-exhausted', resource: 'Messages' })
    expect(outcome.error.cause).toBeInstanceOf(LiveAgentMalformedResponseError)
    expect(store.batches).toEqual([])
  })

  it('a malformed batch followed by a good one: the good one is delivered once', async () => {
    const { outcome, store } = await runAgainst(
      sequence(
        text(200, '{"messages":'),
        json(200, { messages: [{ type: 'ChatRequestFail', message: { reason: 'Blocked' } }], sequence: 0 })
      )
    )
    expect(outcome).toMatchObject({ kind: 'over', reason: 'request-failed', detail: 'Blocked' })
    expect(store.types()).toEqual(['ChatRequestFail'])
  })

  it('SwitchServer inside Messages → a typed failure carrying the new URL', async () => {
    const { outcome, store } = await runAgainst(
      json(200, {
        messages: [{ type: 'SwitchServer', message: { newUrl: 'https://d.la5.salesforceliveagent.com/chat' } }],
        sequence: 0,
      })
    )
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: { kind: 'switch-server', newUrl: 'https://d.la5.salesforceliveagent.com/chat' },
    })
    expect(store.types()).toEqual(['SwitchServer'])
  })

  it('an unexpected 4xx on Messages → a typed failure, no retry', async () => {
    let polls = 0
    const { outcome } = await runAgainst((req, res) => {
      polls += 1
      text(400, 'Bad Request: who knows')(req, res)
    })
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'http', status: 400 } })
    expect(polls).toBe(1)
  })

  it('a ChasitorInit refused with 400 → a typed failure before any poll', async () => {
    routes['System/SessionId'] = SESSION_OK
    routes['Chasitor/ChasitorInit'] = text(400, 'Bad Request: unknown button')
    let polls = 0
    routes['System/Messages'] = (req, res) => {
      polls += 1
      text(204, '')(req, res)
    }
    const cursor = await openChat(client, INIT)
    const session = new ChatSession({ client, cursor, hooks: new RecordingStore(cursor), ...FAST })
    await expect(session.run()).resolves.toMatchObject({ kind: 'failed', error: { status: 400 } })
    expect(polls).toBe(0)
  })
})
