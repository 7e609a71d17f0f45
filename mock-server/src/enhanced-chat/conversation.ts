import { randomBytes } from 'node:crypto'
import type { ChatState, TranscriptEntry } from '../chat-view.js'
import type { ConversationEntry } from './entries.js'
import type { RoutingStatus, SessionStatus } from './protocol.js'

const RECORD_ID_TAIL = 12
/** Keeps the admin view of long conversations bounded. */
const MAX_TRANSCRIPT = 1000

/** A MessagingSession record id (prefix 0Mw), as relatedRecords carries it. */
const messagingSessionId = (): string =>
  `0Mw${randomBytes(RECORD_ID_TAIL)
    .toString('base64')
    .replace(/[^0-9A-Za-z]/g, '0')
    .slice(0, RECORD_ID_TAIL)}`

export interface MessagingSession {
  recordId: string
  status: SessionStatus
  startedAt: number
  endedAt?: number
  endedByRole?: 'EndUser' | 'Agent'
}

/** What the admin API, the console and the tests see of one Enhanced Chat conversation (a snapshot). */
export interface EnhancedChatView {
  api: 'enhanced'
  /** The conversation id the client chose. */
  id: string
  /** The same lists as Live Agent chats: waiting / queued / active / ended (the current session's state). */
  state: ChatState
  /** Where the console shows the button: the deployment. */
  buttonId: string
  visitorName: string
  subject: string
  routingStatus: RoutingStatus
  sessionStatus: SessionStatus
  sessions: number
  closed: boolean
  agent?: string
  agentId?: string
  queuePosition?: number
  routingAttributes: Record<string, string>
  transcript: TranscriptEntry[]
  /** Acknowledgements the end user sent, by entry id. */
  acks: { conversationEntryId: string; entryType: string }[]
  endReason?: string
  createdAt: string
  endedAt?: string
  visitorTyping: boolean
}

/** One guest conversation: it persists across messaging sessions until the end user closes it. */
export class Conversation {
  readonly createdAt = Date.now()
  readonly entries: ConversationEntry[] = []
  readonly transcript: TranscriptEntry[] = []
  readonly acks: { conversationEntryId: string; entryType: string }[] = []
  /** Arrival times of end-user messages in the last minute (rate limit). */
  messageTimes: number[] = []
  session: MessagingSession
  sessionCount = 1
  routingStatus: RoutingStatus = 'INITIAL'
  agent: { name: string; userId: string } | undefined
  /** The agent who last left the session, still shown (as Live Agent chats show theirs) once it ended. */
  lastAgent: { name: string; userId: string } | undefined
  queuePosition: number | undefined
  visitorTyping = false
  closed = false
  closedAt: number | undefined
  endReason: string | undefined

  constructor(
    readonly id: string,
    readonly subject: string,
    readonly esDeveloperName: string,
    readonly routingAttributes: Record<string, string>,
    readonly language: string | undefined
  ) {
    this.session = { recordId: messagingSessionId(), status: 'New', startedAt: Date.now() }
  }

  get sessionEnded(): boolean {
    return this.session.status === 'Ended'
  }

  startNewSession(): void {
    this.session = { recordId: messagingSessionId(), status: 'New', startedAt: Date.now() }
    this.sessionCount++
    this.routingStatus = 'INITIAL'
    this.agent = undefined
    this.lastAgent = undefined
    this.queuePosition = undefined
    this.endReason = undefined
  }

  get consoleState(): ChatState {
    if (this.closed || this.sessionEnded || this.endReason !== undefined) return 'ended'
    if (this.agent) return 'active'
    return (this.queuePosition ?? 0) > 0 ? 'queued' : 'waiting'
  }

  say(from: TranscriptEntry['from'], text: string): void {
    if (this.transcript.length >= MAX_TRANSCRIPT) this.transcript.shift()
    this.transcript.push({ from, text, at: new Date().toISOString() })
  }

  visitorName(): string {
    const first = this.routingAttributes['_firstName'] ?? ''
    const last = this.routingAttributes['_lastName'] ?? ''
    return `${first} ${last}`.trim()
  }

  toView(): EnhancedChatView {
    const endedAt = this.session.endedAt
    return {
      api: 'enhanced',
      id: this.id,
      state: this.consoleState,
      buttonId: this.esDeveloperName,
      visitorName: this.visitorName(),
      subject: this.subject,
      routingStatus: this.routingStatus,
      sessionStatus: this.session.status,
      sessions: this.sessionCount,
      closed: this.closed,
      ...((this.agent ?? this.lastAgent) ? shownAgent(this.agent ?? this.lastAgent!) : {}),
      ...(this.queuePosition !== undefined ? { queuePosition: this.queuePosition } : {}),
      routingAttributes: { ...this.routingAttributes },
      transcript: this.transcript.map((entry) => ({ ...entry })),
      acks: this.acks.map((ack) => ({ ...ack })),
      ...(this.endReason !== undefined ? { endReason: this.endReason } : {}),
      createdAt: new Date(this.createdAt).toISOString(),
      ...(endedAt !== undefined ? { endedAt: new Date(endedAt).toISOString() } : {}),
      visitorTyping: this.visitorTyping,
    }
  }
}

const shownAgent = (agent: { name: string; userId: string }) => ({ agent: agent.name, agentId: agent.userId })
