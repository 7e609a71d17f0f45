// The mock's /__admin API (mock-server/README.md): the agent side of every chat, fault injection and counters.
import { JsonClient } from './json-client.js'

export interface MockTranscriptEntry {
  from: 'visitor' | 'agent' | 'system'
  text: string
  /** ISO time the mock applied the entry: the agent message's origin, or the visitor message's arrival. */
  at: string
}

/** The part of the mock's ChatView the bench reads. */
export interface MockChat {
  id: string
  state: 'waiting' | 'queued' | 'active' | 'ended'
  visitorName: string
  transcript: MockTranscriptEntry[]
  endReason?: string
  droppedMessages: number
}

export interface MockStats {
  conflicts409: number
  violations: { at: string; sessionId?: string; rule: string; detail: string }[]
  requests: Record<string, number>
}

export type FaultKind = 'handover' | 'error500' | 'delay' | 'reset' | 'drop'

export interface Fault {
  resource: string
  kind: FaultKind
  count?: number
  delayMs?: number
  sessionId?: string
}

export class MockAdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'MockAdminError'
  }
}

const OK = 200
/** The whole chat list of a 10,000-chat run is tens of megabytes. */
const LIST_TIMEOUT_MS = 120_000

export class MockAdmin {
  private readonly http = new JsonClient({ maxSockets: 64 })

  constructor(readonly baseUrl: string) {}

  async chats(): Promise<MockChat[]> {
    const response = await this.http.request('GET', `${this.baseUrl}/__admin/chats`, undefined, {}, LIST_TIMEOUT_MS)
    if (response.status !== OK) throw new MockAdminError(response.status, 'cannot list the mock chats')
    return response.body as unknown as MockChat[]
  }

  async chat(sessionId: string): Promise<MockChat> {
    const response = await this.http.request('GET', `${this.baseUrl}/__admin/chats/${sessionId}`)
    if (response.status !== OK) throw new MockAdminError(response.status, `cannot read chat ${sessionId}`)
    return response.body as unknown as MockChat
  }

  accept(sessionId: string): Promise<void> {
    return this.post(`/chats/${sessionId}/accept`, {})
  }

  message(sessionId: string, text: string): Promise<void> {
    return this.post(`/chats/${sessionId}/message`, { text })
  }

  end(sessionId: string): Promise<void> {
    return this.post(`/chats/${sessionId}/end`, { reason: 'agent' })
  }

  injectFault(fault: Fault): Promise<void> {
    return this.post('/faults', fault)
  }

  async stats(): Promise<MockStats> {
    const response = await this.http.request('GET', `${this.baseUrl}/__admin/stats`)
    if (response.status !== OK) throw new MockAdminError(response.status, 'cannot read the mock stats')
    return response.body as unknown as MockStats
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await this.http.request('POST', `${this.baseUrl}/__admin${path}`, JSON.stringify(body))
    if (response.status !== OK) {
      throw new MockAdminError(response.status, `${path}: ${String(response.body.error ?? response.status)}`)
    }
  }

  close(): void {
    this.http.close()
  }
}
