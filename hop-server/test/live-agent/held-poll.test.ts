// The held Messages poll's own transport (held-get.ts): what goes on the wire, what a cut body becomes, what the
// metrics observer hears, and that a signal serving poll after poll keeps no listener behind. A bare loopback
// server records and misbehaves where the mock server cannot (a body cut mid-way); the rest is the mock.
import { getEventListeners } from 'node:events'
import http, { type IncomingHttpHeaders } from 'node:http'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import {
  LiveAgentClient,
  LiveAgentInputError,
  LiveAgentNetworkError,
  type LiveAgentClientObserver,
} from '../../src/backends/live-agent/index.js'
import { INIT } from './helpers.js'
import { listenOnLoopback } from '../support/loopback-server.js'

const KEY = 'session-key-SECRET-123'
const AUTH = { key: KEY, affinityToken: 'affinity-1' }

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function bareServer(handler: Handler): Promise<string> {
  const server = http.createServer(handler)
  const { port, close } = await listenOnLoopback(server)
  cleanups.push(close)
  return `http://127.0.0.1:${port}/chat`
}

function clientFor(endpoint: string, observer?: LiveAgentClientObserver): LiveAgentClient {
  const client = new LiveAgentClient({ endpoint, ...(observer ? { observer } : {}) })
  cleanups.push(() => client.close())
  return client
}

/** Headers every request carries whatever its transport, minus the per-request ones. */
function common(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const picked: Record<string, string | string[] | undefined> = {}
  for (const name of ['x-liveagent-api-version', 'x-liveagent-affinity', 'x-liveagent-session-key', 'accept']) {
    picked[name] = headers[name]
  }
  picked['user-agent'] = headers['user-agent']
  return picked
}

describe('the held Messages poll', () => {
  it('sends the same Live Agent headers as the got requests, with ack and pc in the query', async () => {
    const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = []
    const endpoint = await bareServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers })
      res.statusCode = 204
      res.end()
      req.resume()
    })
    const client = clientFor(endpoint)
    await expect(client.messages(AUTH, { ack: 4, pc: 7 })).resolves.toEqual({ status: 204 })
    await client.chatMessage(AUTH, 3, 'hello')
    const [poll, post] = seen
    expect(poll).toMatchObject({ method: 'GET', url: '/chat/rest/System/Messages?ack=4&pc=7' })
    expect(post).toMatchObject({ method: 'POST', url: '/chat/rest/Chasitor/ChatMessage' })
    expect(post?.headers['x-liveagent-sequence']).toBe('3')
    expect(poll?.headers['x-liveagent-sequence']).toBeUndefined()
    expect(common(poll!.headers)).toEqual(common(post!.headers))
    expect(common(poll!.headers)).toEqual({
      'x-liveagent-api-version': '63',
      'x-liveagent-affinity': 'affinity-1',
      'x-liveagent-session-key': KEY,
      accept: 'application/json',
      'user-agent': 'liveagent-hop',
    })
  })

  it('omits pc when the caller has none', async () => {
    let url: string | undefined
    const endpoint = await bareServer((req, res) => {
      url = req.url
      res.statusCode = 204
      res.end()
    })
    await clientFor(endpoint).messages(AUTH, { ack: -1 })
    expect(url).toBe('/chat/rest/System/Messages?ack=-1')
  })

  it('turns a body cut mid-way into a network error (retried), never a short batch, with no key in it', async () => {
    const endpoint = await bareServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' })
      res.write(`{"messages":[],"sequence":1,"note":"${KEY}`)
      setTimeout(() => req.socket.destroy(), 20)
    })
    const error = await clientFor(endpoint)
      .messages(AUTH, { ack: -1 })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentNetworkError)
    expect(error).toMatchObject({ kind: 'network', resource: 'System/Messages' })
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(KEY)
  })

  it('tells the observer of each poll from its own callback: started, settled with the status, 403 answered', async () => {
    let mock: MockServer | undefined = await startMockServer({ scenario: 'manual', holdMs: 100 })
    cleanups.push(() => mock?.close())
    const calls: string[] = []
    const observer: LiveAgentClientObserver = {
      pollStarted: () => calls.push('started'),
      pollSettled: (status, seconds) => calls.push(`settled ${status ?? 'none'} ${seconds >= 0 ? 'timed' : 'bad'}`),
      answered: (status) => calls.push(`answered ${status}`),
    }
    const client = clientFor(`${mock.url}/chat`, observer)
    const session = await client.createSession()
    const auth = { key: session.key, affinityToken: session.affinityToken }
    await client.chasitorInit(auth, 1, { ...INIT, sessionId: session.id })
    const first = await client.messages(auth, { ack: -1, pc: 0 })
    if (first.status !== 200) throw new Error('expected the first batch')
    await expect(client.messages(auth, { ack: first.sequence, pc: 1 })).resolves.toEqual({ status: 204 })
    await client.deleteSession(auth)
    await expect(client.messages(auth, { ack: first.sequence, pc: 2 })).rejects.toMatchObject({ status: 403 })
    await mock.close()
    mock = undefined
    await expect(client.messages(auth, { ack: first.sequence, pc: 3 })).rejects.toMatchObject({ kind: 'network' })
    expect(calls).toEqual([
      // ChasitorInit answered 200: a session-scoped POST is observed too
      'answered 200',
      'started',
      'settled 200 timed',
      'answered 200',
      'started',
      'settled 204 timed',
      'answered 204',
      'started',
      'settled 403 timed',
      'answered 403',
      'started',
      'settled none timed',
    ])
  })

  it('leaves no abort listener behind on a signal that serves poll after poll', async () => {
    const endpoint = await bareServer((req, res) => {
      res.statusCode = 204
      res.end()
    })
    const client = clientFor(endpoint)
    const { signal } = new AbortController()
    for (let pc = 0; pc < 20; pc += 1) await client.messages(AUTH, { ack: -1, pc }, { signal })
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
    const held = new AbortController()
    const endpointHeld = await bareServer(() => undefined)
    const poll = clientFor(endpointHeld).messages(AUTH, { ack: -1 }, { signal: held.signal })
    expect(getEventListeners(held.signal, 'abort')).toHaveLength(1)
    held.abort()
    await expect(poll).rejects.toMatchObject({ kind: 'aborted' })
    expect(getEventListeners(held.signal, 'abort')).toHaveLength(0)
  })
})

/** A bare loopback server that also tells which client port each request came from, and its open connections. */
async function recordingServer(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void
): Promise<{ endpoint: string; server: http.Server; ports: number[] }> {
  const ports: number[] = []
  const server = http.createServer((req, res) => {
    ports.push(req.socket.remotePort ?? -1)
    answer(req, res)
  })
  const { port, close } = await listenOnLoopback(server)
  cleanups.push(close)
  return { endpoint: `http://127.0.0.1:${port}/chat`, server, ports }
}

const noContent = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  req.resume()
  res.statusCode = 204
  res.end()
}

function connections(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count)))
  )
}

describe('the held polls’ own agents', () => {
  it('never lend a poll’s socket to a request/response call, and keep one chat’s polls on one socket', async () => {
    const { endpoint, ports } = await recordingServer(noContent)
    const client = clientFor(endpoint)
    const poller = client.poller()
    await expect(poller.poll(AUTH, -1, 0, 5000, undefined)).resolves.toEqual({ status: 204 })
    // The poll's socket is idle now: a shared agent would hand it to the post.
    await client.chatMessage(AUTH, 1, 'hello')
    await expect(poller.poll(AUTH, -1, 1, 5000, undefined)).resolves.toEqual({ status: 204 })
    await client.chatMessage(AUTH, 2, 'again')
    const [poll1, post1, poll2, post2] = ports
    expect(post1).not.toBe(poll1)
    expect(poll2).toBe(poll1)
    expect(post2).toBe(post1)
  })

  it('are closed by close(): a held poll fails as a network error and no poll socket stays open', async () => {
    const { endpoint, server } = await recordingServer((req) => req.resume())
    const client = new LiveAgentClient({ endpoint })
    const poll = client.messages(AUTH, { ack: -1, pc: 0 })
    while ((await connections(server)) === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(client.pollSocketCount()).toBe(1)
    client.close()
    await expect(poll).rejects.toMatchObject({ kind: 'network' })
    expect(client.pollSocketCount()).toBe(0)
    while ((await connections(server)) > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  })

  it('serve a new poll right after an aborted one on the same poller, whatever the old request does late', async () => {
    // The first poll (pc 0) is held, never answered; it may not even reach the server before it is aborted.
    const { endpoint } = await recordingServer((req, res) => {
      if (req.url?.endsWith('pc=0')) req.resume()
      else noContent(req, res)
    })
    const poller = clientFor(endpoint).poller()
    const held = new AbortController()
    const aborted = poller.poll(AUTH, -1, 0, 5000, held.signal)
    held.abort()
    await expect(aborted).rejects.toMatchObject({ kind: 'aborted' })
    await expect(poller.poll(AUTH, -1, 1, 5000, undefined)).resolves.toEqual({ status: 204 })
    await expect(poller.poll(AUTH, -1, 2, 5000, undefined)).resolves.toEqual({ status: 204 })
  })

  it('refuse a second poll on a poller while one is in flight, leaving the first alone', async () => {
    let release: (() => void) | undefined
    const { endpoint } = await recordingServer((req, res) => {
      req.resume()
      release = () => noContent(req, res)
    })
    const poller = clientFor(endpoint).poller()
    const inFlight = poller.poll(AUTH, -1, 0, 5000, undefined)
    await expect(poller.poll(AUTH, -1, 1, 5000, undefined)).rejects.toBeInstanceOf(LiveAgentInputError)
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5))
    release()
    await expect(inFlight).resolves.toEqual({ status: 204 })
  })

  it('send the new credentials once they change (a hand-over brings a new affinity token)', async () => {
    const seen: Array<string | string[] | undefined> = []
    const { endpoint } = await recordingServer((req, res) => {
      seen.push(req.headers['x-liveagent-affinity'])
      noContent(req, res)
    })
    const poller = clientFor(endpoint).poller()
    await poller.poll(AUTH, -1, 0, 5000, undefined)
    await poller.poll({ ...AUTH, affinityToken: 'affinity-2' }, -1, 1, 5000, undefined)
    expect(seen).toEqual(['affinity-1', 'affinity-2'])
  })
})
