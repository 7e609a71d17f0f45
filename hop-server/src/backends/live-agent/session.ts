// ChatSession: the state machine of one chat. Two loops share one cursor:
// - the poll loop keeps exactly one Messages request in flight, hands every batch to the awaited `onBatch` hook
//   and polls again only after it resolved (so the caller persists events + new ack atomically), and runs the
//   503 hand-over (ReconnectSession) while no poll is open;
// - the send loop delivers queued posts one at a time, in order, with write-ahead sequence numbers: the cursor
//   recording "post P goes out with sequence S" is persisted through `onCursor` before the request, so after a
//   crash the post is resent with the same S and the server drops the duplicate.
// Every cursor change goes through one lock, so hooks never overlap and each sees the latest state.
import { randomUUID } from 'node:crypto'
import { Notifier, SerialLock, sleep } from './async.js'
import { RetryWindow, defaultBackoffPolicy, type BackoffPolicy } from './backoff.js'
import type { LiveAgentClient, MessagesPoller, SessionAuth } from './client.js'
import { DEFAULTS, FIRST_SEQUENCE, INITIAL_ACK } from './constants.js'
import {
  CURSOR_VERSION,
  cloneCursor,
  draftCursor,
  parseCursor,
  type ChatOverReason,
  type PendingPost,
  type SessionCursor,
} from './cursor.js'
import type { LiveAgentHttpError } from './errors.js'
import { ChatSessionError, LiveAgentError, LiveAgentInputError, LiveAgentSwitchServerError } from './errors.js'
import { describeIssues, type LiveAgentEvent, type MessagesBatch } from './events.js'
import { classifyFailure, describeError, exhausted, httpDetails } from './failure.js'
import {
  ServerHandover,
  applySessionData,
  flagUnrecordedSends,
  queuePost,
  type HandoverClock,
  type LandedPost,
} from './handover.js'
import { silentLogger, type LiveAgentLogger } from './logger.js'
import { ReofferGate, type HeldHint } from './reoffer-gate.js'
import {
  EPHEMERAL_POST_KINDS,
  chasitorPostSchema,
  parseOutOfSync,
  type ChasitorPost,
  type ChasitorPostInput,
} from './posts.js'
import { chasitorInitParamsSchema, type ChasitorInitParams } from './wire.js'

/** Reserved post ids (callers' ids should not start with `live-agent:`). */
export const INIT_POST_ID = 'live-agent:chasitor-init'
export const CHAT_END_POST_ID = 'live-agent:chat-end'

export interface ChatSessionHooks {
  /**
   * Called with every 200 batch, in order, and awaited before the next poll. `cursor` already carries the new
   * `ack` (and `established`, `over`, …): persist the events and the cursor in one transaction. Both hooks get
   * the session's own copy, never edited afterwards: read it, serialise it, keep it, but do not change it. If it throws,
   * the session fails with kind `hook-failed` and the cursor is not advanced (the batch comes again on resume).
   */
  onBatch(events: LiveAgentEvent[], cursor: SessionCursor): Promise<void>
  /**
   * Called, and awaited, on every other cursor change: a post queued, a sequence assigned before a send, a post
   * accepted, hand-over steps, the chat being over. Persist the cursor. If it throws, the session fails with
   * kind `hook-failed` and the change is not applied.
   */
  onCursor?(cursor: SessionCursor): Promise<void>
}

export interface ChatSessionOptions {
  client: LiveAgentClient
  /** From openChat(), or read back from storage (validated here). */
  cursor: SessionCursor
  hooks: ChatSessionHooks
  logger?: LiveAgentLogger
  /** Minimum time between two ChatMessage POSTs (Salesforce drops messages sent too fast). */
  minChatMessageGapMs?: number
  /** Added to clientPollTimeout before a poll is aborted. */
  pollTimeoutMarginMs?: number
  /** Wait after an aborted poll before the next one (see DEFAULTS.abortedPollGraceMs). */
  abortedPollGraceMs?: number
  /** How long the poll may still explain a 403 on a POST (see DEFAULTS.refusedLastLookMs). */
  refusedLastLookMs?: number
  /** Upper bound on the retry budget, whatever ChatRequestSuccess.connectionTimeout says. */
  maxConnectionTimeoutMs?: number
  backoff?: Partial<BackoffPolicy>
  /** Sequence 409 recoveries allowed per post. */
  maxOutOfSyncRecoveries?: number
  /** The hand-over's clock (tests pass a fake one). */
  clock?: HandoverClock
  /** After a restart, the longest a typing/sneak peek post waits for storedPostsOffered() (see reoffer-gate.ts). */
  reofferWaitMs?: number
}

/** How `run()` ended. Never a rejection. */
export type SessionOutcome =
  | { kind: 'over'; reason: ChatOverReason; detail?: string; cursor: SessionCursor }
  | { kind: 'stopped'; cursor: SessionCursor }
  | { kind: 'failed'; error: LiveAgentError; cursor: SessionCursor }

/** What became of one enqueued post. Never a rejection. */
export type PostOutcome =
  | { status: 'delivered'; id: string; sequence: number }
  /** Already delivered before (the id is in the cursor's deliveredPostIds). */
  | { status: 'duplicate'; id: string }
  | {
      status: 'dropped'
      id: string
      /** chat-over: the chat ended first; not-established: a typing/sneak-peek before the agent joined; rejected: 4xx. */
      reason: 'chat-over' | 'not-established' | 'rejected'
      error?: LiveAgentError
    }
  /** The session stopped or failed first. `queued`: the post is in the cursor and a resumed session sends it. */
  | { status: 'interrupted'; id: string; queued: boolean }

export interface OpenChatOptions {
  signal?: AbortSignal
  /** Retry budget until ChatRequestSuccess reports the deployment's connection timeout. */
  connectionTimeoutMs?: number
}

/**
 * Starts a chat: GET SessionId, then returns the initial cursor with ChasitorInit queued as the first post.
 * Persist it, then `new ChatSession({ cursor, … }).run()`. Invalid params throw LiveAgentInputError before any
 * request. Nothing is retried here: on failure no chat exists yet and the caller may simply try again.
 */
export async function openChat(
  client: LiveAgentClient,
  params: ChasitorInitParams,
  options: OpenChatOptions = {}
): Promise<SessionCursor> {
  const parsed = chasitorInitParamsSchema.safeParse(params)
  if (!parsed.success) throw new LiveAgentInputError(`Invalid ChasitorInit: ${describeIssues(parsed.error)}`)
  const session = await client.createSession(options.signal ? { signal: options.signal } : undefined)
  const init: ChasitorPost = { kind: 'ChasitorInit', body: { ...parsed.data, sessionId: session.id } }
  return {
    version: CURSOR_VERSION,
    id: session.id,
    key: session.key,
    affinityToken: session.affinityToken,
    organizationId: parsed.data.organizationId,
    ack: INITIAL_ACK,
    pc: 0,
    lastOffset: 0,
    nextSequence: FIRST_SEQUENCE,
    established: false,
    connectionTimeoutMs: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
    clientPollTimeoutSec: session.clientPollTimeoutSec,
    pendingPosts: [{ id: INIT_POST_ID, post: init }],
    deliveredPostIds: [],
    acceptedChatMessages: 0,
  }
}

const MS_PER_SECOND = 1000

type Waiter = (outcome: PostOutcome) => void

export class ChatSession {
  private readonly client: LiveAgentClient
  /** This session's Messages poller (made at the first poll): headers and request state kept between polls. */
  private poller: MessagesPoller | undefined
  private readonly hooks: ChatSessionHooks
  private readonly logger: LiveAgentLogger
  private readonly minChatMessageGapMs: number
  private readonly pollTimeoutMarginMs: number
  private readonly abortedPollGraceMs: number
  private readonly refusedLastLookMs: number
  private readonly maxConnectionTimeoutMs: number
  private readonly backoff: BackoffPolicy
  private readonly maxOutOfSyncRecoveries: number

  private current: SessionCursor
  /** Poll counter, kept outside the cursor between persists so no write can move it backwards. */
  private pc: number
  /** When this client last aborted a poll (live, like pc): the next poll waits the grace period after it. */
  private pollAbortedAt: number | undefined
  private readonly lock = new SerialLock()
  private readonly changes = new Notifier()
  private readonly waiters = new Map<string, Waiter[]>()
  /** Aborted when the session finishes (stop, over, failure): ends both loops and every request. */
  private readonly halt = new AbortController()
  /**
   * The 503 hand-over procedure: its epoch, ReconnectSession, ChasitorResyncState, and its signal, which the held
   * poll and every wait listen to (aborted by a hand-over starting or the session halting). The same signal serves
   * poll after poll until a hand-over: no controller and no AbortSignal.any per poll.
   */
  private readonly handover: ServerHandover
  /** After a restart that may have lost queuing records: holds hints until the stored posts are offered again. */
  private readonly reoffer: ReofferGate
  private sendInFlight: Promise<unknown> | undefined
  private lastChatMessageAt = 0
  private visitorEnding = false
  private outcome: SessionOutcome | undefined
  private finishing: Promise<void> | undefined
  private running: Promise<SessionOutcome> | undefined

  constructor(options: ChatSessionOptions) {
    this.client = options.client
    this.current = parseCursor(options.cursor)
    // Before anything reads it: the flag goes out with the first write (parseCursor made this copy).
    flagUnrecordedSends(this.current)
    this.pc = this.current.pc
    // A resumed cursor may come from a process whose poll is still open on the server: wait the grace period
    // before the first poll (a fresh session, pc 0, has never polled and starts at once).
    this.pollAbortedAt = this.current.lastPollAbortedAt ?? (this.current.pc > 0 ? Date.now() : undefined)
    this.hooks = options.hooks
    this.logger = options.logger ?? silentLogger
    this.minChatMessageGapMs = options.minChatMessageGapMs ?? DEFAULTS.minChatMessageGapMs
    this.pollTimeoutMarginMs = options.pollTimeoutMarginMs ?? DEFAULTS.pollTimeoutMarginMs
    this.abortedPollGraceMs = options.abortedPollGraceMs ?? DEFAULTS.abortedPollGraceMs
    this.refusedLastLookMs = options.refusedLastLookMs ?? DEFAULTS.refusedLastLookMs
    this.maxConnectionTimeoutMs = options.maxConnectionTimeoutMs ?? Number.POSITIVE_INFINITY
    this.backoff = { ...defaultBackoffPolicy, ...options.backoff }
    this.maxOutOfSyncRecoveries = options.maxOutOfSyncRecoveries ?? DEFAULTS.maxOutOfSyncRecoveries
    this.reoffer = new ReofferGate({
      closed: this.current.unrecordedSends === true,
      waitMs: options.reofferWaitMs ?? DEFAULTS.reofferWaitMs,
      release: (hint) => this.releaseHint(hint),
      logger: this.logger,
      chatId: this.current.id,
    })
    this.handover = new ServerHandover({
      client: this.client,
      backoff: this.backoff,
      logger: this.logger,
      ...(options.clock ? { clock: options.clock } : {}),
      host: {
        cursor: () => this.current,
        sendInFlight: () => this.sendInFlight,
        halt: this.halt.signal,
        commit: (mutate) => this.commit(mutate),
        finishOver: (reason, detail) => this.finishOver(reason, detail),
        refused: (resource) => this.onRefused(resource),
        setSendInFlight: (request) => (this.sendInFlight = request),
        retryBudgetMs: () => this.retryBudgetMs(),
        auth: () => this.auth(),
      },
    })
  }

  /** A copy of the latest committed cursor (with the live poll counter). */
  get cursor(): SessionCursor {
    return this.withLiveCounters(cloneCursor(this.current))
  }

  /** The next commit's draft: a shallow copy-on-write of the current cursor (see draftCursor). */
  private draft(): SessionCursor {
    return this.withLiveCounters(draftCursor(this.current))
  }

  private withLiveCounters(cursor: SessionCursor): SessionCursor {
    cursor.pc = this.pc
    if (this.pollAbortedAt !== undefined) cursor.lastPollAbortedAt = this.pollAbortedAt
    return cursor
  }

  get id(): string {
    return this.current.id
  }

  /** Runs the chat until it is over, stopped or failed. Calling it again returns the same promise. */
  run(): Promise<SessionOutcome> {
    this.running ??= this.execute()
    return this.running
  }

  /**
   * Queues a visitor post (ChatMessage, typing, sneak peek, CustomEvent, ChatEnd). Resolves when the server
   * accepted it, or with why not; never rejects. `id` makes it idempotent: an id already queued joins that post,
   * an id delivered recently (see deliveredPostIds) resolves `duplicate`. Throws LiveAgentInputError at once on
   * an invalid post. Posts other than typing/sneak peek are buffered until the agent joins.
   */
  enqueue(input: ChasitorPostInput, options: { id?: string } = {}): Promise<PostOutcome> {
    const parsed = chasitorPostSchema.safeParse(input)
    if (!parsed.success) throw new LiveAgentInputError(`Invalid post: ${describeIssues(parsed.error)}`)
    if (parsed.data.kind === 'ChasitorInit') throw new LiveAgentInputError('ChasitorInit is sent by openChat()')
    if (options.id !== undefined && options.id.length === 0) throw new LiveAgentInputError('post id must not be empty')
    return this.accept(options.id ?? randomUUID(), parsed.data)
  }

  /**
   * Tells the session that every post stored before it resumed has been enqueued again (the hop server: the pump's
   * pass over the visitor outbox). Until then, after a restart that may have lost queuing records, typing and sneak
   * peek posts wait (at most `reofferWaitMs`), so they never take a number a re-offered message needs. Idempotent.
   */
  storedPostsOffered(): void {
    this.reoffer.open('offered')
  }

  /**
   * Ends the chat from the visitor side. Once an agent has joined: ChatEnd, queued behind the posts already
   * waiting. Before that (queued chat, cancel): DELETE SessionId, since the server refuses other POSTs then.
   * `client` is the only reason a visitor may send (the server sets the others, §3.4).
   */
  async end(reason: 'client' = 'client'): Promise<PostOutcome> {
    if (this.current.established) return this.accept(CHAT_END_POST_ID, { kind: 'ChatEnd', reason })
    if (this.current.over) return { status: 'dropped', id: CHAT_END_POST_ID, reason: 'chat-over' }
    if (this.halt.signal.aborted) return { status: 'interrupted', id: CHAT_END_POST_ID, queued: false }
    this.visitorEnding = true
    try {
      await this.client.deleteSession(this.auth())
    } catch (error) {
      // The session expires on its own; the chat is over for us either way.
      this.logger.warn({ chatId: this.id, err: describeError(error) }, 'DELETE SessionId failed while cancelling')
    }
    await this.finishOver('visitor-ended', 'cancelled before an agent joined')
    return { status: 'delivered', id: CHAT_END_POST_ID, sequence: 0 }
  }

  /**
   * Stops at once: aborts the held poll and any wait. A POST in flight is aborted too and stays in the cursor
   * with its sequence, so a resumed session resends it safely. Resolves with the resumable cursor.
   */
  async stop(): Promise<SessionCursor> {
    this.settle({ kind: 'stopped', cursor: this.cursor })
    await this.running
    await this.finishing
    return this.cursor
  }

  // ================================================================== run

  private async execute(): Promise<SessionOutcome> {
    if (this.current.over) {
      this.settle({ kind: 'over', ...this.current.over, cursor: this.cursor })
    } else {
      this.logger.info(
        { chatId: this.id, ack: this.current.ack, pending: this.current.pendingPosts.length },
        'chat run'
      )
      await Promise.all([this.guard(() => this.pollLoop()), this.guard(() => this.sendLoop())])
    }
    await this.finishing
    // The cursor as the loops left it (poll counter, lastPollAbortedAt included).
    const outcome: SessionOutcome = { ...(this.outcome ?? { kind: 'stopped' }), cursor: this.cursor }
    this.logger.info({ chatId: this.id, outcome: outcome.kind, reason: reasonOf(outcome) }, 'chat run finished')
    return outcome
  }

  private async guard(loop: () => Promise<void>): Promise<void> {
    try {
      await loop()
    } catch (error) {
      this.fail(error)
    }
  }

  private get halted(): boolean {
    return this.halt.signal.aborted
  }

  /** Polls go on during 'await-session-data' and 'resync'; only the reconnect itself needs them closed. */
  private get mayPoll(): boolean {
    return !this.halted && this.current.handover !== 'reconnect' && !this.handover.interrupted
  }

  /** A hand-over is under way (or being recorded): no new poll, no new POST. */
  private get handingOver(): boolean {
    return this.current.handover !== undefined || this.handover.interrupted
  }

  // ================================================================== poll loop

  private async pollLoop(): Promise<void> {
    while (!this.halted) {
      if (this.current.handover === 'reconnect') {
        await this.handover.reconnect()
        continue
      }
      // Wait while a hand-over is being recorded, and until ChasitorInit was accepted (nothing goes before it).
      if (this.handover.interrupted || this.current.pendingPosts[0]?.post.kind === 'ChasitorInit') {
        await this.changes.next(this.halt.signal)
        continue
      }
      const result = await this.pollWithRetries()
      if (!result) continue
      if (result.status === 204) {
        await this.handover.afterEmptyPoll()
        continue
      }
      await this.acceptBatch(result)
    }
  }

  /** One poll, retried on network errors/timeouts/5xx/malformed bodies until the connection timeout runs out. */
  private async pollWithRetries(): Promise<({ status: 200 } & MessagesBatch) | { status: 204 } | undefined> {
    let retries: RetryWindow | undefined
    while (this.mayPoll) {
      // Re-checked after the wait, so pc only counts requests that really go out.
      if (!(await this.graceAfterAbortedPoll()) || !this.mayPoll) continue
      const epoch = this.handover.epoch
      const pc = this.pc
      this.pc += 1
      try {
        // Through messages() (the client's seam), with this session's poller; the cursor holds the credentials.
        return await this.client.messages(
          this.current,
          { ack: this.current.ack, pc },
          {
            signal: this.handover.signal,
            timeoutMs: this.current.clientPollTimeoutSec * MS_PER_SECOND + this.pollTimeoutMarginMs,
          },
          (this.poller ??= this.client.poller())
        )
      } catch (error) {
        // We closed the poll; the server may still count it as open until the closed connection reaches it.
        if (isKind(error, 'aborted') || isKind(error, 'timeout')) this.pollAbortedAt = Date.now()
        if (this.halted) return undefined
        switch (classifyFailure(error)) {
          case 'aborted':
            return undefined
          case 'hand-over':
            await this.handover.onUnavailable('Messages', epoch)
            return undefined
          case 'stop':
            await this.finishOver(this.visitorEnding ? 'visitor-ended' : 'session-invalid', 'Messages answered 403')
            return undefined
          case 'conflict':
            await this.finishOver('duplicate-poll', 'Messages answered 409')
            return undefined
          case 'fatal':
            throw error
          case 'retry':
            break
        }
        retries ??= this.retryWindow()
        const delay = retries.nextDelay()
        if (delay === undefined) throw exhausted('Messages', retries.attempt, error)
        this.logger.warn(
          { chatId: this.id, attempt: retries.attempt, delayMs: delay, err: describeError(error) },
          'poll failed, retrying'
        )
        await sleep(delay, this.handover.signal)
      }
    }
    return undefined
  }

  /** Waits out the grace period after an aborted poll. False if interrupted (stop or hand-over). */
  private async graceAfterAbortedPoll(): Promise<boolean> {
    if (this.pollAbortedAt === undefined) return true
    const wait = this.pollAbortedAt + this.abortedPollGraceMs - Date.now()
    if (wait <= 0) return true
    return sleep(wait, this.handover.signal)
  }

  private async acceptBatch(batch: MessagesBatch): Promise<void> {
    const { events } = batch
    if (batch.sequence <= this.current.ack) {
      this.logger.warn({ chatId: this.id, ack: this.current.ack, sequence: batch.sequence }, 'batch did not advance')
    }
    for (const event of events) {
      if (event.type === 'unknown') {
        this.logger.warn({ chatId: this.id, type: event.originalType, issue: event.issue }, 'unknown event')
      }
    }
    const over = overReasonOf(events)
    const switchServer = events.find((e) => e.type === 'SwitchServer')
    const landed: LandedPost[] = []
    await this.commit(
      (next) => {
        next.ack = batch.sequence
        if (batch.offset !== undefined && batch.offset > 0) next.lastOffset = batch.offset
        for (const event of events) landed.push(...this.applyEvent(next, event))
        if (over) {
          next.over = over
          next.pendingPosts = []
        }
      },
      (next) => this.hooks.onBatch(events, next)
    )
    for (const post of landed) {
      this.logger.info({ chatId: this.id, sequence: post.sequenceBeforeHandover }, 'uncertain message had landed')
      this.resolveWaiters(post.id, { status: 'delivered', id: post.id, sequence: post.sequenceBeforeHandover })
    }
    if (over) this.settleOver(over)
    else if (switchServer) this.fail(new LiveAgentSwitchServerError('Messages', switchServer.message.newUrl))
  }

  /** Applies an event to the cursor; returns the uncertain posts the hand-over's transcript shows as landed. */
  private applyEvent(next: SessionCursor, event: LiveAgentEvent): LandedPost[] {
    switch (event.type) {
      case 'ChatRequestSuccess': {
        const timeout = event.message.connectionTimeout
        if (timeout !== undefined && timeout > 0) {
          next.connectionTimeoutMs = Math.round(Math.min(timeout, this.maxConnectionTimeoutMs))
        }
        break
      }
      case 'ChatEstablished':
      case 'ChatResumedAfterTransfer':
        next.established = true
        break
      case 'ChasitorSessionData':
        return applySessionData(next, event)
      default:
        break
    }
    return []
  }

  // ================================================================== send loop

  private async sendLoop(): Promise<void> {
    while (!this.halted) {
      const head = this.current.pendingPosts[0]
      if (this.current.handover === 'resync') await this.handover.resync()
      else if (this.handingOver) await this.changes.next(this.halt.signal)
      else if (!head) await this.changes.next(this.halt.signal)
      else if (head.post.kind !== 'ChasitorInit' && !this.current.established) await this.changes.next(this.halt.signal)
      else await this.deliver(head.id)
    }
  }

  /** Sends the head post until the server accepts it (same sequence on every retry). */
  private async deliver(id: string): Promise<void> {
    let retries: RetryWindow | undefined
    let recoveries = 0
    while (!this.halted && !this.handingOver) {
      let head = this.current.pendingPosts[0]
      if (head?.id !== id) return
      if (head.sequence === undefined) {
        await this.commit((next) => {
          const first = next.pendingPosts[0]
          if (first?.id !== id || first.sequence !== undefined) return false
          first.sequence = next.nextSequence
          next.nextSequence += 1
          // Resent under a new number: whatever the old one did is settled (see settleUncertainPost).
          delete first.sequenceBeforeHandover
          return true
        })
        continue
      }
      if (head.post.kind === 'ChatMessage') {
        const wait = this.lastChatMessageAt + this.minChatMessageGapMs - Date.now()
        if (wait > 0 && !(await sleep(wait, this.handover.signal))) continue
      }
      head = this.current.pendingPosts[0]
      // Checked right before the request, with no await in between: nothing goes out once a hand-over began.
      if (this.halted || this.handingOver || head?.id !== id || head.sequence === undefined) continue
      const { sequence, post } = head
      const epoch = this.handover.epoch
      if (post.kind === 'ChatEnd') this.visitorEnding = true
      try {
        const request = this.client.send(this.auth(), sequence, post, { signal: this.halt.signal })
        this.sendInFlight = request
        await request
      } catch (error) {
        if (this.halted || isKind(error, 'aborted')) return
        const action = await this.onSendError(head, error, epoch, recoveries)
        if (action === 'recovered') recoveries += 1
        if (action !== 'retry') continue
        retries ??= this.retryWindow()
        const delay = retries.nextDelay()
        if (delay === undefined) throw exhausted(post.kind, retries.attempt, error)
        this.logger.warn(
          { chatId: this.id, post: post.kind, sequence, attempt: retries.attempt, err: describeError(error) },
          'post failed, retrying with the same sequence'
        )
        await sleep(delay, this.handover.signal)
        continue
      } finally {
        // Only now: a hand-over waits until this failure was handled (e.g. a 409 renumbering) before reconnecting.
        this.sendInFlight = undefined
      }
      if (post.kind === 'ChatMessage') this.lastChatMessageAt = Date.now()
      await this.delivered(head as Required<PendingPost>)
      return
    }
  }

  /** Decides what a failed POST leads to: retry (same sequence), recovered (new sequence), or done. */
  private async onSendError(
    head: PendingPost,
    error: unknown,
    epoch: number,
    recoveries: number
  ): Promise<'retry' | 'recovered' | 'done'> {
    const { post } = head
    const disposition = classifyFailure(error)
    if (disposition === 'hand-over') {
      await this.handover.onUnavailable(post.kind, epoch)
      return 'done'
    }
    if (disposition === 'stop') {
      if (post.kind === 'ChatEnd' || this.visitorEnding)
        await this.finishOver('visitor-ended', `${post.kind} answered 403`)
      else await this.onRefused(post.kind)
      return 'done'
    }
    if (disposition === 'conflict') {
      const sync = parseOutOfSync((error as LiveAgentHttpError).body)
      if (!sync || recoveries >= this.maxOutOfSyncRecoveries) {
        throw new ChatSessionError('out-of-sync', `${post.kind} stayed out of sync: ${describeError(error)}`, {
          resource: post.kind,
          ...httpDetails(error),
          cause: error,
        })
      }
      const resend = sync.actual + 1
      this.logger.warn({ chatId: this.id, post: post.kind, sent: head.sequence, resend }, 'sequence out of sync')
      await this.commit((next) => {
        const first = next.pendingPosts[0]
        if (first?.id !== head.id) return false
        first.sequence = resend
        next.nextSequence = resend + 1
        return true
      })
      return 'recovered'
    }
    if (disposition === 'retry') return 'retry'
    // Without a ChasitorInit there is no chat: fail rather than poll a session that was never started.
    if (post.kind === 'ChasitorInit') throw error
    // 400/404/405…: the server refused this post for good. Its sequence stays used (if the server did not count
    // it, the next post's 409 brings the numbers back in line), so nothing is ever skipped silently.
    const failure = error instanceof LiveAgentError ? error : undefined
    this.logger.error({ chatId: this.id, post: post.kind, err: describeError(error) }, 'post rejected')
    await this.commit((next) => {
      next.pendingPosts = next.pendingPosts.filter((p) => p.id !== head.id)
    })
    this.resolveWaiters(head.id, {
      status: 'dropped',
      id: head.id,
      reason: 'rejected',
      ...(failure ? { error: failure } : {}),
    })
    return 'done'
  }

  private async delivered(head: Required<PendingPost>): Promise<void> {
    const endsChat = head.post.kind === 'ChatEnd'
    await this.commit((next) => {
      next.pendingPosts = next.pendingPosts.filter((p) => p.id !== head.id)
      next.deliveredPostIds = [...next.deliveredPostIds, head.id].slice(-DEFAULTS.rememberedPostIds)
      if (head.post.kind === 'ChatMessage') countAcceptedChatMessage(next, head.post.text)
      if (endsChat) {
        next.over = { reason: 'visitor-ended' }
        next.pendingPosts = []
      }
    })
    this.logger.debug({ chatId: this.id, post: head.post.kind, sequence: head.sequence }, 'post delivered')
    this.resolveWaiters(head.id, { status: 'delivered', id: head.id, sequence: head.sequence })
    if (endsChat) this.settleOver({ reason: 'visitor-ended' })
  }

  // ================================================================== queue

  private async accept(id: string, post: ChasitorPost): Promise<PostOutcome> {
    const cursor = this.current
    if (cursor.over) return { status: 'dropped', id, reason: 'chat-over' }
    if (cursor.deliveredPostIds.includes(id)) return { status: 'duplicate', id }
    if (this.halted) return { status: 'interrupted', id, queued: cursor.pendingPosts.some((p) => p.id === id) }
    if (EPHEMERAL_POST_KINDS.has(post.kind) && !cursor.established) {
      return { status: 'dropped', id, reason: 'not-established' }
    }
    const outcome = this.outcomeOf(id)
    // A hint must not take the number of a message not re-offered yet (reoffer-gate.ts).
    if (EPHEMERAL_POST_KINDS.has(post.kind) && this.reoffer.closed) {
      this.reoffer.hold(id, post)
      return outcome
    }
    let landedBefore = false
    try {
      await this.commit((next) => {
        if (next.pendingPosts.some((p) => p.id === id) || next.over) return false
        landedBefore = queuePost(next, id, post) === 'landed'
        return true
      })
    } catch (error) {
      this.fail(error)
    }
    if (this.current.over) this.resolveWaiters(id, { status: 'dropped', id, reason: 'chat-over' })
    else if (landedBefore) {
      // A previous process sent it before a crash lost the record; the hand-over's transcript showed it (queuePost).
      this.logger.info({ chatId: this.id }, 're-offered message had landed')
      this.resolveWaiters(id, { status: 'duplicate', id })
    }
    return outcome
  }

  /** Queues the hint the gate held, behind the re-offered messages; the hints it replaced share its outcome. */
  private releaseHint(hint: HeldHint): void {
    void this.accept(hint.id, hint.post).then((outcome) => {
      // accept() answers early (e.g. the chat is over) without the waiters registered while the hint was held.
      for (const id of [hint.id, ...hint.replaced]) this.resolveWaiters(id, { ...outcome, id })
    })
  }

  /** Resolves with what becomes of post `id` (see resolveWaiters). */
  private outcomeOf(id: string): Promise<PostOutcome> {
    return new Promise<PostOutcome>((resolve) => {
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve])
    })
  }

  private resolveWaiters(id: string, outcome: PostOutcome): void {
    const waiters = this.waiters.get(id)
    this.waiters.delete(id)
    for (const resolve of waiters ?? []) resolve(outcome)
  }

  // ================================================================== cursor, endings

  /**
   * Applies `mutate` to a copy of the cursor, persists it (onCursor by default), then makes it current.
   * One at a time. `mutate` returning false means "nothing to change": no persist.
   */
  private commit(
    mutate: (next: SessionCursor) => boolean | void,
    persist?: (next: SessionCursor) => Promise<void>
  ): Promise<void> {
    return this.lock.run(async () => {
      const next = this.draft()
      if (mutate(next) === false) return
      try {
        // The hook gets the draft itself (read-only, see ChatSessionHooks): a committed cursor is never edited in
        // place, the next commit drafts a new one.
        await (persist ? persist(next) : this.hooks.onCursor?.(next))
      } catch (error) {
        throw new ChatSessionError('hook-failed', `persisting the cursor failed: ${describeError(error)}`, {
          resource: persist ? 'onBatch' : 'onCursor',
          cause: error,
        })
      }
      this.current = next
      this.changes.notify()
    })
  }

  /**
   * A POST or ChasitorResyncState answered 403: the session is gone, most often because the agent ended the chat a
   * moment before, and the ChatEnded saying so is on its way in the poll. So the poll decides (ChatEnded, or a 403 of
   * its own), and only if it says nothing within `refusedLastLookMs` is the chat over as session-invalid. Nothing is
   * sent meanwhile: the send loop waits here until the session halts.
   */
  private async onRefused(resource: string): Promise<void> {
    this.logger.info(
      { chatId: this.id, resource },
      '403 on a request: the poll has a last look before the chat is over'
    )
    if (await sleep(this.refusedLastLookMs, this.halt.signal)) {
      await this.finishOver('session-invalid', `${resource} answered 403`)
    }
  }

  /** Records that the chat is over, then settles. Idempotent. */
  private async finishOver(reason: ChatOverReason, detail?: string): Promise<void> {
    if (this.outcome || this.finishing) return this.finishing
    const over = detail === undefined ? { reason } : { reason, detail }
    this.halt.abort()
    this.finishing = this.commit((next) => {
      next.over = over
      next.pendingPosts = []
    }).then(
      () => this.settleOver(over),
      (error: unknown) => this.fail(error)
    )
    return this.finishing
  }

  private settleOver(over: { reason: ChatOverReason; detail?: string }): void {
    this.logger.info({ chatId: this.id, ...over }, 'chat over')
    this.settle({ kind: 'over', ...over, cursor: this.cursor })
  }

  private fail(error: unknown): void {
    const failure =
      error instanceof LiveAgentError
        ? error
        : new ChatSessionError('internal', `internal error: ${describeError(error)}`, {
            resource: 'session',
            cause: error,
          })
    this.logger.error({ chatId: this.id, kind: failure.kind, err: describeError(failure) }, 'chat session failed')
    this.settle({ kind: 'failed', error: failure, cursor: this.cursor })
  }

  /** Sets the outcome once, stops everything, and answers every waiting post. */
  private settle(outcome: SessionOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    this.halt.abort()
    this.reoffer.dispose()
    this.changes.notify()
    const over = outcome.kind === 'over'
    const pending = new Set(this.current.pendingPosts.map((p) => p.id))
    for (const id of [...this.waiters.keys()]) {
      this.resolveWaiters(
        id,
        over ? { status: 'dropped', id, reason: 'chat-over' } : { status: 'interrupted', id, queued: pending.has(id) }
      )
    }
  }

  // ================================================================== helpers

  private auth(): SessionAuth {
    return { key: this.current.key, affinityToken: this.current.affinityToken }
  }

  private retryBudgetMs(): number {
    return Math.min(this.current.connectionTimeoutMs, this.maxConnectionTimeoutMs)
  }

  private retryWindow(): RetryWindow {
    return new RetryWindow(this.retryBudgetMs(), this.backoff)
  }
}

/** One more visitor ChatMessage accepted; an unknown count (a cursor from before) stays unknown. */
function countAcceptedChatMessage(next: SessionCursor, text: string): void {
  if (next.acceptedChatMessages !== undefined) next.acceptedChatMessages += 1
  next.lastChatMessageText = text
}

function overReasonOf(events: LiveAgentEvent[]): { reason: ChatOverReason; detail?: string } | undefined {
  for (const event of events) {
    if (event.type === 'ChatEnded') return { reason: 'agent-ended', detail: event.message.reason ?? 'unknown' }
    if (event.type === 'ChatRequestFail') return { reason: 'request-failed', detail: event.message.reason ?? 'Unknown' }
  }
  return undefined
}

function isKind(error: unknown, kind: LiveAgentError['kind']): boolean {
  return error instanceof LiveAgentError && error.kind === kind
}

function reasonOf(outcome: SessionOutcome): string | undefined {
  if (outcome.kind === 'over') return outcome.reason
  if (outcome.kind === 'failed') return outcome.error.kind
  return undefined
}
