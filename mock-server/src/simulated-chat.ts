import type { FastifyReply } from 'fastify'
import { newAffinityToken, newOffsetBase, newSessionId, newSessionKey } from './ids.js'
import type { AgentIdentity, ChatState, ChatView, Speaker, TranscriptEntry } from './chat-view.js'
import type { LaEvent } from './protocol.js'

export interface HeldPoll {
  reply: FastifyReply
  ack: number
  timer: NodeJS.Timeout
}

export interface Batch {
  messages: LaEvent[]
  sequence: number
  offset: number
}

/** Keeps the admin view of long chats bounded. */
const MAX_RECORDED_VALUES = 1000

function pushBounded<T>(list: T[], value: T): void {
  if (list.length >= MAX_RECORDED_VALUES) list.shift()
  list.push(value)
}

/**
 * One Live Agent session as the simulated server keeps it: credentials, chat state, event log and the poll it may
 * hold. Named apart from the hop server's `ChatSession`, which is the client's side of the same session.
 */
export class SimulatedChat {
  readonly id = newSessionId()
  readonly key = newSessionKey(this.id)
  readonly createdAt = Date.now()
  affinity = newAffinityToken()
  /** Tokens this session used before a hand-over: a request carrying one answers 503. */
  readonly formerAffinities: string[] = []
  readonly offsetBase = newOffsetBase()

  initialized = false
  state: ChatState = 'waiting'
  orgId = ''
  buttonId = ''
  visitorName = ''
  visitorId = ''
  agent: AgentIdentity | undefined
  queuePosition: number | undefined
  endReason: string | undefined
  endedAt: number | undefined
  visitorTyping = false
  sneakPeek: string | undefined
  droppedMessages = 0
  receiveQueueUpdates = false
  /** Ended by an event the client still has to poll (ChatEnded, ChatRequestFail); other ends answer 403 at once. */
  drainable = false

  /** Last X-LIVEAGENT-SEQUENCE accepted; 0 before ChasitorInit and right after a ReconnectSession. */
  lastSequence = 0
  handoverPending = false
  /** Set by ReconnectSession, cleared by ChasitorResyncState. */
  resyncPending = false

  heldPoll: HeldPoll | undefined
  /** When the last poll was answered (or the session created): the expiry clock runs from here while no poll is held. */
  lastPollEndAt = Date.now()
  wakeScheduled = false

  readonly transcript: TranscriptEntry[] = []
  readonly acks: (number | null)[] = []
  readonly pcs: number[] = []
  readonly sequences: number[] = []

  /** Events not yet acknowledged; the first one has sequence number firstSeq. */
  private readonly events: LaEvent[] = []
  private firstSeq = 0
  /** Highest sequence number returned in a 200 batch; -1 before the first. */
  maxDeliveredSeq = -1

  get ended(): boolean {
    return this.state === 'ended'
  }

  get nextSeq(): number {
    return this.firstSeq + this.events.length
  }

  get pendingEvents(): number {
    return this.events.length
  }

  append(type: string, message: Record<string, unknown>): number {
    this.events.push({ type, message })
    return this.nextSeq - 1
  }

  /** Drops every event the client acknowledged (seq ≤ ack). */
  acknowledge(ack: number): void {
    const count = Math.min(ack + 1 - this.firstSeq, this.events.length)
    if (count <= 0) return
    this.events.splice(0, count)
    this.firstSeq += count
  }

  /** Every event with seq > ack, as one batch; undefined when there is none. */
  batchAfter(ack: number): Batch | undefined {
    const start = Math.max(0, ack + 1 - this.firstSeq)
    if (start >= this.events.length) return undefined
    const sequence = this.nextSeq - 1
    if (sequence > this.maxDeliveredSeq) this.maxDeliveredSeq = sequence
    return { messages: this.events.slice(start), sequence, offset: this.offsetForSeq(sequence) }
  }

  offsetForSeq(seq: number): number {
    return this.offsetBase + seq
  }

  rotateAffinity(): string {
    this.formerAffinities.push(this.affinity)
    this.affinity = newAffinityToken()
    return this.affinity
  }

  say(from: Speaker, text: string): void {
    this.transcript.push({ from, text, at: new Date().toISOString() })
  }

  recordPoll(ack: number | null, pc: number | undefined): void {
    pushBounded(this.acks, ack)
    if (pc !== undefined) pushBounded(this.pcs, pc)
  }

  recordSequence(sequence: number): void {
    pushBounded(this.sequences, sequence)
  }

  toView(): ChatView {
    return {
      id: this.id,
      key: this.key,
      state: this.state,
      buttonId: this.buttonId,
      visitorName: this.visitorName,
      ...(this.agent ? { agent: this.agent.name, agentId: this.agent.userId } : {}),
      ...(this.queuePosition !== undefined ? { queuePosition: this.queuePosition } : {}),
      transcript: this.transcript.map((entry) => ({ ...entry })),
      acks: [...this.acks],
      pcs: [...this.pcs],
      sequences: [...this.sequences],
      ...(this.endReason !== undefined ? { endReason: this.endReason } : {}),
      createdAt: new Date(this.createdAt).toISOString(),
      ...(this.endedAt !== undefined ? { endedAt: new Date(this.endedAt).toISOString() } : {}),
      visitorTyping: this.visitorTyping,
      ...(this.sneakPeek !== undefined ? { sneakPeek: this.sneakPeek } : {}),
      affinityToken: this.affinity,
      lastSequence: this.lastSequence,
      pollOpen: this.heldPoll !== undefined,
      pendingEvents: this.events.length,
      handoverPending: this.handoverPending,
      droppedMessages: this.droppedMessages,
    }
  }
}
