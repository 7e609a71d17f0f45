// The Enhanced Chat simulator's /__admin/enhanced API (mock-server/README.md): the agent side of every conversation,
// stream and token faults, 5xx. Conversations are shown in the Live Agent chat shape the checks read; the simulator
// keeps no protocol counters for Enhanced Chat, so stats() derives the 409-equivalents from the conversations.
import type { AgentConsole } from './agent-console.js'
import { JsonClient } from './json-client.js'
import { MockAdminError, type MockChat, type MockStats, type MockTranscriptEntry } from './mock-admin.js'

/** The part of the simulator's EnhancedChatView the bench reads. */
export interface EnhancedConversation {
  id: string
  state: MockChat['state']
  visitorName: string
  /** Messaging sessions of the conversation: a second one means a message reopened a hand-off that was over. */
  sessions: number
  transcript: MockTranscriptEntry[]
  endReason?: string
}

/** Route names of the simulator's fault plan (mock-server/src/enhanced-chat/faults.ts). */
export type EnhancedRoute =
  | 'accessToken'
  | 'createConversation'
  | 'sendMessage'
  | 'entry'
  | 'acknowledgeEntries'
  | 'listEntries'
  | 'endSession'
  | 'closeConversation'
  | 'sse'

export type EnhancedFault =
  | { kind: 'error'; route: EnhancedRoute | '*'; status: 500 | 502 | 503 | 504; count?: number }
  | { kind: 'delayEvents'; delayMs: number; count?: number }

const OK = 200
const LIST_TIMEOUT_MS = 120_000
const PREFIX = '/__admin/enhanced'

export class EnhancedAdmin implements AgentConsole {
  private readonly http = new JsonClient({ maxSockets: 64 })
  private readonly requests = new Map<string, number>()

  constructor(readonly baseUrl: string) {}

  async conversations(): Promise<EnhancedConversation[]> {
    const response = await this.http.request('GET', `${this.url('/conversations')}`, undefined, {}, LIST_TIMEOUT_MS)
    if (response.status !== OK) throw new MockAdminError(response.status, 'cannot list the conversations')
    return response.body as unknown as EnhancedConversation[]
  }

  async chats(): Promise<MockChat[]> {
    return (await this.conversations()).map(asChat)
  }

  async chat(id: string): Promise<MockChat> {
    const response = await this.http.request('GET', this.url(`/conversations/${id}`))
    if (response.status !== OK) throw new MockAdminError(response.status, `cannot read conversation ${id}`)
    return asChat(response.body as unknown as EnhancedConversation)
  }

  accept(id: string): Promise<void> {
    return this.post(`/conversations/${id}/accept`, {})
  }

  message(id: string, text: string): Promise<void> {
    return this.post(`/conversations/${id}/message`, { text })
  }

  end(id: string): Promise<void> {
    return this.post(`/conversations/${id}/end`, {})
  }

  /** Every token of the conversation's guest answers 401 from now on and its streams end. */
  expireToken(id: string): Promise<void> {
    return this.post(`/conversations/${id}/expire-token`, {})
  }

  /** Breaks the conversation's open streams (the client must resume from its Last-Event-Id). */
  dropStreams(id: string): Promise<void> {
    return this.post('/streams/drop', { conversationId: id })
  }

  /** The conversation's open streams end cleanly after `events` more events. */
  closeStreamsAfter(id: string, events: number): Promise<void> {
    return this.post('/streams/close-after', { conversationId: id, events })
  }

  injectFault(fault: EnhancedFault): Promise<void> {
    return this.post('/faults', fault)
  }

  /**
   * What Live Agent's 409 counter stands for, in Enhanced Chat terms: a conversation created twice for one chat
   * (a create repeated after a crash) or a messaging session reopened after its end (a message sent after a 417).
   * Counted from the conversations; `requests` counts this client's own admin calls.
   */
  async stats(): Promise<MockStats> {
    const conversations = await this.conversations()
    const byVisitor = new Map<string, number>()
    const violations: MockStats['violations'] = []
    for (const conversation of conversations) {
      byVisitor.set(conversation.visitorName, (byVisitor.get(conversation.visitorName) ?? 0) + 1)
      if (conversation.sessions > 1)
        violations.push({
          at: new Date().toISOString(),
          sessionId: conversation.id,
          rule: 'session-reopened',
          detail: `${conversation.sessions} messaging sessions`,
        })
    }
    for (const [visitor, count] of byVisitor)
      if (count > 1)
        violations.push({
          at: new Date().toISOString(),
          rule: 'conversation-created-twice',
          detail: `${count} conversations for ${visitor}`,
        })
    return { conflicts409: violations.length, violations, requests: Object.fromEntries(this.requests) }
  }

  close(): void {
    this.http.close()
  }

  private url(path: string): string {
    return `${this.baseUrl}${PREFIX}${path}`
  }

  private async post(path: string, body: unknown): Promise<void> {
    const name = path.split('/').at(-1) ?? path
    this.requests.set(name, (this.requests.get(name) ?? 0) + 1)
    const response = await this.http.request('POST', this.url(path), JSON.stringify(body))
    if (response.status !== OK) {
      throw new MockAdminError(response.status, `${path}: ${String(response.body.error ?? response.status)}`)
    }
  }
}

function asChat(conversation: EnhancedConversation): MockChat {
  return {
    id: conversation.id,
    state: conversation.state,
    visitorName: conversation.visitorName,
    transcript: conversation.transcript,
    ...(conversation.endReason !== undefined ? { endReason: conversation.endReason } : {}),
    droppedMessages: 0,
  }
}
