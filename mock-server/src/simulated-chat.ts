import { randomUUID } from 'node:crypto'
import type { AgentIdentity, ChatState, ChatView, Speaker, TranscriptEntry } from './chat-view.js'
import { newAffinityToken, newOffsetBase, newSessionId, newSessionKey } from './ids.js'
import type { LaEvent } from './protocol.js'

/** One Messages batch as it travels (§4.1): every event after the ack, numbered by its last event. */
export interface Batch {
  messages: LaEvent[]
  sequence: number
  offset: number
}

/** The transport's handle on a Messages poll the simulator holds open (the HTTP layer implements it). */
export interface PollReply {
  /** 200 with the events the poll waited for. */
  batch(batch: Batch): void
  /** An error answer with a plain-text body (403, 409, 503). */
  refuse(status: number, body: string): void
  /** 204: the hold elapsed with nothing to deliver. */
  empty(): void
  /** Drops the connection without an answer (shutdown). */
  destroy(): void
  /** Calls back once if the client goes away before an answer. */
  onClientGone(listener: () => void): void
}

export interface HeldPoll {
  reply: PollReply
  ack: number
  timer: NodeJS.Timeout
}

/** What ChasitorInit tells about the visitor and the chat they request. */
export interface ChatStart {
  orgId: string
  buttonId: string
  visitorName: string
  receiveQueueUpdates: boolean
}

/** How a POST's X-LIVEAGENT-SEQUENCE stands against the last one accepted (§5). */
export type SequenceStanding = 'repeat' | 'next' | 'gap'
/** How a request's X-LIVEAGENT-AFFINITY stands: this session's token, one it had before a hand-over, or neither. */
export type AffinityStanding = 'current' | 'former' | 'unknown'
/** What a ReconnectSession does: finish a hand-over, repeat one not yet resynced, or find none under way. */
export type ReconnectOutcome = 'reconnected' | 'repeated' | 'nothing-pending'

/** Keeps the admin view of long chats bounded. */
const MAX_RECORDED_VALUES = 1000

function pushBounded<T>(list: T[], value: T): void {
  if (list.length >= MAX_RECORDED_VALUES) list.shift()
  list.push(value)
}

/**
 * One Live Agent session as the simulated server keeps it: credentials, chat state, event log and the poll it may
 * hold. Named apart from the hop server's `ChatSession`, which is the client's side of the same session. Its state
 * changes only through the methods below, each one step of the protocol; the Simulator decides when they apply.
 */
export class SimulatedChat {
  readonly id = newSessionId()
  readonly key = newSessionKey(this.id)
  readonly createdAt = Date.now()
  readonly offsetBase = newOffsetBase()

  #affinity = newAffinityToken()
  /** Tokens this session used before a hand-over: a request carrying one answers 503. */
  readonly #formerAffinities: string[] = []

  #started = false
  #state: ChatState = 'waiting'
  #orgId = ''
  #buttonId = ''
  #visitorName = ''
  #visitorId = ''
  #receiveQueueUpdates = false
  #agent: AgentIdentity | undefined
  #queuePosition: number | undefined
  #endReason: string | undefined
  #endedAt: number | undefined
  #drainable = false
  #visitorTyping = false
  #sneakPeek: string | undefined
  #droppedMessages = 0

  /** Last X-LIVEAGENT-SEQUENCE accepted; 0 before ChasitorInit and right after a ReconnectSession. */
  #lastSequence = 0
  #handoverPending = false
  /** Set by ReconnectSession, cleared by ChasitorResyncState. */
  #resyncPending = false

  #heldPoll: HeldPoll | undefined
  /** When the last poll was answered (or the session created): the expiry clock runs from here while none is held. */
  #lastPollEndAt = Date.now()

  readonly #transcript: TranscriptEntry[] = []
  readonly #acks: (number | null)[] = []
  readonly #pcs: number[] = []
  readonly #sequences: number[] = []

  /** Events not yet acknowledged; the first one has sequence number #firstSeq. */
  readonly #events: LaEvent[] = []
  #firstSeq = 0
  /** Highest sequence number returned in a 200 batch; -1 before the first. */
  #maxDeliveredSeq = -1

  // ---- what the simulator reads ------------------------------------------------------------------------------

  get affinity(): string {
    return this.#affinity
  }
  /** ChasitorInit was accepted: the chat exists for the agent side. */
  get started(): boolean {
    return this.#started
  }
  get state(): ChatState {
    return this.#state
  }
  get ended(): boolean {
    return this.#state === 'ended'
  }
  /** Ended by an event the client still has to poll (ChatEnded, ChatRequestFail); other ends answer 403 at once. */
  get drainable(): boolean {
    return this.#drainable
  }
  get endedAt(): number | undefined {
    return this.#endedAt
  }
  get orgId(): string {
    return this.#orgId
  }
  get visitorName(): string {
    return this.#visitorName
  }
  get visitorId(): string {
    return this.#visitorId
  }
  get receiveQueueUpdates(): boolean {
    return this.#receiveQueueUpdates
  }
  get agent(): AgentIdentity | undefined {
    return this.#agent
  }
  get queuePosition(): number | undefined {
    return this.#queuePosition
  }
  get lastSequence(): number {
    return this.#lastSequence
  }
  get handoverPending(): boolean {
    return this.#handoverPending
  }
  get resyncPending(): boolean {
    return this.#resyncPending
  }
  get heldPoll(): HeldPoll | undefined {
    return this.#heldPoll
  }
  get lastPollEndAt(): number {
    return this.#lastPollEndAt
  }
  get maxDeliveredSeq(): number {
    return this.#maxDeliveredSeq
  }
  get transcript(): readonly TranscriptEntry[] {
    return this.#transcript
  }
  get nextSeq(): number {
    return this.#firstSeq + this.#events.length
  }
  get pendingEvents(): number {
    return this.#events.length
  }

  // ---- chat lifecycle ----------------------------------------------------------------------------------------

  /** ChasitorInit: the visitor requests a chat on a button. Happens once per session. */
  start(request: ChatStart): void {
    if (this.#started) throw new Error(`session ${this.id} has already started`)
    this.#started = true
    this.#orgId = request.orgId
    this.#buttonId = request.buttonId
    this.#visitorName = request.visitorName
    this.#visitorId = randomUUID()
    this.#receiveQueueUpdates = request.receiveQueueUpdates
  }

  /** Routing found an available target: the chat waits on this button at this queue position. */
  routeTo(buttonId: string, queuePosition: number): void {
    this.#buttonId = buttonId
    this.#queuePosition = queuePosition
  }

  /** The queue moved: position 0 waits for an agent, any other is queued. */
  moveInQueue(position: number): void {
    this.#queuePosition = position
    this.#state = position > 0 ? 'queued' : 'waiting'
  }

  /** An agent accepted: the chat is active and out of the queue. */
  acceptBy(agent: AgentIdentity): void {
    this.#agent = agent
    this.#state = 'active'
    this.#queuePosition = undefined
  }

  transferTo(agent: AgentIdentity): void {
    this.#agent = agent
  }

  /** drainable: the end travels as an event (ChatEnded, ChatRequestFail) that the client may still poll for. */
  end(reason: string, drainable: boolean): void {
    this.#state = 'ended'
    this.#drainable = drainable
    this.#endReason = reason
    this.#endedAt = Date.now()
    this.#visitorTyping = false
    this.#sneakPeek = undefined
  }

  // ---- what the visitor does ---------------------------------------------------------------------------------

  /** A visitor ChatMessage: it ends any typing and sneak peek. */
  visitorSaid(text: string): void {
    this.#visitorTyping = false
    this.#sneakPeek = undefined
    this.say('visitor', text)
  }

  /** A visitor ChatMessage answered 200 but lost (a 'drop' fault). */
  countDroppedMessage(): void {
    this.#droppedMessages++
  }

  setVisitorTyping(typing: boolean): void {
    this.#visitorTyping = typing
    if (!typing) this.#sneakPeek = undefined
  }

  /** ChasitorSneakPeek: the text being typed; an empty text means the visitor stopped typing. */
  setSneakPeek(text: string): void {
    this.#visitorTyping = text.length > 0
    this.#sneakPeek = text
  }

  say(from: Speaker, text: string): void {
    this.#transcript.push({ from, text, at: new Date().toISOString() })
  }

  // ---- sequence numbers (§5) ---------------------------------------------------------------------------------

  sequenceStanding(sequence: number): SequenceStanding {
    if (sequence <= this.#lastSequence) return 'repeat'
    return sequence === this.#lastSequence + 1 ? 'next' : 'gap'
  }

  /** The POST numbered `sequence` applies: only the next number can. */
  acceptSequence(sequence: number): void {
    if (this.sequenceStanding(sequence) !== 'next')
      throw new Error(`sequence ${sequence} is not the next after ${this.#lastSequence}`)
    this.#lastSequence = sequence
  }

  // ---- server hand-over (§4.5) -------------------------------------------------------------------------------

  affinityStanding(token: string | undefined): AffinityStanding {
    if (token === this.#affinity) return 'current'
    return token !== undefined && this.#formerAffinities.includes(token) ? 'former' : 'unknown'
  }

  /** The session moves to another server: a new affinity token, and 503 until ReconnectSession. False if it cannot. */
  startHandover(): boolean {
    if (this.ended || this.#handoverPending) return false
    this.#handoverPending = true
    this.#formerAffinities.push(this.#affinity)
    this.#affinity = newAffinityToken()
    return true
  }

  /** ReconnectSession: the sequence restarts at 1 and the session waits for ChasitorResyncState. */
  reconnect(): ReconnectOutcome {
    if (this.#handoverPending) {
      this.#handoverPending = false
      this.#resyncPending = true
      this.#lastSequence = 0
      return 'reconnected'
    }
    if (!this.#resyncPending) return 'nothing-pending'
    this.#lastSequence = 0
    return 'repeated'
  }

  /** ChasitorResyncState: the hand-over is over. */
  finishResync(): void {
    this.#resyncPending = false
  }

  // ---- events and acks (§4) ----------------------------------------------------------------------------------

  append(type: string, message: Record<string, unknown>): number {
    this.#events.push({ type, message })
    return this.nextSeq - 1
  }

  /** Drops every event the client acknowledged (seq ≤ ack). */
  acknowledge(ack: number): void {
    const count = Math.min(ack + 1 - this.#firstSeq, this.#events.length)
    if (count <= 0) return
    this.#events.splice(0, count)
    this.#firstSeq += count
  }

  /** Every event with seq > ack, as one batch (counted as delivered); undefined when there is none. */
  batchAfter(ack: number): Batch | undefined {
    const start = Math.max(0, ack + 1 - this.#firstSeq)
    if (start >= this.#events.length) return undefined
    const sequence = this.nextSeq - 1
    if (sequence > this.#maxDeliveredSeq) this.#maxDeliveredSeq = sequence
    return { messages: this.#events.slice(start), sequence, offset: this.offsetForSeq(sequence) }
  }

  offsetForSeq(seq: number): number {
    return this.offsetBase + seq
  }

  // ---- the held poll -----------------------------------------------------------------------------------------

  hold(poll: HeldPoll): void {
    if (this.#heldPoll) throw new Error(`session ${this.id} already holds a poll`)
    this.#heldPoll = poll
  }

  /** Lets go of the held poll (answered, aborted or dropped); the expiry clock restarts now. */
  release(): HeldPoll | undefined {
    const held = this.#heldPoll
    if (!held) return undefined
    this.#heldPoll = undefined
    this.#lastPollEndAt = Date.now()
    return held
  }

  // ---- what the admin API records ----------------------------------------------------------------------------

  recordPoll(ack: number | null, pc: number | undefined): void {
    pushBounded(this.#acks, ack)
    if (pc !== undefined) pushBounded(this.#pcs, pc)
  }

  recordSequence(sequence: number): void {
    pushBounded(this.#sequences, sequence)
  }

  toView(): ChatView {
    return {
      id: this.id,
      key: this.key,
      state: this.#state,
      buttonId: this.#buttonId,
      visitorName: this.#visitorName,
      ...(this.#agent ? { agent: this.#agent.name, agentId: this.#agent.userId } : {}),
      ...(this.#queuePosition !== undefined ? { queuePosition: this.#queuePosition } : {}),
      transcript: this.#transcript.map((entry) => ({ ...entry })),
      acks: [...this.#acks],
      pcs: [...this.#pcs],
      sequences: [...this.#sequences],
      ...(this.#endReason !== undefined ? { endReason: this.#endReason } : {}),
      createdAt: new Date(this.createdAt).toISOString(),
      ...(this.#endedAt !== undefined ? { endedAt: new Date(this.#endedAt).toISOString() } : {}),
      visitorTyping: this.#visitorTyping,
      ...(this.#sneakPeek !== undefined ? { sneakPeek: this.#sneakPeek } : {}),
      affinityToken: this.#affinity,
      lastSequence: this.#lastSequence,
      pollOpen: this.#heldPoll !== undefined,
      pendingEvents: this.#events.length,
      handoverPending: this.#handoverPending,
      droppedMessages: this.#droppedMessages,
    }
  }
}
