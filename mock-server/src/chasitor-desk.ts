import type { Logger } from 'pino'
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
import { ProtocolError } from './errors.js'
import type { FaultPlan } from './faults.js'
import type { LongPollBroker } from './long-poll.js'
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
import { isRoutingTarget, type Routing } from './routing.js'
import type { Scenario } from './scenarios.js'
import { chasitorSessionData, chatRequestSuccess } from './server-events.js'
import { SimulatedChat, type PollReply } from './simulated-chat.js'
import type { ChangeKind } from './simulator.js'
import type { Stats } from './stats.js'

/** The POSTs that carry X-LIVEAGENT-SEQUENCE (§5); only those, ChasitorInit aside, can be dropped by a fault. */
const SEQUENCED_RESOURCES: ReadonlySet<string> = new Set<string>([...VISITOR_NOUNS, 'ChasitorInit', 'MultiNoun'])

/** What the chasitor side needs of the org it belongs to; the Simulator hands it over. */
export interface ChasitorOrg {
  readonly options: ResolvedOptions
  readonly log: Logger
  readonly stats: Stats
  readonly faults: FaultPlan
  readonly polls: LongPollBroker
  readonly routing: Routing
  readonly scenario: Scenario
  sessionByKey(key: string): SimulatedChat | undefined
  register(session: SimulatedChat): void
  changed(session: SimulatedChat, kind?: ChangeKind): void
  /** An event was appended: wake the held poll and tell the listeners. */
  afterEvent(session: SimulatedChat): void
  end(session: SimulatedChat, reason: string, text: string, drainable?: boolean): void
}

/**
 * The visitor (chasitor) side of the simulated org, and every protocol rule a visitor request meets: headers,
 * session, affinity, sequence numbers, acks, duplicate polls and the server hand-over. Transport-free: requests come
 * in as plain values, refusals leave as ProtocolErrors, held polls are answered through PollReply.
 */
export class ChasitorDesk {
  constructor(private readonly org: ChasitorOrg) {}

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
    const session = request.sessionKey === undefined ? undefined : this.org.sessionByKey(request.sessionKey)
    if (!session) {
      const which = request.sessionKey === undefined ? 'no' : 'an unknown'
      this.org.stats.violation('unknown-session', `${resource} with ${which} session key`)
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
    this.org.stats.countRequest(request.resource)
    if (request.apiVersion === undefined) {
      this.org.stats.violation('missing-api-version', `${request.resource} without ${HEADER.apiVersion}`)
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
        this.org.stats.violation(
          'stale-affinity',
          `${resource} with the affinity token used before a hand-over`,
          session.id
        )
        throw new ProtocolError(503, BODY.handover)
      case 'unknown':
        this.org.stats.violation('wrong-affinity', `${resource} with affinity ${affinity ?? '(none)'}`, session.id)
        throw new ProtocolError(403, BODY.invalidSession)
    }
  }

  /** The armed fault this request suffers: the simulator acts out 500s and hand-overs, the transport the rest. */
  private takeFault(resource: Resource, session: SimulatedChat | undefined): TransportFault | undefined {
    const fault = this.org.faults.take({
      resource,
      sessionId: session?.id,
      droppable: SEQUENCED_RESOURCES.has(resource) && resource !== 'ChasitorInit',
      handoverable: session !== undefined && !session.ended && resource !== 'ReconnectSession',
    })
    if (!fault) return undefined
    this.org.log.info({ resource, sessionId: session?.id, kind: fault.kind }, 'fault injected')
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
    this.org.register(session)
    this.org.changed(session, 'poll')
    return {
      id: session.id,
      key: session.key,
      affinityToken: session.affinity,
      clientPollTimeout: this.org.options.clientPollTimeout,
    }
  }

  /** DELETE SessionId/{key}: the visitor ends the session; an unknown or ended one answers 403. */
  deleteSession(key: string): void {
    const session = this.org.sessionByKey(key)
    if (!session || session.ended) throw new ProtocolError(403, BODY.invalidSession)
    this.org.end(session, 'deleted', 'The visitor deleted the session')
  }

  /** Visitor/* resources name the org and deployment in their query (§3.7). */
  checkDeployment(orgId: string | undefined, deploymentId: string | undefined): void {
    if (orgId !== this.org.options.orgId) throw new ProtocolError(400, 'Bad Request: unknown or missing org_id')
    if (deploymentId !== this.org.options.deploymentId)
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
      if (!this.org.options.lenient) {
        this.org.stats.violation('missing-sequence', `${nouns.join('+')} without ${HEADER.sequence}`, session.id)
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
    this.org.changed(session, 'poll')
    const standing = session.sequenceStanding(sequence)
    if (standing === 'repeat') return // a retry: already applied
    if (standing === 'gap') {
      const expected = session.lastSequence + 1
      this.org.stats.violation(
        'sequence-gap',
        `${nouns.join('+')} with sequence ${sequence}, expected ${expected}`,
        session.id
      )
      this.conflict(BODY.outOfSync(sequence, session.lastSequence))
    }
    this.requireAgent(session, nouns)
    if (session.resyncPending)
      this.org.stats.violation('post-before-resync', `${nouns.join('+')} before ChasitorResyncState`, session.id)
    session.acceptSequence(sequence)
    apply()
  }

  private requireAgent(session: SimulatedChat, nouns: readonly string[]): void {
    if (session.state === 'active' || !nouns.some((noun) => NOUNS_NEEDING_AGENT.has(noun))) return
    this.org.stats.violation('post-before-established', `${nouns.join('+')} before ChatEstablished`, session.id)
    throw new ProtocolError(500, BODY.notEstablished)
  }

  private conflict(body: string): never {
    this.org.stats.countConflict()
    throw new ProtocolError(409, body)
  }

  /** Refuses a ChasitorInit for the wrong org, deployment or session (400) before its sequence number is consumed. */
  private checkInit(session: SimulatedChat, request: ChasitorInitRequest): void {
    const { orgId, deploymentId } = this.org.options
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
      this.org.stats.violation('repeated-init', 'a second ChasitorInit with a new sequence number', session.id)
      return
    }
    session.start({
      orgId: request.organizationId,
      buttonId: request.buttonId,
      visitorName: request.visitorName ?? '',
      receiveQueueUpdates: request.receiveQueueUpdates ?? false,
    })
    const routedTo = this.org.routing.route(request)
    if (!routedTo) {
      session.append('ChatRequestFail', { reason: 'Unavailable', postChatUrl: '', attachedRecords: [] })
      this.org.end(session, 'unavailable', 'No agent was available: ChatRequestFail Unavailable', true)
      return
    }
    session.routeTo(routedTo, this.org.scenario.initialQueuePosition)
    session.append('ChatRequestSuccess', chatRequestSuccess(session, request, this.org.options.sessionTimeoutMs))
    session.say('system', `${session.visitorName || 'A visitor'} requested a chat`)
    this.org.afterEvent(session)
    this.org.scenario.onChatRequested(session.id)
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
        this.org.changed(session)
        return
      case 'ChasitorSneakPeek':
        session.setSneakPeek(action.text)
        this.org.changed(session)
        return
      case 'ChatEnd':
        this.org.end(session, action.reason, 'The visitor ended the chat')
        return
      case 'CustomEvent':
        session.say('system', `Visitor sent custom event ${action.type}${action.data ? `: ${action.data}` : ''}`)
        this.org.changed(session)
        return
      case 'ChasitorIdleTimeoutWarningEvent':
        session.say('system', `Visitor idle-timeout warning ${action.state}`)
        this.org.changed(session)
        return
    }
  }

  private visitorMessage(session: SimulatedChat, text: string): void {
    session.visitorSaid(text)
    this.org.changed(session)
    this.org.scenario.onVisitorMessage(session.id, text)
  }

  /** A 'drop' fault: the ChatMessage was answered 200 but is lost, as IBM saw with fast sends. */
  private dropVisitorMessage(session: SimulatedChat, text: string): void {
    session.countDroppedMessage()
    this.org.log.info({ sessionId: session.id, text }, 'visitor message dropped by fault')
    this.org.changed(session)
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
      if (!this.org.options.lenient) {
        this.org.stats.violation('missing-ack', 'Messages without the ack query parameter', session.id)
        throw new ProtocolError(400, 'Bad Request: Messages requires the ack query parameter')
      }
      ack = session.maxDeliveredSeq // lenient: acknowledge everything already delivered (§4.3)
    } else if (ack === undefined || ack < -1) {
      throw new ProtocolError(400, 'Bad Request: ack must be an integer of -1 or more')
    }
    if (ack > session.maxDeliveredSeq) {
      const detail = `ack=${ack} but the last sequence delivered is ${session.maxDeliveredSeq}`
      this.org.stats.violation('ack-ahead', detail, session.id)
      ack = session.maxDeliveredSeq
    }
    session.recordPoll(query.ack === undefined ? null : ack, parseInteger(query.pc))
    session.acknowledge(ack)
    this.org.polls.open(session, reply, ack)
  }

  /** Two Messages polls at once: like Salesforce, answer both 409 and terminate the chat. */
  private duplicatePoll(session: SimulatedChat): void {
    this.org.stats.violation('concurrent-poll', 'a second Messages request arrived while one was open', session.id)
    if (this.org.polls.fail(session, 409, BODY.duplicatePoll)) this.org.stats.countConflict()
    this.org.end(session, 'duplicatePoll', 'The chat was terminated: two Messages polls at once (409)')
  }

  // ---- visitor side: server hand-over (§4.5) -------------------------------------------------------------

  /** A simulated server hand-over: the affinity token changes and every request answers 503 until ReconnectSession. */
  startHandover(session: SimulatedChat): void {
    if (!session.startHandover()) return
    this.org.polls.fail(session, 503, BODY.handover)
    session.say('system', 'Server hand-over: the session moved (503 until ReconnectSession)')
    this.org.changed(session)
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
      this.org.stats.violation('reconnect-affinity', detail, session.id)
    }
    const offset = parseInteger(request.offset)
    const deliveredOffset = session.maxDeliveredSeq >= 0 ? session.offsetForSeq(session.maxDeliveredSeq) : 0
    const outcome = session.reconnect()
    switch (outcome) {
      case 'reconnected':
        if (offset === undefined || offset < 0 || offset > deliveredOffset)
          this.org.stats.violation(
            'reconnect-offset',
            `ReconnectSession.offset=${offset ?? 'missing'}, last offset delivered ${deliveredOffset}`,
            session.id
          )
        session.append('ChasitorSessionData', chasitorSessionData(session))
        session.say('system', 'The visitor reconnected after the hand-over')
        this.org.afterEvent(session)
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
    if (organizationId !== session.orgId && organizationId !== this.org.options.orgId)
      throw new ProtocolError(400, `Bad Request: organizationId ${organizationId} is not this org`)
    session.finishResync()
    this.org.changed(session, 'poll')
  }
}
