import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { ResolvedOptions } from '../config.js'
import { AdminError } from '../errors.js'
import { agentUserId } from '../ids.js'
import { createScenario, type AgentDesk, type Scenario } from '../scenarios.js'
import { Scheduler } from '../scheduler.js'
import { Conversation, type EnhancedChatView } from './conversation.js'
import {
  attachmentMessage,
  envelope,
  makeEntry,
  participant,
  ROUTER_SENDER,
  SYSTEM_SENDER,
  textMessage,
  type ConversationEntry,
  type Sender,
} from './entries.js'
import { ApiError, badRequest, notFound } from './errors.js'
import { EventLog, type StoredEvent } from './event-log.js'
import { EnhancedFaultPlan } from './faults.js'
import { EVENT, LIMITS, MESSAGE, MINUTE_MS, UUID_V4, type EventName, type SessionStatus } from './protocol.js'
import { SlidingWindow } from './rate-limit.js'
import { TokenAuthority, type TokenClaims } from './tokens.js'

const ESTIMATED_WAIT_PER_POSITION_S = 60
/** Closed conversations are forgotten after this long (their ids then answer 404). */
const CLOSED_RETENTION_MS = 10 * 60_000
const SWEEP_EVERY_MS = 60_000
const DEFAULT_WAIT_MS = 5000

export type EventListener = (subject: string, event: StoredEvent) => void
export type ConversationListener = (conversation: Conversation) => void

export interface TokenRequest {
  orgId: string
  esDeveloperName: string
  deviceId?: string | undefined
}

export interface MessageInput {
  esDeveloperName: string
  id: string
  text: string
  inReplyToMessageId?: string | undefined
  isNewMessagingSession?: boolean | undefined
  routingAttributes?: Record<string, string | number | boolean> | undefined
}

export interface FileInput {
  esDeveloperName: string
  id: string
  fileId: string
  text: string
  name: string
  mimeType: string
  bytes: number
  isNewMessagingSession?: boolean | undefined
}

export interface EntriesQuery {
  limit?: number | undefined
  startTimestamp?: number | undefined
  endTimestamp?: number | undefined
  direction?: 'FromStart' | 'FromEnd' | undefined
  entryTypeFilter?: string | undefined
}

/** The 15-character form of an org id (a 15 or 18 character id). */
export const orgId15 = (orgId: string): string => orgId.slice(0, 15)

const strings = (attributes: Record<string, string | number | boolean> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(attributes ?? {}).map(([k, v]) => [k, String(v)]))

/**
 * The simulated Enhanced Chat org: identities, conversations, messaging sessions, routing, agents, limits and faults.
 * Transport-free: routes translate HTTP into these calls; the SSE hub listens to the events they append.
 */
export class EnhancedChatSimulator implements AgentDesk {
  readonly faults = new EnhancedFaultPlan()
  readonly tokens: TokenAuthority
  readonly events: EventLog
  /** The deployment's channel address, the same on every envelope. */
  readonly channelAddressIdentifier = randomUUID()
  private readonly conversations = new Map<string, Conversation>()
  private readonly scheduler = new Scheduler()
  private readonly scenario: Scenario
  private readonly eventListeners = new Set<EventListener>()
  private readonly changeListeners = new Set<ConversationListener>()
  private readonly tokenLimit = new SlidingWindow(LIMITS.tokensPerMinutePerOrg, MINUTE_MS)
  private readonly renewalLimit = new SlidingWindow(LIMITS.renewalsPerMinutePerOrg, MINUTE_MS)
  private readonly startLimit = new SlidingWindow(LIMITS.conversationStartsPerWindow, LIMITS.conversationStartWindowMs)
  private closed = false
  private readonly sweeper: NodeJS.Timeout
  /** Pending waitFor calls, rejected on close() so that no test hangs on a closed server. */
  private readonly waiters = new Set<(error: Error) => void>()

  constructor(
    readonly options: ResolvedOptions,
    readonly log: Logger
  ) {
    this.tokens = new TokenAuthority(options.tokenTtlSeconds)
    this.events = new EventLog(options.sseBufferEvents)
    this.scenario = createScenario(options.scenario, this, options)
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS)
    this.sweeper.unref()
  }

  get orgId15(): string {
    return orgId15(this.options.orgId)
  }

  // ---- listeners ---------------------------------------------------------------------------------------------

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  onChange(listener: ConversationListener): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  // ---- tokens --------------------------------------------------------------------------------------------------

  async issueToken(request: TokenRequest): Promise<Record<string, unknown>> {
    if (orgId15(request.orgId) !== this.orgId15 || ![15, 18].includes(request.orgId.length))
      throw badRequest(`Invalid orgId ${request.orgId}: no such org`)
    this.checkDeployment(request.esDeveloperName)
    if (!this.withinLimit(this.tokenLimit, this.orgId15))
      throw new ApiError(429, 'Too many access token requests for this org; try again later')
    const { token, claims } = await this.tokens.issue(this.orgId15, request.esDeveloperName)
    return {
      accessToken: token,
      lastEventId: String(this.events.currentId),
      context: {
        deviceId: request.deviceId ?? randomUUID(),
        endUser: { subject: claims.sub, role: 'EndUser', appType: 'iamessage' },
        configuration: this.configuration(),
      },
    }
  }

  async continuation(claims: TokenClaims): Promise<Record<string, unknown>> {
    if (!this.withinLimit(this.renewalLimit, this.orgId15))
      throw new ApiError(429, 'Too many token renewals for this org; try again later')
    const { token } = await this.tokens.continueFrom(claims)
    return { accessToken: token, lastEventId: String(this.events.currentId) }
  }

  expireToken(conversationId: string): void {
    const conversation = this.requireConversation(conversationId)
    this.tokens.expire(conversation.subject)
    this.emitChange(conversation)
  }

  // ---- end-user side -------------------------------------------------------------------------------------------

  createConversation(
    claims: TokenClaims,
    input: {
      conversationId: string
      esDeveloperName: string
      routingAttributes?: Record<string, string | number | boolean> | undefined
      language?: string | undefined
    }
  ): void {
    checkUuid(input.conversationId)
    this.checkDeployment(input.esDeveloperName)
    if (this.conversations.has(input.conversationId))
      throw new ApiError(409, `A conversation with the id ${input.conversationId} already exists`)
    if (!this.withinLimit(this.startLimit, claims.sub))
      throw new ApiError(429, 'Too many conversations started; at most 3 per 30 seconds')
    const conversation = new Conversation(
      input.conversationId,
      claims.sub,
      input.esDeveloperName,
      this.knownAttributes(input.routingAttributes),
      input.language
    )
    this.conversations.set(conversation.id, conversation)
    conversation.say('system', `${conversation.visitorName() || 'A guest'} started a conversation`)
    this.routeSession(conversation)
  }

  /** The caller's own conversation: 400 for a malformed id, 404 unknown, 403 another identity's. */
  ownConversation(claims: TokenClaims, id: string): Conversation {
    checkUuid(id)
    const conversation = this.conversations.get(id)
    if (!conversation) throw notFound(`No conversation with the id ${id}`)
    if (conversation.subject !== claims.sub) throw new ApiError(403, 'You do not have access to this conversation')
    return conversation
  }

  listConversations(claims: TokenClaims, includeClosed: boolean, limit: number): Record<string, unknown> {
    const own = [...this.conversations.values()].filter((c) => c.subject === claims.sub)
    const open = own.filter((c) => !c.closed)
    const closed = own.filter((c) => c.closed)
    const shown = (includeClosed ? own : open).slice(0, limit)
    return {
      openConversationsFound: open.length,
      closedConversationsFound: closed.length,
      conversations: shown.map((c) => ({
        conversationId: c.id,
        startTimestamp: c.createdAt,
        ...(c.closed ? { endTimestamp: c.session.endedAt ?? Date.now() } : {}),
      })),
    }
  }

  sendMessage(claims: TokenClaims, id: string, input: MessageInput): Record<string, unknown> {
    this.checkDeployment(input.esDeveloperName)
    const conversation = this.writable(claims, id)
    // No de-duplication by message.id: Salesforce documents none for sendMessage (only a repeated conversationId is
    // seen to answer 409), so a resent message is a second entry the agent sees twice, as it would be in an org.
    this.admitMessage(conversation, input.isNewMessagingSession, input.routingAttributes)
    const entry = this.endUserEntry(conversation, claims, textMessage(input.id, input.text, input.inReplyToMessageId))
    conversation.visitorTyping = false
    conversation.say('visitor', input.text)
    this.publish(conversation, EVENT.message, entry)
    this.agentReceipts(conversation, entry.identifier)
    this.emitChange(conversation)
    this.scenario.onVisitorMessage(conversation.id, input.text)
    return { conversationEntries: [{ id: entry.identifier, clientTimestamp: entry.clientTimestamp }] }
  }

  sendFile(claims: TokenClaims, id: string, input: FileInput): Record<string, unknown> {
    this.checkDeployment(input.esDeveloperName)
    const conversation = this.writable(claims, id)
    this.admitMessage(conversation, input.isNewMessagingSession, undefined)
    const url = `/iamessage/api/v2/conversation/${id}/file/${input.fileId}`
    const payload = attachmentMessage(input.id, input.text, {
      id: input.fileId,
      name: input.name,
      mimeType: input.mimeType,
      url,
    })
    const entry = this.endUserEntry(conversation, claims, payload)
    conversation.say('visitor', `[file ${input.name}, ${input.mimeType}, ${input.bytes} bytes] ${input.text}`.trim())
    this.publish(conversation, EVENT.message, entry)
    this.agentReceipts(conversation, entry.identifier)
    this.emitChange(conversation)
    return { conversationEntries: [{ id: entry.identifier, clientTimestamp: entry.clientTimestamp }] }
  }

  /** The end user's typing reaches the agent only (Salesforce does not echo it to the sender's stream). */
  endUserTyping(claims: TokenClaims, id: string, started: boolean): void {
    const conversation = this.writable(claims, id)
    conversation.visitorTyping = started && !conversation.sessionEnded
    this.emitChange(conversation)
  }

  acknowledge(
    claims: TokenClaims,
    id: string,
    acks: { entryType: 'Delivery' | 'Read'; conversationEntryId: string }[]
  ) {
    const conversation = this.ownConversation(claims, id)
    for (const ack of acks) {
      if (!conversation.entries.some((e) => e.identifier === ack.conversationEntryId))
        throw badRequest(`No conversation entry with the id ${ack.conversationEntryId}`)
    }
    for (const ack of acks) {
      conversation.acks.push({ conversationEntryId: ack.conversationEntryId, entryType: ack.entryType })
      const event = ack.entryType === 'Delivery' ? EVENT.deliveryAck : EVENT.readAck
      const entry = makeEntry(
        event,
        this.endUserSender(conversation, claims),
        { acknowledgementTimestamp: Date.now(), conversationEntryId: ack.conversationEntryId },
        [ack.conversationEntryId]
      )
      this.publish(conversation, event, entry)
    }
    this.emitChange(conversation)
  }

  listEntries(claims: TokenClaims, id: string, query: EntriesQuery): Record<string, unknown> {
    const conversation = this.ownConversation(claims, id)
    const types = query.entryTypeFilter
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    let entries = conversation.entries.filter(
      (e) =>
        (types === undefined || types.length === 0 || types.includes(e.entryType)) &&
        (query.startTimestamp === undefined || e.transcriptedTimestamp >= query.startTimestamp) &&
        (query.endTimestamp === undefined || e.transcriptedTimestamp <= query.endTimestamp)
    )
    const limit = query.limit ?? LIMITS.listDefault
    entries = query.direction === 'FromEnd' ? entries.slice(-limit).reverse() : entries.slice(0, limit)
    return { conversationEntries: entries.map((e) => ({ ...e, entryPayload: { ...e.entryPayload } })) }
  }

  routingStatus(claims: TokenClaims, id: string): Record<string, unknown> {
    const conversation = this.ownConversation(claims, id)
    return { conversationId: conversation.id, routingStatus: conversation.routingStatus }
  }

  endSession(claims: TokenClaims, id: string, esDeveloperName: string): void {
    this.checkDeployment(esDeveloperName)
    const conversation = this.ownConversation(claims, id)
    if (conversation.closed) throw badRequest('The conversation is closed')
    if (!conversation.sessionEnded) this.finishSession(conversation, 'EndUser', 'The guest ended the session')
  }

  closeConversation(claims: TokenClaims, id: string, esDeveloperName: string): void {
    this.checkDeployment(esDeveloperName)
    const conversation = this.ownConversation(claims, id)
    if (conversation.closed) throw badRequest('The conversation is already closed')
    if (!conversation.sessionEnded) this.finishSession(conversation, 'EndUser', 'The guest closed the conversation')
    conversation.closed = true
    conversation.closedAt = Date.now()
    const entry = makeEntry(
      EVENT.closeConversation,
      this.endUserSender(conversation, claims),
      {
        conversationIdentifier: conversation.id,
      },
      [conversation.session.recordId]
    )
    this.publish(conversation, EVENT.closeConversation, entry)
    this.emitChange(conversation)
  }

  // ---- agent side (admin, console, scripted agents) ----------------------------------------------------------

  conversation(id: string): EnhancedChatView | undefined {
    return this.conversations.get(id)?.toView()
  }

  views(): EnhancedChatView[] {
    return [...this.conversations.values()].map((c) => c.toView())
  }

  waitFor(predicate: (view: EnhancedChatView) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<EnhancedChatView> {
    const match = this.views().find(predicate)
    if (match) return Promise.resolve(match)
    if (this.closed) return Promise.reject(new Error('waitFor: the mock server is closed'))
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        stop()
        reject(error)
      }
      const stop = (): void => {
        clearTimeout(timer)
        unsubscribe()
        this.waiters.delete(fail)
      }
      const timer = setTimeout(
        () => fail(new Error(`waitFor: no Enhanced Chat conversation matched within ${timeoutMs} ms`)),
        timeoutMs
      )
      const unsubscribe = this.onChange((conversation) => {
        const view = conversation.toView()
        if (!predicate(view)) return
        stop()
        resolve(view)
      })
      this.waiters.add(fail)
    })
  }

  accept(id: string, opts: { agentName?: string } = {}): void {
    const conversation = this.requireState(id, ['waiting', 'queued'], 'accept')
    const name = opts.agentName ?? this.options.agentName
    this.scheduler.cancel(id) // pending queue steps of a scripted agent
    this.join(conversation, name)
    conversation.say('system', `${name} accepted the conversation`)
    this.setSessionStatus(conversation, 'Active')
    this.emitChange(conversation)
  }

  agentMessage(id: string, text: string): void {
    const conversation = this.requireState(id, ['active'], 'send a message to')
    const entry = makeEntry(EVENT.message, this.agentSender(conversation), textMessage(randomUUID(), text), [
      conversation.session.recordId,
    ])
    conversation.say('agent', text)
    this.publish(conversation, EVENT.message, entry)
    this.emitChange(conversation)
  }

  agentTyping(id: string, typing: boolean): void {
    const conversation = this.requireState(id, ['active'], 'show typing in')
    const event = typing ? EVENT.typingStarted : EVENT.typingStopped
    this.publish(
      conversation,
      event,
      makeEntry(event, this.agentSender(conversation), {}, [conversation.session.recordId])
    )
  }

  queueUpdate(id: string, position: number): void {
    if (!Number.isInteger(position) || position < 0)
      throw new AdminError(400, 'position must be an integer of 0 or more')
    const conversation = this.requireState(id, ['waiting', 'queued'], 'update the queue position of')
    conversation.queuePosition = position
    // An org shows queue position or estimated wait time, not both; only 'position' orgs get these events.
    if (this.options.queueInfo === 'position') {
      const entry = makeEntry(
        EVENT.queuePosition,
        ROUTER_SENDER,
        { pendingServiceRoutingId: conversation.session.recordId, workItemId: conversation.session.recordId, position },
        [conversation.session.recordId]
      )
      this.publish(conversation, EVENT.queuePosition, entry)
    }
    this.emitChange(conversation)
  }

  /** remove(old agent) → ROUTING_RESULT Transfer (routingStatus TRANSFER) → add(new agent) after acceptDelayMs. */
  transfer(id: string, agentName: string): void {
    const conversation = this.requireState(id, ['active'], 'transfer')
    const from = conversation.agent!.name
    this.leave(conversation)
    conversation.routingStatus = 'TRANSFER'
    this.publishRoutingResult(conversation, 'Transfer', 'None')
    conversation.say('system', `${from} transferred the conversation to ${agentName}`)
    this.emitChange(conversation)
    this.scheduler.after(id, this.options.acceptDelayMs, () => {
      if (conversation.sessionEnded || conversation.agent) return
      this.join(conversation, agentName)
      conversation.say('system', `${agentName} joined after the transfer`)
      this.emitChange(conversation)
    })
  }

  /** The agent ends the session: remove(Agent) + SESSION_STATUS_CHANGED Ended, routingStatus NEEDS_ROUTING, no close. */
  endChat(id: string): void {
    const conversation = this.requireState(id, ['waiting', 'queued', 'active'], 'end')
    this.finishSession(conversation, 'Agent', `${conversation.agent?.name ?? 'The agent'} ended the session`)
  }

  later(id: string, delayMs: number, action: () => void): void {
    this.scheduler.after(id, delayMs, () => {
      try {
        action()
      } catch (error) {
        // A scripted agent lost a race (someone acted in the console first): nothing to do.
        this.log.debug({ err: error, conversationId: id }, 'scripted agent action skipped')
      }
    })
  }

  reset(): void {
    this.scheduler.clear()
    this.conversations.clear()
    this.events.clear()
    this.faults.clear()
    this.tokens.reset()
    this.tokenLimit.clear()
    this.renewalLimit.clear()
    this.startLimit.clear()
  }

  close(): void {
    this.closed = true
    clearInterval(this.sweeper)
    this.scheduler.clear()
    for (const fail of [...this.waiters]) fail(new Error('waitFor: the mock server closed'))
    this.eventListeners.clear()
    this.changeListeners.clear()
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Forgets conversations closed long ago, and the event buffer of an identity that has none left. */
  sweep(now = Date.now()): void {
    const touched = new Set<string>()
    for (const conversation of this.conversations.values()) {
      if (!conversation.closed || (conversation.closedAt ?? now) > now - CLOSED_RETENTION_MS) continue
      this.conversations.delete(conversation.id)
      touched.add(conversation.subject)
    }
    for (const conversation of this.conversations.values()) touched.delete(conversation.subject)
    for (const subject of touched) this.events.forget(subject)
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private withinLimit(window: SlidingWindow, key: string): boolean {
    return !this.options.rateLimits || window.tryHit(key)
  }

  private checkDeployment(esDeveloperName: string): void {
    if (esDeveloperName !== this.options.esDeveloperName)
      throw badRequest(`Invalid esDeveloperName ${esDeveloperName}: no such deployment in this org`)
  }

  /** Pre-chat fields the deployment knows; Salesforce drops the others silently (names are case-sensitive). */
  private knownAttributes(attributes: Record<string, string | number | boolean> | undefined): Record<string, string> {
    const known = new Set(this.options.prechatFields)
    return Object.fromEntries(Object.entries(strings(attributes)).filter(([name]) => known.has(name)))
  }

  private configuration(): Record<string, unknown> {
    return {
      timestamp: Date.now(),
      embeddedServiceConfig: {
        name: this.options.esDeveloperName,
        deploymentType: 'Api',
        embeddedServiceMessagingChannel: {
          channelAddressIdentifier: this.channelAddressIdentifier,
          authMode: 'UnAuth',
        },
        forms: [
          {
            formType: 'PreChat',
            displayContext: 'Conversation',
            formFields: this.options.prechatFields.map((name, order) => ({
              name,
              order,
              type: 'Text',
              required: false,
              maxLength: 255,
              isHidden: !name.startsWith('_'),
            })),
          },
        ],
        choiceListConfig: { choiceList: [] },
        attachments: { endUserToAgent: true, maxFileSize: LIMITS.fileBytes },
        transcript: { allowTranscriptDownload: false },
      },
    }
  }

  /** Open conversation whose owner may write: closed ones refuse with 400. */
  private writable(claims: TokenClaims, id: string): Conversation {
    const conversation = this.ownConversation(claims, id)
    if (conversation.closed) throw badRequest('The conversation is closed')
    return conversation
  }

  /** 417 after the session ended (unless the client asks for a new one), 429 over 22 messages a minute. */
  private admitMessage(
    conversation: Conversation,
    newSession: boolean | undefined,
    attributes: Record<string, string | number | boolean> | undefined
  ): void {
    if (conversation.sessionEnded && !newSession)
      throw new ApiError(417, 'The messaging session has ended; send isNewMessagingSession: true to start a new one')
    const now = Date.now()
    conversation.messageTimes = conversation.messageTimes.filter((at) => at > now - MINUTE_MS)
    if (this.options.rateLimits && conversation.messageTimes.length >= LIMITS.messagesPerMinutePerConversation)
      throw new ApiError(429, 'Too many messages in this conversation; at most 22 per minute')
    conversation.messageTimes.push(now)
    if (conversation.sessionEnded) {
      conversation.startNewSession()
      Object.assign(conversation.routingAttributes, this.knownAttributes(attributes))
      conversation.say('system', 'A new messaging session started')
      this.routeSession(conversation)
    }
  }

  private routeSession(conversation: Conversation): void {
    this.setSessionStatus(conversation, 'Waiting')
    const fault = this.faults.takeRoutingFailure()
    if (fault || !this.scenario.routesChats) {
      conversation.routingStatus = 'NEEDS_ROUTING'
      conversation.endReason = 'routingFailed'
      this.publishRoutingResult(conversation, 'Initial', fault?.failureType ?? 'RoutingError')
      conversation.say('system', 'Routing failed: no queue took the conversation')
      this.emitChange(conversation)
      return
    }
    conversation.routingStatus = 'ROUTED'
    this.publishRoutingResult(conversation, 'Initial', 'None', this.scenario.initialQueuePosition)
    this.emitChange(conversation)
    this.scenario.onChatRequested(conversation.id)
  }

  private publishRoutingResult(
    conversation: Conversation,
    routingType: 'Initial' | 'Transfer',
    failureType: string,
    queuePosition = 1
  ) {
    const failed = failureType !== 'None'
    const ewt = this.options.queueInfo === 'waitTime' && !failed
    const entry = makeEntry(
      EVENT.routingResult,
      ROUTER_SENDER,
      {
        recordId: conversation.session.recordId,
        routingType,
        failureType,
        failureReason: failed ? 'No routing target accepted the work item' : null,
        errorMessages: [],
        pendingServiceRoutingId: failed ? null : conversation.session.recordId,
        workOwnerId: null,
        isExternallyRouted: false,
        cancelReason: null,
        estimatedWaitTime: {
          estimatedWaitTimeInSeconds: ewt ? queuePosition * ESTIMATED_WAIT_PER_POSITION_S : null,
          isEWTRequested: ewt,
        },
        routingConfigurationDetails: { routingConfigurationType: 'Queue', queueId: failed ? '' : '00G000000000001' },
        skipRouterCPRemovalIfNoRoutingFailures: false,
      },
      [conversation.session.recordId]
    )
    this.publish(conversation, EVENT.routingResult, entry)
  }

  private setSessionStatus(conversation: Conversation, status: SessionStatus, endedByRole?: 'EndUser' | 'Agent'): void {
    const previous = conversation.session.status
    conversation.session.status = status
    if (status === 'Ended') {
      conversation.session.endedAt = Date.now()
      if (endedByRole) conversation.session.endedByRole = endedByRole
    }
    const entry = makeEntry(
      EVENT.sessionStatusChanged,
      SYSTEM_SENDER,
      {
        sessionId: conversation.session.recordId,
        channelAddressIdentifier: this.channelAddressIdentifier,
        conversationIdentifier: conversation.id,
        sessionStatus: status,
        sessionStatusPrev: previous,
        sessionStartTime: conversation.session.startedAt,
        ...(status === 'Ended'
          ? { sessionEndTime: conversation.session.endedAt, sessionEndedByRole: endedByRole }
          : {}),
      },
      [conversation.session.recordId]
    )
    this.publish(conversation, EVENT.sessionStatusChanged, entry)
  }

  private finishSession(conversation: Conversation, by: 'EndUser' | 'Agent', text: string): void {
    this.scheduler.cancel(conversation.id)
    if (conversation.agent) this.leave(conversation)
    conversation.routingStatus = 'NEEDS_ROUTING'
    conversation.queuePosition = undefined
    conversation.visitorTyping = false
    conversation.endReason = by === 'Agent' ? 'agent' : 'endUser'
    conversation.say('system', text)
    this.setSessionStatus(conversation, 'Ended', by)
    this.emitChange(conversation)
  }

  private join(conversation: Conversation, name: string): void {
    conversation.agent = { name, userId: agentUserId(name) }
    conversation.queuePosition = undefined
    conversation.routingStatus = 'ROUTED'
    const entry = makeEntry(
      EVENT.participantChanged,
      SYSTEM_SENDER,
      participant('add', this.agentSender(conversation)),
      [conversation.session.recordId]
    )
    this.publish(conversation, EVENT.participantChanged, entry)
  }

  private leave(conversation: Conversation): void {
    const agent = this.agentSender(conversation)
    conversation.lastAgent = conversation.agent
    conversation.agent = undefined
    const entry = makeEntry(EVENT.participantChanged, SYSTEM_SENDER, participant('remove', agent), [
      conversation.session.recordId,
    ])
    this.publish(conversation, EVENT.participantChanged, entry)
  }

  /** Delivery then read receipts from the agent's side, when an agent is in the session. */
  private agentReceipts(conversation: Conversation, entryId: string): void {
    if (!conversation.agent) return
    for (const event of [EVENT.deliveryAck, EVENT.readAck] as const) {
      const entry = makeEntry(
        event,
        this.agentSender(conversation),
        { acknowledgementTimestamp: Date.now(), conversationEntryId: entryId },
        [entryId]
      )
      this.publish(conversation, event, entry)
    }
  }

  private agentSender(conversation: Conversation): Sender {
    const agent = conversation.agent
    if (!agent) throw new AdminError(409, `Conversation ${conversation.id} has no agent`)
    return {
      role: 'Agent',
      appType: 'agent',
      subject: agent.userId,
      clientIdentifier: agent.userId,
      displayName: agent.name,
    }
  }

  private endUserSender(conversation: Conversation, claims: TokenClaims): Sender {
    return {
      role: 'EndUser',
      appType: 'iamessage',
      subject: conversation.subject,
      clientIdentifier: claims.clientId,
      displayName: conversation.visitorName() || 'Guest',
    }
  }

  private endUserEntry(conversation: Conversation, claims: TokenClaims, payload: Record<string, unknown>) {
    return makeEntry(EVENT.message, this.endUserSender(conversation, claims), payload, [conversation.session.recordId])
  }

  /** Records the entry and appends it to the owner's event stream. */
  private publish(conversation: Conversation, event: EventName, entry: ConversationEntry): void {
    conversation.entries.push(entry)
    const data = JSON.stringify(
      envelope(
        {
          channelPlatformKey: conversation.subject,
          channelAddressIdentifier: this.channelAddressIdentifier,
          conversationId: conversation.id,
        },
        entry
      )
    )
    const stored = this.events.append(conversation.subject, event, data)
    for (const listener of this.eventListeners) listener(conversation.subject, stored)
  }

  private emitChange(conversation: Conversation): void {
    for (const listener of this.changeListeners) listener(conversation)
  }

  private requireConversation(id: string): Conversation {
    const conversation = this.conversations.get(id)
    if (!conversation) throw new AdminError(404, `No Enhanced Chat conversation with id ${id}`)
    return conversation
  }

  private requireState(id: string, states: EnhancedChatView['state'][], action: string): Conversation {
    const conversation = this.requireConversation(id)
    if (!states.includes(conversation.consoleState))
      throw new AdminError(409, `Cannot ${action} conversation ${id}: it is ${conversation.consoleState}`)
    return conversation
  }
}

function checkUuid(id: string): void {
  if (!UUID_V4.test(id)) throw badRequest(MESSAGE.badUuid)
}
