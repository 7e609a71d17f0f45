// A deliberately dumb Enhanced Chat guest over raw HTTP: every header, id and body is chosen by the test, so the
// tests exercise the simulator's rules and not any client of ours.
import { randomUUID } from 'node:crypto'
import { request, type ClientRequest, type IncomingMessage } from 'node:http'
import type { MockServer } from '../../src/index.js'
import { rawRequest, type RawResponse } from './raw-visitor.js'

export const API = '/iamessage/api/v2'

export interface SseEvent {
  id: string | undefined
  event: string
  data: string
}

/** The parsed `data` of a conversation event, with entryPayload parsed too. */
export interface EventData {
  conversationId: string
  conversationEntry: {
    identifier: string
    entryType: string
    entryPayload: string
    sender: { role: string; subject: string }
    senderDisplayName: string
  }
}

/** Parsed JSON that assertions walk into (expect() checks every shape they rely on). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed wire JSON, checked by the assertions
export type Loose = any

export const parseData = (event: SseEvent): EventData => JSON.parse(event.data) as EventData
export const payloadOf = (event: SseEvent): Record<string, Loose> =>
  JSON.parse(parseData(event).conversationEntry.entryPayload) as Record<string, Loose>
export const names = (events: SseEvent[]): string[] => events.filter((e) => e.event !== 'ping').map((e) => e.event)

/** One open event stream: frames are parsed as they arrive. */
export class SseStream {
  readonly events: SseEvent[] = []
  ended = false
  private buffer = ''
  private readonly waiters = new Set<() => void>()

  constructor(
    readonly response: IncomingMessage,
    private readonly req: ClientRequest
  ) {
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => {
      this.buffer += chunk
      let end
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end)
        this.buffer = this.buffer.slice(end + 2)
        this.events.push(parseFrame(block))
      }
      this.notify()
    })
    const finish = () => {
      this.ended = true
      this.notify()
    }
    response.on('end', finish)
    response.on('close', finish)
    response.on('error', finish)
  }

  /** Events other than pings. */
  get conversationEvents(): SseEvent[] {
    return this.events.filter((e) => e.event !== 'ping')
  }

  get lastId(): string | undefined {
    return this.events.filter((e) => e.id !== undefined).at(-1)?.id
  }

  /** Resolves once `count` events (pings included) match; rejects after timeoutMs or when the stream ends first. */
  waitFor(match: (e: SseEvent) => boolean, count = 1, timeoutMs = 5000): Promise<SseEvent[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.filter(match)
        if (found.length >= count) {
          done()
          resolve(found)
        } else if (this.ended) {
          done()
          reject(new Error(`stream ended with ${found.length}/${count} matching events: ${names(this.events)}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out with events ${names(this.events).join(', ')}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }

  waitForEnd(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the stream did not end')), timeoutMs)
      const check = () => {
        if (!this.ended) return
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }
      this.waiters.add(check)
      check()
    })
  }

  close(): void {
    this.req.destroy()
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}

function parseFrame(block: string): SseEvent {
  const frame: SseEvent = { id: undefined, event: 'message', data: '' }
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':')
    const field = line.slice(0, colon)
    const value = line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') frame.id = value
    else if (field === 'event') frame.event = value
    else if (field === 'data') frame.data = frame.data ? `${frame.data}\n${value}` : value
  }
  return frame
}

/** Opens GET /eventrouter/v1/sse; resolves with the stream (200) or the refusal (status and body). */
export function openStream(
  baseUrl: string,
  headers: Record<string, string>
): Promise<{ status: number; stream?: SseStream; body?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/eventrouter/v1/sse`, { headers: { accept: 'text/event-stream', ...headers } })
    req.on('response', (response) => {
      if (response.statusCode === 200) return resolve({ status: 200, stream: new SseStream(response, req) })
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

export interface TokenBody {
  accessToken: string
  lastEventId: string
  context: { endUser: { subject: string }; configuration: Record<string, Loose> }
}

export class RawGuest {
  token!: TokenBody
  private readonly streams: SseStream[] = []

  constructor(private readonly mock: MockServer) {}

  get orgId15(): string {
    return this.mock.options.orgId.slice(0, 15)
  }

  get deployment(): string {
    return this.mock.options.esDeveloperName
  }

  tokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      orgId: this.orgId15,
      esDeveloperName: this.deployment,
      capabilitiesVersion: '1',
      platform: 'Web',
      context: { appName: 'jest', clientVersion: '1.0.0' },
      ...overrides,
    }
  }

  async getToken(overrides: Record<string, unknown> = {}): Promise<TokenBody> {
    const res = await this.call('POST', '/authorization/unauthenticated/access-token', this.tokenBody(overrides), {
      auth: false,
    })
    if (res.status !== 200) throw new Error(`access-token answered ${res.status} ${res.text}`)
    this.token = res.json<TokenBody>()
    return this.token
  }

  call(
    method: string,
    path: string,
    body?: unknown,
    opts: { auth?: boolean; token?: string; headers?: Record<string, string> } = {}
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { ...opts.headers }
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    if (opts.auth !== false) headers.authorization ??= `Bearer ${opts.token ?? this.token.accessToken}`
    return rawRequest(`${this.mock.url}${API}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
  }

  /** Opens a stream with the token's (or the given) Last-Event-Id; throws unless it is 200. */
  async stream(lastEventId: string | undefined = this.token.lastEventId, token = this.token.accessToken) {
    const res = await openStream(this.mock.url, {
      authorization: `Bearer ${token}`,
      'x-org-id': this.orgId15,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    })
    if (!res.stream) throw new Error(`SSE answered ${res.status} ${res.body}`)
    this.streams.push(res.stream)
    return res.stream
  }

  async createConversation(
    overrides: Record<string, unknown> = {},
    conversationId: string = randomUUID()
  ): Promise<{ id: string; res: RawResponse }> {
    const res = await this.call('POST', '/conversation', {
      conversationId,
      esDeveloperName: this.deployment,
      routingAttributes: { _firstName: 'Ada', _lastName: 'Lovelace' },
      language: 'en_US',
      ...overrides,
    })
    return { id: conversationId, res }
  }

  messageBody(text: string, overrides: Record<string, unknown> = {}, id = randomUUID()): Record<string, unknown> {
    return {
      message: { id, messageType: 'StaticContentMessage', staticContent: { formatType: 'Text', text } },
      esDeveloperName: this.deployment,
      ...overrides,
    }
  }

  send(conversationId: string, text: string, overrides: Record<string, unknown> = {}): Promise<RawResponse> {
    return this.call('POST', `/conversation/${conversationId}/message`, this.messageBody(text, overrides))
  }

  closeStreams(): void {
    for (const stream of this.streams) stream.close()
  }
}
