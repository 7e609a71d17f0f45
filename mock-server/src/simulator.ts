import type { Logger } from 'pino'
import type { ChatView } from './chat-view.js'
import { ChasitorDesk } from './chasitor-desk.js'
import type { ResolvedOptions } from './config.js'
import { AdminError } from './errors.js'
import { FaultPlan } from './faults.js'
import { agentUserId } from './ids.js'
import { LongPollBroker } from './long-poll.js'
import { BODY } from './protocol.js'
import { Routing } from './routing.js'
import { createScenario, type AgentDesk, type Scenario } from './scenarios.js'
import { Scheduler } from './scheduler.js'
import { ESTIMATED_WAIT_PER_POSITION_S } from './server-events.js'
import type { SimulatedChat } from './simulated-chat.js'
import { Stats } from './stats.js'

/** 'chat': something an agent would see changed; 'poll': only protocol bookkeeping (acks, pcs, sequences). */
export type ChangeKind = 'chat' | 'poll'
export type ChangeListener = (session: SimulatedChat, kind: ChangeKind) => void

const DEFAULT_WAIT_FOR_CHAT_MS = 5000
/** Ended sessions are forgotten after this long (their key then answers 403, as it did while they were kept). */
const ENDED_RETENTION_MS = 10 * 60_000
const SWEEP_MIN_MS = 10
const SWEEP_MAX_MS = 1000
const SWEEPS_PER_TIMEOUT = 4

/**
 * The simulated Live Agent org: sessions, routing, agents, faults and counters. Transport-free: the visitor side
 * (`chasitor`, where every protocol rule of a visitor request lives) is called by the HTTP layer, the agent side below
 * by the admin handle, the console and the scripted agents.
 */
export class Simulator implements AgentDesk {
  readonly stats = new Stats()
  readonly faults = new FaultPlan()
  private readonly polls: LongPollBroker
  /** The visitor side: what the chasitor routes call. */
  readonly chasitor: ChasitorDesk
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
    this.chasitor = new ChasitorDesk({
      options,
      log,
      stats: this.stats,
      faults: this.faults,
      polls: this.polls,
      routing: this.routing,
      scenario: this.scenario,
      sessionByKey: (key) => this.byKey.get(key),
      register: (session) => {
        this.sessions.set(session.id, session)
        this.byKey.set(session.key, session)
      },
      changed: (session, kind) => this.changed(session, kind),
      afterEvent: (session) => this.afterEvent(session),
      end: (session, reason, text, drainable) => this.end(session, reason, text, drainable),
    })
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

  private changed(session: SimulatedChat, kind: ChangeKind = 'chat'): void {
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
