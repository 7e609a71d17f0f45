import type { Logger } from 'pino'
import type { ChatView } from './chat-view.js'
import type {
  Admission,
  ChasitorInitRequest,
  ChasitorRequest,
  MessagesQuery,
  ReconnectRequest,
  SessionAdmission,
  SessionCredentials,
  SessionNeed,
  TransportFault,
  VisitorAction,
} from './chasitor-requests.js'
import { ID_SHAPES, type ResolvedOptions } from './config.js'
import { AdminError, ProtocolError } from './errors.js'
import { FaultPlan } from './faults.js'
import { agentUserId } from './ids.js'
import { LongPollBroker } from './long-poll.js'
import { parseInteger } from './parse-integer.js'
import {
  BODY,
  HEADER,
  MAX_API_VERSION,
  MIN_API_VERSION,
  NOUNS_NEEDING_AGENT,
  NULL_AFFINITY,
  RECONNECT_MIN_API_VERSION,
  VISITOR_NOUNS,
  type Resource,
} from './protocol.js'
import { isRoutingTarget, Routing } from './routing.js'
import { createScenario, type AgentDesk, type Scenario } from './scenarios.js'
import { Scheduler } from './scheduler.js'
import { chasitorSessionData, chatRequestSuccess, ESTIMATED_WAIT_PER_POSITION_S } from './server-events.js'
import { SimulatedChat, type PollReply } from './simulated-chat.js'
import { Stats } from './stats.js'

export type { ChasitorInitRequest } from './chasitor-requests.js'

/** 'chat': something an agent would see changed; 'poll': only protocol bookkeeping (acks, pcs, sequences). */
export type ChangeKind = 'chat' | 'poll'
export type ChangeListener = (session: SimulatedChat, kind: ChangeKind) => void

const DEFAULT_WAIT_FOR_CHAT_MS = 5000
/** Ended sessions are forgotten after this long (their key then answers 403, as it did while they were kept). */
const ENDED_RETENTION_MS = 10 * 60_000
const SWEEP_MIN_MS = 10
const SWEEP_MAX_MS = 1000
const SWEEPS_PER_TIMEOUT = 4

/** The POSTs that carry X-LIVEAGENT-SEQUENCE (§5); only those, ChasitorInit aside, can be dropped by a fault. */
const SEQUENCED_RESOURCES: ReadonlySet<string> = new Set<string>([...VISITOR_NOUNS, 'ChasitorInit', 'MultiNoun'])

/**
 * The simulated Live Agent org: sessions, routing, agents, faults and counters, and every protocol rule a visitor
 * request meets (headers, session, affinity, sequence, ack, hand-over). Transport-free: the HTTP layer turns
 * requests into these calls and their ProtocolErrors into answers; the admin handle and console call the agent side.
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
  private readonly routing: Routing
  private readonly sweeper: NodeJS.Timeout
  private closed = false

  constructor(
    readonly options: ResolvedOptions,
    readonly log: Logger
  ) {
    this.polls = new LongPollBroker(options.holdMs, (session) => this.changed(session, 'poll'))
    this.scenario = createScenario(options.scenario, this, options)
    this.routing = new Routing(options.buttonId, this.scenario.routesChats)
    const sweepEvery = Math.min(
      SWEEP_MAX_MS,
      Math.max(SWEEP_MIN_MS, Math.floor(options.sessionTimeoutMs / SWEEPS_PER_TIMEOUT))
    )
    this.sweeper = setInterval(() => this.sweep(), sweepEvery)
    this.sweeper.unref()
  }

  // ---- sessions ------------------------------------------------------------------------------------------

  find(id: string): SimulatedChat | undefined {
    return this.sessions.get(id)
  }

  chats(): ChatView[] {
    const views: ChatView[] = []
    for (const session of this.sessions.values()) if (session.started) views.push(session.toView())
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
        if (!session.started) return
        const view = session.toView()
        if (!predicate(view)) return
        stop()
        resolve(view)
      })
      this.waiters.add(waiter)
    })
  }

  // ---- admission: what every chasitor request goes through first (§8) ------------------------------------

  /** A request without a session (Visitor/*, SessionId): the API version is checked and a fault may apply. */
  admit(request: ChasitorRequest): Admission {
    const version = this.checkVersion(request)
    return { version, fault: this.takeFault(request.resource, undefined) }
  }

  /** A request of a session: also its key, whether it may still be used, the hand-over and the affinity token. */
  admitSession(request: ChasitorRequest, need: SessionNeed): SessionAdmission {
    const { resource } = request
    const version = this.checkVersion(request)
    const session = request.sessionKey === undefined ? undefined : this.byKey.get(request.sessionKey)
    if (!session) {
      const which = request.sessionKey === undefined ? 'no' : 'an unknown'
      this.stats.violation('unknown-session', `${resource} with ${which} session key`)
      throw new ProtocolError(403, BODY.invalidSession)
    }
    if (session.ended && need === 'required') throw new ProtocolError(403, BODY.invalidSession)
    if (resource !== 'ReconnectSession') {
      if (session.handoverPending) throw new ProtocolError(503, BODY.handover)
      this.checkAffinity(session, request.affinity, resource)
    }
    return { session, version, fault: this.takeFault(resource, session) }
  }

  private checkVersion(request: ChasitorRequest): number {
    this.stats.countRequest(request.resource)
    if (request.apiVersion === undefined) {
      this.stats.violation('missing-api-version', `${request.resource} without ${HEADER.apiVersion}`)
      throw new ProtocolError(400, BODY.missingVersion)
    }
    const version = parseInteger(request.apiVersion)
    if (version === undefined || version < MIN_API_VERSION || version > MAX_API_VERSION)
      throw new ProtocolError(400, BODY.badVersion)
    return version
  }

  private checkAffinity(session: SimulatedChat, affinity: string | undefined, resource: Resource): void {
    switch (session.affinityStanding(affinity)) {
      case 'current':
        return
      case 'former':
        this.stats.violation(
          'stale-affinity',
          `${resource} with the affinity token used before a hand-over`,
          session.id
        )
        throw new ProtocolError(503, BODY.handover)
      case 'unknown':
        this.stats.violation('wrong-affinity', `${resource} with affinity ${affinity ?? '(none)'}`, session.id)
        throw new ProtocolError(403, BODY.invalidSession)
    }
  }

  /** The armed fault this request suffers: the simulator acts out 500s and hand-overs, the transport the rest. */
  private takeFault(resource: Resource, session: SimulatedChat | undefined): TransportFault | undefined {
    const fault = this.faults.take({
      resource,
      sessionId: session?.id,
      droppable: SEQUENCED_RESOURCES.has(resource) && resource !== 'ChasitorInit',
      handoverable: session !== undefined && !session.ended && resource !== 'ReconnectSession',
    })
    if (!fault) return undefined
    this.log.info({ resource, sessionId: session?.id, kind: fault.kind }, 'fault injected')
    switch (fault.kind) {
      case 'error500':
        throw new ProtocolError(500, BODY.injected500)
      case 'handover':
        this.startHandover(session!)
        throw new ProtocolError(503, BODY.handover)
      case 'delay':
        return { kind: 'delay', delayMs: fault.delayMs ?? 0 }
      case 'reset':
      case 'drop':
        return { kind: fault.kind }
    }
  }

  // ---- visitor side: sessions ----------------------------------------------------------------------------

  /** SessionId: a new session, its key and affinity token. */
  openSession(): SessionCredentials {
    const session = new SimulatedChat()
    this.sessions.set(session.id, session)
    this.byKey.set(session.key, session)
    this.changed(session, 'poll')
    return {
      id: session.id,
      key: session.key,
      affinityToken: session.affinity,
      clientPollTimeout: this.options.clientPollTimeout,
    }
  }

  /** DELETE SessionId/{key}: the visitor ends the session; an unknown or ended one answers 403. */
  deleteSession(key: string): void {
    const session = this.byKey.get(key)
    if (!session || session.ended) throw new ProtocolError(403, BODY.invalidSession)
    this.end(session, 'deleted', 'The visitor deleted the session')
  }

  /** Visitor/* resources name the org and deployment in their query (§3.7). */
  checkDeployment(orgId: string | undefined, deploymentId: string | undefined): void {
    if (orgId !== this.options.orgId) throw new ProtocolError(400, 'Bad Request: unknown or missing org_id')
    if (deploymentId !== this.options.deploymentId)
      throw new ProtocolError(400, 'Bad Request: unknown or missing deployment_id')
  }

  // ---- visitor side: sequenced POSTs (§5) ----------------------------------------------------------------

  /** ChasitorInit: checked before its sequence number is consumed, then routed (or refused with ChatRequestFail). */
  chasitorInit(session: SimulatedChat, request: ChasitorInitRequest, sequence: string | undefined): void {
    this.checkInit(session, request)
    this.sequenced(session, sequence, ['ChasitorInit'], () => this.init(session, request))
  }

  /** One visitor noun. dropped: a 'drop' fault swallows a ChatMessage (answered 200, never seen by the agent). */
  visitorPost(session: SimulatedChat, action: VisitorAction, sequence: string | undefined, dropped = false): void {
    this.sequenced(session, sequence, [action.noun], () => this.applyVisitorAction(session, action, dropped))
  }

  /** A MultiNoun: several visitor nouns under one sequence number; those after a ChatEnd do not apply. */
  multiNoun(
    session: SimulatedChat,
    actions: readonly VisitorAction[],
    sequence: string | undefined,
    dropped = false
  ): void {
    this.sequenced(
      session,
      sequence,
      actions.map((action) => action.noun),
      () => {
        for (const action of actions) if (!session.ended) this.applyVisitorAction(session, action, dropped)
      }
    )
  }

  /** §5: the sequence number makes POSTs idempotent; a gap is refused; nothing applies before ChatEstablished. */
  private sequenced(
    session: SimulatedChat,
    raw: string | undefined,
    nouns: readonly string[],
    apply: () => void
  ): void {
    if (raw === undefined) {
      if (!this.options.lenient) {
        this.stats.violation('missing-sequence', `${nouns.join('+')} without ${HEADER.sequence}`, session.id)
        this.conflict(BODY.outOfSync(null, session.lastSequence))
      }
      this.requireAgent(session, nouns)
      apply()
      return
    }
    const sequence = parseInteger(raw)
    if (sequence === undefined || sequence < 1)
      throw new ProtocolError(400, `Bad Request: ${HEADER.sequence} must be a positive integer`)
    session.recordSequence(sequence)
    this.changed(session, 'poll')
    const standing = session.sequenceStanding(sequence)
    if (standing === 'repeat') return // a retry: already applied
    if (standing === 'gap') {
      const expected = session.lastSequence + 1
      this.stats.violation(
        'sequence-gap',
        `${nouns.join('+')} with sequence ${sequence}, expected ${expected}`,
        session.id
      )
      this.conflict(BODY.outOfSync(sequence, session.lastSequence))
    }
    this.requireAgent(session, nouns)
    if (session.resyncPending)
      this.stats.violation('post-before-resync', `${nouns.join('+')} before ChasitorResyncState`, session.id)
    session.acceptSequence(sequence)
    apply()
  }

  private requireAgent(session: SimulatedChat, nouns: readonly string[]): void {
    if (session.state === 'active' || !nouns.some((noun) => NOUNS_NEEDING_AGENT.has(noun))) return
    this.stats.violation('post-before-established', `${nouns.join('+')} before ChatEstablished`, session.id)
    throw new ProtocolError(500, BODY.notEstablished)
  }

  private conflict(body: string): never {
    this.stats.countConflict()
    throw new ProtocolError(409, body)
  }

  /** Refuses a ChasitorInit for the wrong org, deployment or session (400) before its sequence number is consumed. */
  private checkInit(session: SimulatedChat, request: ChasitorInitRequest): void {
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

  private init(session: SimulatedChat, request: ChasitorInitRequest): void {
    if (session.started) {
      this.stats.violation('repeated-init', 'a second ChasitorInit with a new sequence number', session.id)
      return
    }
    session.start({
      orgId: request.organizationId,
      buttonId: request.buttonId,
      visitorName: request.visitorName ?? '',
      receiveQueueUpdates: request.receiveQueueUpdates ?? false,
    })
    const routedTo = this.routing.route(request)
    if (!routedTo) {
      session.append('ChatRequestFail', { reason: 'Unavailable', postChatUrl: '', attachedRecords: [] })
      this.end(session, 'unavailable', 'No agent was available: ChatRequestFail Unavailable', true)
      return
    }
    session.routeTo(routedTo, this.scenario.initialQueuePosition)
    session.append('ChatRequestSuccess', chatRequestSuccess(session, request, this.options.sessionTimeoutMs))
    session.say('system', `${session.visitorName || 'A visitor'} requested a chat`)
    this.afterEvent(session)
    this.scenario.onChatRequested(session.id)
  }

  private applyVisitorAction(session: SimulatedChat, action: VisitorAction, dropped: boolean): void {
    switch (action.noun) {
      case 'ChatMessage':
        if (dropped) this.dropVisitorMessage(session, action.text)
        else this.visitorMessage(session, action.text)
        return
      case 'ChasitorTyping':
      case 'ChasitorNotTyping':
        session.setVisitorTyping(action.noun === 'ChasitorTyping')
        this.changed(session)
        return
      case 'ChasitorSneakPeek':
        session.setSneakPeek(action.text)
        this.changed(session)
        return
      case 'ChatEnd':
        this.end(session, action.reason, 'The visitor ended the chat')
        return
      case 'CustomEvent':
        session.say('system', `Visitor sent custom event ${action.type}${action.data ? `: ${action.data}` : ''}`)
        this.changed(session)
        return
      case 'ChasitorIdleTimeoutWarningEvent':
        session.say('system', `Visitor idle-timeout warning ${action.state}`)
        this.changed(session)
        return
    }
  }

  private visitorMessage(session: SimulatedChat, text: string): void {
    session.visitorSaid(text)
    this.changed(session)
    this.scenario.onVisitorMessage(session.id, text)
  }

  /** A 'drop' fault: the ChatMessage was answered 200 but is lost, as IBM saw with fast sends. */
  private dropVisitorMessage(session: SimulatedChat, text: string): void {
    session.countDroppedMessage()
    this.log.info({ sessionId: session.id, text }, 'visitor message dropped by fault')
    this.changed(session)
  }

  // ---- visitor side: Messages polls (§4) -----------------------------------------------------------------

  /**
   * A Messages poll: acknowledges what the client confirms, then answers at once or holds the poll. A second poll
   * while one is held terminates the chat (409 to both); an ack beyond what was delivered counts as a violation.
   */
  pollMessages(session: SimulatedChat, query: MessagesQuery, reply: PollReply): void {
    if (session.ended && !session.drainable) throw new ProtocolError(403, BODY.invalidSession)
    if (session.heldPoll) {
      this.duplicatePoll(session)
      this.conflict(BODY.duplicatePoll)
    }
    let ack = parseInteger(query.ack)
    if (query.ack === undefined) {
      if (!this.options.lenient) {
        this.stats.violation('missing-ack', 'Messages without the ack query parameter', session.id)
        throw new ProtocolError(400, 'Bad Request: Messages requires the ack query parameter')
      }
      ack = session.maxDeliveredSeq // lenient: acknowledge everything already delivered (§4.3)
    } else if (ack === undefined || ack < -1) {
      throw new ProtocolError(400, 'Bad Request: ack must be an integer of -1 or more')
    }
    if (ack > session.maxDeliveredSeq) {
      const detail = `ack=${ack} but the last sequence delivered is ${session.maxDeliveredSeq}`
      this.stats.violation('ack-ahead', detail, session.id)
      ack = session.maxDeliveredSeq
    }
    session.recordPoll(query.ack === undefined ? null : ack, parseInteger(query.pc))
    session.acknowledge(ack)
    this.polls.open(session, reply, ack)
  }

  /** Two Messages polls at once: like Salesforce, answer both 409 and terminate the chat. */
  private duplicatePoll(session: SimulatedChat): void {
    this.stats.violation('concurrent-poll', 'a second Messages request arrived while one was open', session.id)
    if (this.polls.fail(session, 409, BODY.duplicatePoll)) this.stats.countConflict()
    this.end(session, 'duplicatePoll', 'The chat was terminated: two Messages polls at once (409)')
  }

  // ---- visitor side: server hand-over (§4.5) -------------------------------------------------------------

  /** A simulated server hand-over: the affinity token changes and every request answers 503 until ReconnectSession. */
  startHandover(session: SimulatedChat): void {
    if (!session.startHandover()) return
    this.polls.fail(session, 503, BODY.handover)
    session.say('system', 'Server hand-over: the session moved (503 until ReconnectSession)')
    this.changed(session)
  }

  /**
   * ReconnectSession: returns the new affinity token; ChasitorSessionData becomes the next event. Allowed on a chat
   * the agent ended during the hand-over (its ChatEnded can only be read once the hand-over is finished).
   */
  reconnect(session: SimulatedChat, request: ReconnectRequest): string {
    if (request.version < RECONNECT_MIN_API_VERSION) throw new ProtocolError(404, BODY.notFound)
    if (session.ended && !session.drainable) throw new ProtocolError(403, BODY.invalidSession)
    if (request.affinity !== NULL_AFFINITY) {
      const detail = `ReconnectSession with affinity ${request.affinity ?? '(none)'}`
      this.stats.violation('reconnect-affinity', detail, session.id)
    }
    const offset = parseInteger(request.offset)
    const deliveredOffset = session.maxDeliveredSeq >= 0 ? session.offsetForSeq(session.maxDeliveredSeq) : 0
    const outcome = session.reconnect()
    switch (outcome) {
      case 'reconnected':
        if (offset === undefined || offset < 0 || offset > deliveredOffset)
          this.stats.violation(
            'reconnect-offset',
            `ReconnectSession.offset=${offset ?? 'missing'}, last offset delivered ${deliveredOffset}`,
            session.id
          )
        session.append('ChasitorSessionData', chasitorSessionData(session))
        session.say('system', 'The visitor reconnected after the hand-over')
        this.afterEvent(session)
        return session.affinity
      // The hand-over is finished only by ChasitorResyncState (Chat REST API Developer Guide, ReconnectSession);
      // until then a repeat, sent by a client whose answer was lost (timeout, crash), gets the same new token, as a
      // GET must be safe to repeat (RFC 9110 §9.2.2) and the guide says to retry a request that got no answer
      // (Messages, troubleshooting).
      case 'repeated':
        session.say('system', 'ReconnectSession repeated before ChasitorResyncState: same token')
        return session.affinity
      // With no hand-over under way it is 405, as IBM's client saw.
      case 'nothing-pending':
        throw new ProtocolError(405, BODY.noHandover)
    }
  }

  resyncState(session: SimulatedChat, organizationId: string): void {
    if (organizationId !== session.orgId && organizationId !== this.options.orgId)
      throw new ProtocolError(400, `Bad Request: organizationId ${organizationId} is not this org`)
    session.finishResync()
    this.changed(session, 'poll')
  }

  // ---- agent side (admin handle, console, scripted agents) ----------------------------------------------

  accept(id: string, opts: { agentName?: string } = {}): void {
    const session = this.requireChat(id, ['waiting', 'queued'], 'accept')
    const name = opts.agentName ?? this.options.agentName
    const agent = { name, userId: agentUserId(name) }
    session.acceptBy(agent)
    this.scheduler.cancel(id) // pending queue steps of a scripted agent
    session.append('ChatEstablished', {
      name,
      userId: agent.userId,
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
    session.moveInQueue(position)
    // §6: QueueUpdate events are only sent to visitors who asked for them.
    if (session.receiveQueueUpdates)
      session.append('QueueUpdate', { position, estimatedWaitTime: position * ESTIMATED_WAIT_PER_POSITION_S })
    this.afterEvent(session)
  }

  transfer(id: string, agentName: string): void {
    const session = this.requireChat(id, ['active'], 'transfer')
    const from = session.agent?.name ?? 'the agent'
    const agent = { name: agentName, userId: agentUserId(agentName) }
    session.transferTo(agent)
    session.append('ChatTransferred', {
      name: agentName,
      userId: agent.userId,
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
    this.routing.setAvailability(available, buttonId)
  }

  isAvailable(id: string): boolean {
    return this.routing.isAvailable(id)
  }

  knownButtons(): string[] {
    return this.routing.knownButtons()
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
    this.routing.reset()
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

  private requireChat(id: string, states: SimulatedChat['state'][], action: string): SimulatedChat {
    const session = this.sessions.get(id)
    if (!session || !session.started) throw new AdminError(404, `No chat with id ${id}`)
    if (!states.includes(session.state))
      throw new AdminError(409, `Cannot ${action} chat ${id}: it is ${session.state}`)
    return session
  }

  /** drainable: the end travels as an event (ChatEnded, ChatRequestFail) that the client may still poll for. */
  private end(session: SimulatedChat, reason: string, text: string, drainable = false): void {
    session.end(reason, drainable)
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
