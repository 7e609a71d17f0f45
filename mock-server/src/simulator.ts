import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { ID_SHAPES, type ResolvedOptions } from './config.js'
import { AdminError, ProtocolError } from './errors.js'
import { FaultPlan } from './faults.js'
import { agentUserId } from './ids.js'
import { LongPollBroker } from './long-poll.js'
import { BODY } from './protocol.js'
import { createScenario, type AgentDesk, type Scenario } from './scenarios.js'
import { Scheduler } from './scheduler.js'
import type { ChatView } from './chat-view.js'
import { SimulatedChat } from './simulated-chat.js'
import { Stats } from './stats.js'

/** 'chat': something an agent would see changed; 'poll': only protocol bookkeeping (acks, pcs, sequences). */
export type ChangeKind = 'chat' | 'poll'
export type ChangeListener = (session: SimulatedChat, kind: ChangeKind) => void

export interface ChasitorInitRequest {
  organizationId: string
  deploymentId: string
  buttonId: string
  sessionId: string
  visitorName?: string | undefined
  agentId?: string | undefined
  doFallback?: boolean | undefined
  buttonOverrides?: string[] | undefined
  receiveQueueUpdates?: boolean | undefined
  prechatDetails?: { label: string; value: string; displayToAgent?: boolean | undefined }[] | undefined
}

const DEFAULT_WAIT_FOR_CHAT_MS = 5000
/** Ended sessions are forgotten after this long (their key then answers 403, as it did while they were kept). */
const ENDED_RETENTION_MS = 10 * 60_000
const SWEEP_MIN_MS = 10
const SWEEP_MAX_MS = 1000
const SWEEPS_PER_TIMEOUT = 4
const ESTIMATED_WAIT_PER_POSITION_S = 60
const SAMPLE_GEO = {
  organization: 'Mock ISP',
  countryName: 'France',
  countryCode: 'FR',
  city: 'Paris',
  latitude: 48.86,
  longitude: 2.35,
}

/** A buttonOverrides entry: `buttonId`, `agentId` or `agentId_buttonId` (§3.2). */
function isRoutingTarget(target: string): boolean {
  const [first = '', button, ...rest] = target.split('_')
  if (rest.length > 0) return false
  if (button !== undefined) return ID_SHAPES.agentId.test(first) && ID_SHAPES.buttonId.test(button)
  return ID_SHAPES.agentId.test(first) || ID_SHAPES.buttonId.test(first)
}

/**
 * The simulated Live Agent org: sessions, routing, agents, faults and counters. Transport-free: the HTTP
 * layer translates requests into these calls, and the admin handle and console call the agent side.
 */
export class Simulator implements AgentDesk {
  readonly stats = new Stats()
  readonly faults = new FaultPlan()
  readonly polls: LongPollBroker
  private readonly sessions = new Map<string, SimulatedChat>()
  private readonly byKey = new Map<string, SimulatedChat>()
  private readonly scheduler = new Scheduler()
  private readonly listeners = new Set<ChangeListener>()
  /** Pending waitForChat calls, rejected on close() so that no test hangs on a closed server. */
  private readonly waiters = new Set<{ fail: (error: Error) => void }>()
  private readonly pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>()
  private readonly scenario: Scenario
  private readonly sweeper: NodeJS.Timeout
  private globallyAvailable = true
  private readonly buttonAvailability = new Map<string, boolean>()
  private closed = false

  constructor(
    readonly options: ResolvedOptions,
    readonly log: Logger
  ) {
    this.polls = new LongPollBroker(options.holdMs, (session) => this.changed(session, 'poll'))
    this.scenario = createScenario(options.scenario, this, options)
    const sweepEvery = Math.min(
      SWEEP_MAX_MS,
      Math.max(SWEEP_MIN_MS, Math.floor(options.sessionTimeoutMs / SWEEPS_PER_TIMEOUT))
    )
    this.sweeper = setInterval(() => this.sweep(), sweepEvery)
    this.sweeper.unref()
  }

  // ---- sessions ------------------------------------------------------------------------------------------

  createSession(): SimulatedChat {
    const session = new SimulatedChat()
    this.sessions.set(session.id, session)
    this.byKey.set(session.key, session)
    return session
  }

  findByKey(key: string): SimulatedChat | undefined {
    return this.byKey.get(key)
  }

  find(id: string): SimulatedChat | undefined {
    return this.sessions.get(id)
  }

  chats(): ChatView[] {
    const views: ChatView[] = []
    for (const session of this.sessions.values()) if (session.initialized) views.push(session.toView())
    return views
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  changed(session: SimulatedChat, kind: ChangeKind = 'chat'): void {
    for (const listener of this.listeners) listener(session, kind)
  }

  waitForChat(predicate: (chat: ChatView) => boolean, timeoutMs = DEFAULT_WAIT_FOR_CHAT_MS): Promise<ChatView> {
    const match = this.chats().find(predicate)
    if (match) return Promise.resolve(match)
    if (this.closed) return Promise.reject(new Error('waitForChat: the mock server is closed'))
    return new Promise((resolve, reject) => {
      const waiter = {
        fail: (error: Error): void => {
          stop()
          reject(error)
        },
      }
      const stop = (): void => {
        clearTimeout(timer)
        unsubscribe()
        this.waiters.delete(waiter)
      }
      const timer = setTimeout(
        () => waiter.fail(new Error(`waitForChat: no chat matched within ${timeoutMs} ms`)),
        timeoutMs
      )
      const unsubscribe = this.onChange((session) => {
        if (!session.initialized) return
        const view = session.toView()
        if (!predicate(view)) return
        stop()
        resolve(view)
      })
      this.waiters.add(waiter)
    })
  }

  // ---- visitor side (called by the chasitor routes) ------------------------------------------------------

  /** Refuses a ChasitorInit for the wrong org, deployment or session (400) before its sequence number is consumed. */
  checkInit(session: SimulatedChat, request: ChasitorInitRequest): void {
    const { orgId, deploymentId } = this.options
    if (!ID_SHAPES.orgId.test(request.organizationId) || !ID_SHAPES.deploymentId.test(request.deploymentId))
      throw new ProtocolError(400, 'Bad Request: organizationId must start with 00D and deploymentId with 572')
    if (request.organizationId !== orgId)
      throw new ProtocolError(400, `Bad Request: organizationId ${request.organizationId} is not this org (${orgId})`)
    if (request.deploymentId !== deploymentId)
      throw new ProtocolError(400, `Bad Request: deploymentId ${request.deploymentId} is not a deployment of this org`)
    if (request.sessionId !== session.id)
      throw new ProtocolError(400, 'Bad Request: sessionId does not match the session of X-LIVEAGENT-SESSION-KEY')
    if (!ID_SHAPES.buttonId.test(request.buttonId))
      throw new ProtocolError(400, `Bad Request: buttonId ${request.buttonId} is not a button id (573…)`)
    if (request.agentId && !ID_SHAPES.agentId.test(request.agentId))
      throw new ProtocolError(400, `Bad Request: agentId ${request.agentId} is not a user id (005…)`)
    for (const target of request.buttonOverrides ?? [])
      if (!isRoutingTarget(target))
        throw new ProtocolError(
          400,
          `Bad Request: buttonOverrides entry ${target} is not buttonId, agentId or agentId_buttonId`
        )
  }

  init(session: SimulatedChat, request: ChasitorInitRequest): void {
    if (session.initialized) {
      this.stats.violation('repeated-init', 'a second ChasitorInit with a new sequence number', session.id)
      return
    }
    session.initialized = true
    session.orgId = request.organizationId
    session.visitorName = request.visitorName ?? ''
    session.visitorId = randomUUID()
    session.receiveQueueUpdates = request.receiveQueueUpdates ?? false
    session.buttonId = request.buttonId
    const routedTo = this.scenario.routesChats ? this.route(request) : undefined
    if (!routedTo) {
      session.append('ChatRequestFail', { reason: 'Unavailable', postChatUrl: '', attachedRecords: [] })
      this.end(session, 'unavailable', 'No agent was available: ChatRequestFail Unavailable', true)
      return
    }
    session.buttonId = routedTo
    session.queuePosition = this.scenario.initialQueuePosition
    session.append('ChatRequestSuccess', {
      queuePosition: session.queuePosition,
      estimatedWaitTime: session.queuePosition * ESTIMATED_WAIT_PER_POSITION_S,
      geoLocation: SAMPLE_GEO,
      url: '',
      oref: '',
      postChatUrl: '',
      customDetails: (request.prechatDetails ?? []).filter((d) => d.displayToAgent !== false),
      visitorId: session.visitorId,
      connectionTimeout: this.options.sessionTimeoutMs,
      sensitiveDataRules: [],
      transcriptSaveEnabled: false,
    })
    session.say('system', `${session.visitorName || 'A visitor'} requested a chat`)
    this.afterEvent(session)
    this.scenario.onChatRequested(session.id)
  }

  visitorMessage(session: SimulatedChat, text: string): void {
    session.visitorTyping = false
    session.sneakPeek = undefined
    session.say('visitor', text)
    this.changed(session)
    this.scenario.onVisitorMessage(session.id, text)
  }

  /** A 'drop' fault: the ChatMessage was answered 200 but is lost, as IBM saw with fast sends. */
  dropVisitorMessage(session: SimulatedChat, text: string): void {
    session.droppedMessages++
    this.log.info({ sessionId: session.id, text }, 'visitor message dropped by fault')
    this.changed(session)
  }

  visitorTyping(session: SimulatedChat, typing: boolean): void {
    session.visitorTyping = typing
    if (!typing) session.sneakPeek = undefined
    this.changed(session)
  }

  sneakPeek(session: SimulatedChat, text: string): void {
    session.visitorTyping = text.length > 0
    session.sneakPeek = text
    this.changed(session)
  }

  customEvent(session: SimulatedChat, type: string, data: string): void {
    session.say('system', `Visitor sent custom event ${type}${data ? `: ${data}` : ''}`)
    this.changed(session)
  }

  idleWarning(session: SimulatedChat, state: string): void {
    session.say('system', `Visitor idle-timeout warning ${state}`)
    this.changed(session)
  }

  visitorEnd(session: SimulatedChat, reason: string): void {
    this.end(session, reason, 'The visitor ended the chat')
  }

  deleteSession(session: SimulatedChat): void {
    if (!session.ended) this.end(session, 'deleted', 'The visitor deleted the session')
  }

  resyncState(session: SimulatedChat, organizationId: string): void {
    if (organizationId !== session.orgId && organizationId !== this.options.orgId)
      throw new ProtocolError(400, `Bad Request: organizationId ${organizationId} is not this org`)
    session.resyncPending = false
    this.changed(session, 'poll')
  }

  /** A simulated server hand-over: the affinity token changes and every request answers 503 until ReconnectSession. */
  startHandover(session: SimulatedChat): void {
    if (session.ended || session.handoverPending) return
    session.handoverPending = true
    session.rotateAffinity()
    this.polls.fail(session, 503, BODY.handover)
    session.say('system', 'Server hand-over: the session moved (503 until ReconnectSession)')
    this.changed(session)
  }

  /** ReconnectSession: returns the new affinity token; ChasitorSessionData becomes the next event. */
  reconnect(session: SimulatedChat, offset: number | undefined): string {
    if (!session.handoverPending) return this.reconnectAgain(session)
    const deliveredOffset = session.maxDeliveredSeq >= 0 ? session.offsetForSeq(session.maxDeliveredSeq) : 0
    if (offset === undefined || offset < 0 || offset > deliveredOffset)
      this.stats.violation(
        'reconnect-offset',
        `ReconnectSession.offset=${offset ?? 'missing'}, last offset delivered ${deliveredOffset}`,
        session.id
      )
    session.handoverPending = false
    session.resyncPending = true
    session.lastSequence = 0
    session.append('ChasitorSessionData', {
      queuePosition: session.state === 'active' ? 0 : (session.queuePosition ?? 0),
      geoLocation: SAMPLE_GEO,
      url: '',
      oref: '',
      postChatUrl: '',
      sneakPeekEnabled: true,
      chatMessages: session.transcript
        .filter((entry) => entry.from !== 'system')
        .map((entry, index) => ({
          type: entry.from === 'agent' ? 'Agent' : 'Chasitor',
          name: entry.from === 'agent' ? (session.agent?.name ?? '') : session.visitorName,
          content: entry.text,
          timestamp: Date.parse(entry.at),
          sequence: index,
        })),
    })
    session.say('system', 'The visitor reconnected after the hand-over')
    this.afterEvent(session)
    return session.affinity
  }

  /**
   * A repeated ReconnectSession. The hand-over is finished only by ChasitorResyncState (Chat REST API Developer
   * Guide, ReconnectSession); until then a repeat, sent by a client whose answer was lost (timeout, crash), gets
   * the same new token, as a GET must be safe to repeat (RFC 9110 §9.2.2) and the guide says to retry a request
   * that got no answer (Messages, troubleshooting). With no hand-over under way it is 405, as IBM's client saw.
   */
  private reconnectAgain(session: SimulatedChat): string {
    if (!session.resyncPending) throw new ProtocolError(405, BODY.noHandover)
    session.lastSequence = 0
    session.say('system', 'ReconnectSession repeated before ChasitorResyncState: same token')
    return session.affinity
  }

  /** Two Messages polls at once: like Salesforce, answer both 409 and terminate the chat. */
  duplicatePoll(session: SimulatedChat): void {
    this.stats.violation('concurrent-poll', 'a second Messages request arrived while one was open', session.id)
    if (this.polls.fail(session, 409, BODY.duplicatePoll)) this.stats.countConflict()
    this.end(session, 'duplicatePoll', 'The chat was terminated: two Messages polls at once (409)')
  }

  // ---- agent side (admin handle, console, scripted agents) ----------------------------------------------

  accept(id: string, opts: { agentName?: string } = {}): void {
    const session = this.requireChat(id, ['waiting', 'queued'], 'accept')
    const name = opts.agentName ?? this.options.agentName
    session.agent = { name, userId: agentUserId(name) }
    session.state = 'active'
    session.queuePosition = undefined
    this.scheduler.cancel(id) // pending queue steps of a scripted agent
    session.append('ChatEstablished', {
      name,
      userId: session.agent.userId,
      sneakPeekEnabled: true,
      chasitorIdleTimeout: { isEnabled: false },
      items: [],
    })
    session.say('system', `${name} accepted the chat`)
    this.afterEvent(session)
  }

  agentMessage(id: string, text: string): void {
    const session = this.requireChat(id, ['active'], 'send a message to')
    const agent = session.agent!
    session.append('ChatMessage', {
      name: agent.name,
      text,
      agentId: agent.userId,
      schedule: { responseDelayMilliseconds: 0 },
    })
    session.say('agent', text)
    this.afterEvent(session)
  }

  agentTyping(id: string, typing: boolean): void {
    const session = this.requireChat(id, ['active'], 'show typing in')
    const agent = session.agent!
    session.append(typing ? 'AgentTyping' : 'AgentNotTyping', { name: agent.name, agentId: agent.userId })
    this.afterEvent(session)
  }

  queueUpdate(id: string, position: number): void {
    if (!Number.isInteger(position) || position < 0)
      throw new AdminError(400, 'position must be an integer of 0 or more')
    const session = this.requireChat(id, ['waiting', 'queued'], 'update the queue position of')
    session.queuePosition = position
    session.state = position > 0 ? 'queued' : 'waiting'
    // §6: QueueUpdate events are only sent to visitors who asked for them.
    if (session.receiveQueueUpdates)
      session.append('QueueUpdate', { position, estimatedWaitTime: position * ESTIMATED_WAIT_PER_POSITION_S })
    this.afterEvent(session)
  }

  transfer(id: string, agentName: string): void {
    const session = this.requireChat(id, ['active'], 'transfer')
    const from = session.agent?.name ?? 'the agent'
    session.agent = { name: agentName, userId: agentUserId(agentName) }
    session.append('ChatTransferred', {
      name: agentName,
      userId: session.agent.userId,
      sneakPeekEnabled: true,
      chasitorIdleTimeout: { isEnabled: false },
    })
    session.say('system', `${from} transferred the chat to ${agentName}`)
    this.afterEvent(session)
  }

  endChat(id: string, reason = 'agent'): void {
    const session = this.requireChat(id, ['waiting', 'queued', 'active'], 'end')
    session.append('ChatEnded', { reason, attachedRecords: [] })
    this.end(session, reason, `${session.agent?.name ?? 'The agent'} ended the chat (${reason})`, true)
  }

  expire(id: string): void {
    const session = this.sessions.get(id)
    if (!session) throw new AdminError(404, `No chat with id ${id}`)
    if (session.ended) throw new AdminError(409, `Chat ${id} has already ended`)
    this.expireSession(session)
  }

  setAvailability(available: boolean, buttonId?: string): void {
    if (buttonId === undefined) {
      this.globallyAvailable = available
      this.buttonAvailability.clear()
      return
    }
    if (!ID_SHAPES.buttonId.test(buttonId))
      throw new AdminError(400, 'buttonId must be 15 or 18 characters starting with 573')
    this.buttonAvailability.set(buttonId, available)
  }

  isAvailable(id: string): boolean {
    if (!this.scenario.routesChats) return false
    if (ID_SHAPES.agentId.test(id)) return this.globallyAvailable
    if (id === this.options.buttonId) return this.buttonAvailability.get(id) ?? this.globallyAvailable
    return this.buttonAvailability.get(id) ?? false
  }

  knownButtons(): string[] {
    return [...new Set([this.options.buttonId, ...this.buttonAvailability.keys()])]
  }

  later(id: string, delayMs: number, action: () => void): void {
    this.scheduler.after(id, delayMs, () => {
      try {
        action()
      } catch (error) {
        // A scripted agent lost a race (e.g. someone accepted in the console first): nothing to do.
        this.log.debug({ err: error, chatId: id }, 'scripted agent action skipped')
      }
    })
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------

  /** Waits ms (a 'delay' fault); resolves early when the server closes. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.pendingDelays.delete(entry)
          resolve()
        }, ms),
      }
      this.pendingDelays.add(entry)
    })
  }

  get isClosed(): boolean {
    return this.closed
  }

  reset(): void {
    this.scheduler.clear()
    for (const session of this.sessions.values()) this.polls.fail(session, 403, BODY.invalidSession)
    this.sessions.clear()
    this.byKey.clear()
    this.faults.clear()
    this.stats.reset()
    this.globallyAvailable = true
    this.buttonAvailability.clear()
  }

  close(): void {
    this.closed = true
    clearInterval(this.sweeper)
    this.scheduler.clear()
    for (const entry of this.pendingDelays) {
      clearTimeout(entry.timer)
      entry.resolve()
    }
    this.pendingDelays.clear()
    this.polls.destroyAll()
    for (const waiter of [...this.waiters]) waiter.fail(new Error('waitForChat: the mock server closed'))
    this.listeners.clear()
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private route(request: ChasitorInitRequest): string | undefined {
    const targets =
      request.buttonOverrides && request.buttonOverrides.length > 0
        ? request.buttonOverrides
        : request.agentId
          ? [request.doFallback ? `${request.agentId}_${request.buttonId}` : request.agentId]
          : [request.buttonId]
    // Salesforce assigns the chat to the first target with availability (§3.2).
    for (const target of targets) {
      const [first, button] = target.split('_')
      if (first === undefined) continue
      if (button !== undefined) {
        if (this.isAvailable(first)) return button
        if (this.isAvailable(button)) return button
      } else if (this.isAvailable(first)) {
        return ID_SHAPES.agentId.test(first) ? request.buttonId : first
      }
    }
    return undefined
  }

  private requireChat(id: string, states: SimulatedChat['state'][], action: string): SimulatedChat {
    const session = this.sessions.get(id)
    if (!session || !session.initialized) throw new AdminError(404, `No chat with id ${id}`)
    if (!states.includes(session.state))
      throw new AdminError(409, `Cannot ${action} chat ${id}: it is ${session.state}`)
    return session
  }

  /** drainable: the end travels as an event (ChatEnded, ChatRequestFail) that the client may still poll for. */
  private end(session: SimulatedChat, reason: string, text: string, drainable = false): void {
    session.state = 'ended'
    session.drainable = drainable
    session.endReason = reason
    session.endedAt = Date.now()
    session.visitorTyping = false
    session.sneakPeek = undefined
    this.scheduler.cancel(session.id)
    session.say('system', text)
    this.afterEvent(session)
  }

  private expireSession(session: SimulatedChat): void {
    this.polls.fail(session, 403, BODY.invalidSession)
    this.end(session, 'expired', 'The session expired: the visitor stopped polling')
  }

  private afterEvent(session: SimulatedChat): void {
    this.polls.wake(session)
    this.changed(session)
  }

  private sweep(): void {
    const now = Date.now()
    const idleDeadline = now - this.options.sessionTimeoutMs
    const forgetDeadline = now - ENDED_RETENTION_MS
    for (const session of this.sessions.values()) {
      if (session.ended) {
        if ((session.endedAt ?? now) < forgetDeadline && !session.heldPoll) {
          this.sessions.delete(session.id)
          this.byKey.delete(session.key)
        }
      } else if (!session.heldPoll && session.lastPollEndAt < idleDeadline) {
        this.expireSession(session)
      }
    }
  }
}
