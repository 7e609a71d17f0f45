// A deliberately dumb chasitor over raw fetch: every header, ack and sequence number is chosen by the test,
// so the tests exercise the mock's rules and not any client of ours.
import type { MockServer } from '../../src/index.js'

export const API_VERSION = '47'

export interface RawResponse {
  status: number
  text: string
  json: <T = Record<string, unknown>>() => T
}

export interface Batch {
  messages: { type: string; message: Record<string, unknown> }[]
  sequence: number
  offset: number
}

export interface SessionIdBody {
  id: string
  key: string
  affinityToken: string
  clientPollTimeout: number
}

async function toRaw(response: Response): Promise<RawResponse> {
  const text = await response.text()
  return { status: response.status, text, json: <T>() => JSON.parse(text) as T }
}

export async function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}
): Promise<RawResponse> {
  return toRaw(await fetch(url, init))
}

export class RawVisitor {
  session!: SessionIdBody
  affinity = 'null'

  constructor(private readonly mock: MockServer) {}

  get api(): string {
    return `${this.mock.url}/chat/rest`
  }

  headers(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const headers: Record<string, string | undefined> = {
      'X-LIVEAGENT-API-VERSION': API_VERSION,
      'X-LIVEAGENT-AFFINITY': this.affinity,
      ...(this.session ? { 'X-LIVEAGENT-SESSION-KEY': this.session.key } : {}),
      ...extra,
    }
    return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>
  }

  async start(): Promise<SessionIdBody> {
    const res = await rawRequest(`${this.api}/System/SessionId`, {
      headers: { 'X-LIVEAGENT-API-VERSION': API_VERSION, 'X-LIVEAGENT-AFFINITY': 'null' },
    })
    if (res.status !== 200) throw new Error(`SessionId answered ${res.status} ${res.text}`)
    this.session = res.json<SessionIdBody>()
    this.affinity = this.session.affinityToken
    return this.session
  }

  initBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const { orgId, deploymentId, buttonId } = this.mock.options
    return {
      organizationId: orgId,
      deploymentId,
      buttonId,
      sessionId: this.session.id,
      userAgent: 'jest',
      language: 'en-US',
      screenResolution: '1920x1080',
      visitorName: 'Vera Visitor',
      prechatDetails: [],
      prechatEntities: [],
      receiveQueueUpdates: true,
      isPost: true,
      ...overrides,
    }
  }

  /** SessionId + ChasitorInit (sequence 1); returns the session id. */
  async startChat(overrides: Record<string, unknown> = {}): Promise<string> {
    await this.start()
    const res = await this.post('Chasitor/ChasitorInit', 1, this.initBody(overrides))
    if (res.status !== 200) throw new Error(`ChasitorInit answered ${res.status} ${res.text}`)
    return this.session.id
  }

  post(
    path: string,
    sequence: number | undefined,
    body?: unknown,
    extraHeaders: Record<string, string | undefined> = {}
  ): Promise<RawResponse> {
    return rawRequest(`${this.api}/${path}`, {
      method: 'POST',
      headers: this.headers({
        'content-type': 'application/json',
        ...(sequence === undefined ? {} : { 'X-LIVEAGENT-SEQUENCE': String(sequence) }),
        ...extraHeaders,
      }),
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    })
  }

  poll(ack?: number, pc?: number, signal?: AbortSignal): Promise<RawResponse> {
    const query = new URLSearchParams()
    if (ack !== undefined) query.set('ack', String(ack))
    if (pc !== undefined) query.set('pc', String(pc))
    const qs = query.toString()
    return rawRequest(`${this.api}/System/Messages${qs ? `?${qs}` : ''}`, {
      headers: this.headers(),
      ...(signal ? { signal } : {}),
    })
  }

  /** Polls until a 200 arrives (skipping 204s) and returns its batch. */
  async nextBatch(ack: number, maxPolls = 20): Promise<Batch> {
    for (let i = 0; i < maxPolls; i++) {
      const res = await this.poll(ack)
      if (res.status === 200) return res.json<Batch>()
      if (res.status !== 204) throw new Error(`Messages answered ${res.status} ${res.text}`)
    }
    throw new Error(`no batch after ${maxPolls} polls`)
  }

  /** Polls (acknowledging as it goes) until an event of this type arrives; returns every event seen and the last ack. */
  async pollUntil(type: string, ack = -1, maxPolls = 20): Promise<{ events: Batch['messages']; ack: number }> {
    const events: Batch['messages'] = []
    for (let i = 0; i < maxPolls; i++) {
      const batch = await this.nextBatch(ack)
      events.push(...batch.messages)
      ack = batch.sequence
      if (batch.messages.some((m) => m.type === type)) return { events, ack }
    }
    throw new Error(`no ${type} event within ${maxPolls} batches`)
  }
}

export const types = (batch: { messages: { type: string }[] }): string[] => batch.messages.map((m) => m.type)
