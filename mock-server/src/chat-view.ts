// What a simulated Live Agent chat looks like from outside (admin API, console, tests). ChatState and
// TranscriptEntry are shared with the Enhanced Chat simulator.

export type ChatState = 'waiting' | 'queued' | 'active' | 'ended'
export type Speaker = 'visitor' | 'agent' | 'system'

export interface TranscriptEntry {
  from: Speaker
  text: string
  /** ISO timestamp */
  at: string
}

export interface AgentIdentity {
  name: string
  userId: string
}

/** What the admin API, the console and the tests see of one chat. A snapshot: mutating it changes nothing. */
export interface ChatView {
  /** The session id (uuid) from SessionId. */
  id: string
  key: string
  state: ChatState
  buttonId: string
  visitorName: string
  agent?: string
  agentId?: string
  queuePosition?: number
  transcript: TranscriptEntry[]
  /** ack values of the Messages polls, in arrival order (a missing ack in lenient mode is recorded as null). */
  acks: (number | null)[]
  /** pc values of the Messages polls that carried one. */
  pcs: number[]
  /** X-LIVEAGENT-SEQUENCE values of the sequenced POSTs, in arrival order (duplicates included). */
  sequences: number[]
  endReason?: string
  createdAt: string
  endedAt?: string
  visitorTyping: boolean
  /** Latest ChasitorSneakPeek text while the visitor types. */
  sneakPeek?: string
  affinityToken: string
  /** Last sequence number accepted since the session started or was reconnected. */
  lastSequence: number
  /** A Messages poll is being held open right now. */
  pollOpen: boolean
  /** Events appended and not yet acknowledged by the client. */
  pendingEvents: number
  handoverPending: boolean
  /** Visitor ChatMessages answered 200 but swallowed by a 'drop' fault. */
  droppedMessages: number
}
