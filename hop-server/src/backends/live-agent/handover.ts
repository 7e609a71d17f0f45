// The 503 hand-over: Live Agent moved the chat to another server (docs/live-agent-protocol.md, "Server hand-over").
// The procedure is reconnect → await session data → resync, each step recorded in the cursor so a restart continues
// where it stopped:
// 1. `begin`: a request answered 503. The hand-over signal interrupts the open poll and the send loop's waits (a POST
//    already in flight is left to finish), and the cursor records stage `reconnect`.
// 2. `reconnect`: once the POST in flight has its answer, ReconnectSession with the last non-zero offset gives a new
//    affinity token and restarts the sequence numbering at 1. A ChatMessage that had a number may or may not have
//    landed: it is marked with its old number (sequenceBeforeHandover). The epoch advances, so a late 503 to a request
//    sent before is recognised as stale, and a fresh signal lets polls and posts go on. Stage `await-session-data`.
// 3. ChasitorSessionData (or a 204 meaning there is none) arrives on the poll: its transcript settles the uncertain
//    message (`applySessionData`). Stage `resync`.
// 4. `resync`: ChasitorResyncState; then the stage is cleared and the buffered posts go out.
// The session owns the loops, the queue and the cursor; this unit owns the procedure, through HandoverHost.
import type { SessionAuth } from './client.js'
import type { LiveAgentClient } from './client.js'
import { sleep } from './async.js'
import { RetryWindow, type BackoffPolicy } from './backoff.js'
import { DEFAULTS, FIRST_SEQUENCE } from './constants.js'
import type { ChatOverReason, PendingPost, SessionCursor } from './cursor.js'
import { ChatSessionError } from './errors.js'
import type { EventOf } from './events.js'
import { classifyFailure, describeError, exhausted, httpDetails } from './failure.js'
import {
  landedPastRun,
  landedRunBeforeHandover,
  serverVisitorLines,
  serverVisitorTexts,
} from './handover-transcript.js'
import type { LiveAgentLogger } from './logger.js'
import { EPHEMERAL_POST_KINDS, type ChasitorPost } from './posts.js'
import type { ReconnectResult } from './wire.js'

/** What the hand-over needs from the session. */
export interface HandoverHost {
  /** The latest committed cursor. */
  cursor(): SessionCursor
  /** Aborted when the session finishes. */
  readonly halt: AbortSignal
  /** The POST in flight, if any: its answer says whether it was delivered. */
  sendInFlight(): Promise<unknown> | undefined
  /** Applies and persists a cursor change (`false` from `mutate`: nothing to change). */
  commit(mutate: (next: SessionCursor) => boolean | void): Promise<void>
  /** Records that the chat is over. */
  finishOver(reason: ChatOverReason, detail: string): Promise<void>
  /** A request answered 403 (session gone): the session decides, after the poll's last look, whether the chat is over. */
  refused(resource: 'ChasitorResyncState'): Promise<void>
  /** Marks a request as the one POST in flight (undefined: none), until its failure, if any, has been handled. */
  setSendInFlight(request: Promise<unknown> | undefined): void
  /** The retry budget of the chat (its connection timeout). */
  retryBudgetMs(): number
  auth(): SessionAuth
}

/** Time as the hand-over sees it; tests pass a fake one. */
export interface HandoverClock {
  now(): number
  /** Resolves true after `ms`, false as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>
}

export const systemClock: HandoverClock = { now: () => Date.now(), sleep }

export interface ServerHandoverOptions {
  client: Pick<LiveAgentClient, 'reconnectSession' | 'resyncState'>
  host: HandoverHost
  backoff: BackoffPolicy
  logger: LiveAgentLogger
  clock?: HandoverClock
}

/** The uncertain post that ChasitorSessionData showed as landed: it leaves the queue as delivered. */
export type LandedPost = Required<Pick<PendingPost, 'id' | 'sequenceBeforeHandover'>>

export class ServerHandover {
  private readonly client: ServerHandoverOptions['client']
  private readonly host: HandoverHost
  private readonly backoff: BackoffPolicy
  private readonly logger: LiveAgentLogger
  private readonly clock: HandoverClock
  private controller = new AbortController()
  private currentEpoch = 0

  constructor(options: ServerHandoverOptions) {
    this.client = options.client
    this.host = options.host
    this.backoff = options.backoff
    this.logger = options.logger
    this.clock = options.clock ?? systemClock
    // Halting ends every wait and the open poll, through the one signal they all listen to.
    if (this.host.halt.aborted) this.controller.abort()
    else this.host.halt.addEventListener('abort', () => this.controller.abort(), { once: true })
  }

  /** Incremented by every completed ReconnectSession: a 503 to a request sent in an older epoch is stale. */
  get epoch(): number {
    return this.currentEpoch
  }

  /**
   * Aborted when a hand-over starts or the session halts: interrupts the open poll and every wait (not a POST in
   * flight, which listens to the halt alone). Renewed when ReconnectSession completes.
   */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** A hand-over started and ReconnectSession has not completed yet. */
  get interrupted(): boolean {
    return this.controller.signal.aborted && !this.halted
  }

  /** A request sent in `epoch` was answered 503: a hand-over starts, unless one completed since (then it is stale). */
  async onUnavailable(resource: string, epoch: number): Promise<void> {
    if (epoch === this.currentEpoch) await this.begin(resource)
  }

  /** Records the hand-over and interrupts the open poll; the poll loop then runs reconnect(). */
  async begin(resource: string): Promise<void> {
    this.logger.warn({ chatId: this.chatId, resource }, '503: server hand-over, reconnecting')
    // Closes the open poll too: it listens to this signal.
    this.controller.abort()
    await this.host.commit((next) => {
      if (next.handover === 'reconnect') return false
      next.handover = 'reconnect'
      return true
    })
  }

  /** ReconnectSession with the last non-zero offset; new affinity; sequence restarts at 1. */
  async reconnect(): Promise<void> {
    // A POST already in flight finishes first: its answer says whether it was delivered (no guessing, no repeat).
    for (let inFlight = this.host.sendInFlight(); inFlight; inFlight = this.host.sendInFlight()) {
      await inFlight.catch(() => undefined)
    }
    let retries: RetryWindow | undefined
    while (!this.halted) {
      let result: ReconnectResult
      try {
        result = await this.client.reconnectSession(this.host.cursor().key, this.host.cursor().lastOffset, {
          signal: this.host.halt,
        })
      } catch (error) {
        if (this.halted) return
        switch (classifyFailure(error)) {
          case 'aborted':
            return
          case 'stop':
            return this.host.finishOver('session-invalid', 'ReconnectSession answered 403')
          case 'hand-over':
          case 'retry':
            break
          case 'conflict':
          case 'fatal':
            throw new ChatSessionError('reconnect-failed', `ReconnectSession failed: ${describeError(error)}`, {
              resource: 'ReconnectSession',
              ...httpDetails(error),
              cause: error,
            })
        }
        retries ??= this.retryWindow()
        const delay = retries.nextDelay()
        if (delay === undefined) throw exhausted('ReconnectSession', retries.attempt, error)
        await this.clock.sleep(delay, this.host.halt)
        continue
      }
      // Outside the try: a failed write is the store's failure (hook-failed), not the hand-over's. If the process
      // dies before this write, the next one repeats ReconnectSession, which the server answers with the same
      // token until ChasitorResyncState.
      await this.host.commit((next) => {
        next.affinityToken = result.affinityToken
        if (result.resetSequence) markUncertainMessages(next)
        next.handover = 'await-session-data'
      })
      // Requests from now on use the new affinity; a late 503 to an older request is stale.
      this.currentEpoch += 1
      this.controller = new AbortController()
      if (this.halted) this.controller.abort()
      this.logger.info({ chatId: this.chatId, offset: this.host.cursor().lastOffset }, 'reconnected after hand-over')
      return
    }
  }

  /** A 204 while waiting for ChasitorSessionData: the server has nothing pending, so resync without it. */
  async afterEmptyPoll(): Promise<void> {
    if (this.host.cursor().handover !== 'await-session-data') return
    this.logger.warn({ chatId: this.chatId }, 'no ChasitorSessionData after ReconnectSession; resyncing anyway')
    await this.host.commit((next) => {
      if (next.handover !== 'await-session-data') return false
      next.handover = 'resync'
      // No transcript to check anything against: the marked messages are resent, and so are any re-offered later.
      endUnrecordedCheck(next)
      return true
    })
  }

  /** ChasitorResyncState (no sequence) after ChasitorSessionData; then the buffered posts go out. */
  async resync(): Promise<void> {
    let retries: RetryWindow | undefined
    while (!this.halted && this.host.cursor().handover === 'resync') {
      const epoch = this.currentEpoch
      try {
        const { organizationId } = this.host.cursor()
        const request = this.client.resyncState(this.host.auth(), organizationId, { signal: this.host.halt })
        this.host.setSendInFlight(request)
        await request
      } catch (error) {
        if (this.halted) return
        switch (classifyFailure(error)) {
          case 'aborted':
            return
          case 'hand-over':
            return this.onUnavailable('ChasitorResyncState', epoch)
          case 'stop':
            return this.host.refused('ChasitorResyncState')
          case 'retry':
            break
          case 'conflict':
          case 'fatal':
            throw new ChatSessionError('reconnect-failed', `ChasitorResyncState failed: ${describeError(error)}`, {
              resource: 'ChasitorResyncState',
              ...httpDetails(error),
              cause: error,
            })
        }
        retries ??= this.retryWindow()
        const delay = retries.nextDelay()
        if (delay === undefined) throw exhausted('ChasitorResyncState', retries.attempt, error)
        await this.clock.sleep(delay, this.signal)
        continue
      } finally {
        this.host.setSendInFlight(undefined)
      }
      await this.host.commit((next) => {
        if (next.handover !== 'resync') return false
        delete next.handover
        return true
      })
      this.logger.info(
        { chatId: this.chatId, buffered: this.host.cursor().pendingPosts.length },
        'resynced after hand-over'
      )
    }
  }

  private get halted(): boolean {
    return this.host.halt.aborted
  }

  private get chatId(): string {
    return this.host.cursor().id
  }

  private retryWindow(): RetryWindow {
    return new RetryWindow(this.host.retryBudgetMs(), this.backoff, () => this.clock.now())
  }
}

/**
 * Whether a resumed cursor may lag behind posts its previous process sent. The hop server defers (conversation.ts,
 * isDeferrable) the queuing and numbering of a ChatMessage and its "delivered" record to the next write, so a
 * kill -9 can lose them after the message went out: the stored cursor then shows it queued without a sequence, or
 * not at all (the pump re-offers it from the outbox). Any other write stores the whole cursor, so a cursor stored
 * mid hand-over is complete (nothing goes out between ReconnectSession and the resync), and so is one whose queue
 * holds an unnumbered post of another kind: numbering that one is never deferred, posts go out in queue order, so
 * nothing behind it had gone out. A fresh chat's cursor is such a case (ChasitorInit first). Unless the process that
 * stored it had itself resumed such a cursor: then `unrecordedSends` is on it (see flagUnrecordedSends).
 */
export function mayHoldUnrecordedSends(cursor: SessionCursor): boolean {
  if (cursor.over) return false
  if (cursor.unrecordedSends) return true
  if (cursor.handover !== undefined) return false
  return cursor.pendingPosts.every((pending) => pending.sequence !== undefined || pending.post.kind === 'ChatMessage')
}

/**
 * On resume: records on the cursor (with the session's next write) that the previous process may have sent
 * ChatMessages it does not record. It stays until a hand-over's transcript checked them, or the chat is over:
 * nothing else tells when the pump has re-offered every message the previous process could have sent, and as long
 * as no hand-over restarts the numbering, re-offered messages get their old numbers and need no check. Mutates it.
 */
export function flagUnrecordedSends(cursor: SessionCursor): void {
  if (mayHoldUnrecordedSends(cursor)) cursor.unrecordedSends = true
}

/**
 * The numbering restarts at 1: a ChatMessage that may have landed under its old number can no longer be resent
 * safely, since the server would not recognise the new number as a repeat; ChasitorSessionData's transcript decides
 * (typing, sneak peek and the like are harmless to repeat). Uncertain: each ChatMessage with a sequence (the one in
 * flight; after a restart, those whose "delivered" record was lost), and with `unrecordedSends` also the
 * unnumbered ChatMessages, which the previous process may have numbered and sent without a record: numbering is
 * in queue order, so they are marked with the numbers they had then, and `nextSequenceBeforeHandover` keeps the
 * next one for messages the pump re-offers only later (markLateArrival). A new message the visitor wrote since is
 * marked too (it cannot be told from a re-offered one); the transcript's count shows it did not land. Typing and
 * sneak peek posts are skipped: the session may queue them before the pump re-offers the outbox, so they say
 * nothing about what went out; an unnumbered post of another kind does (nothing behind it went out). Mutates `next`.
 */
export function markUncertainMessages(next: SessionCursor): void {
  let unrecorded = next.unrecordedSends === true
  // A second reset before the transcript came: the messages are marked already, the guess goes on.
  let guessed = next.nextSequenceBeforeHandover ?? next.nextSequence
  for (const pending of next.pendingPosts) {
    if (pending.post.kind !== 'ChatMessage') {
      if (pending.sequence === undefined && !EPHEMERAL_POST_KINDS.has(pending.post.kind)) unrecorded = false
    } else if (pending.sequence !== undefined) {
      pending.sequenceBeforeHandover = pending.sequence
    } else if (unrecorded && pending.sequenceBeforeHandover === undefined) {
      pending.sequenceBeforeHandover = guessed
      guessed += 1
    }
    delete pending.sequence
  }
  next.nextSequence = FIRST_SEQUENCE
  if (unrecorded) next.nextSequenceBeforeHandover = guessed
  else endUnrecordedCheck(next)
}

/** What became of a post handed to queuePost. */
export type QueuedAs = 'queued' | 'landed'

/**
 * Queues a visitor post. After a restart, a ChatMessage the pump re-offers only now may have been sent by the
 * previous process without a record. While a hand-over awaits its transcript it is marked with the number it would
 * have had, so the transcript checks it with the others. Once the transcript showed lines past the ones it checked
 * (landedUnqueuedTexts), the re-offered messages come in the order they were sent: one with the next such text has
 * landed already and is recorded as delivered instead of queued (`landed`); one with another text means those
 * lines were something else, and it is queued as usual (a possible repeat, never a loss). Mutates `next`.
 */
export function queuePost(next: SessionCursor, id: string, post: ChasitorPost): QueuedAs {
  const pending: PendingPost = { id, post }
  if (post.kind === 'ChatMessage') {
    if (landedUnqueued(next, post.text)) {
      next.deliveredPostIds = [...next.deliveredPostIds, id].slice(-DEFAULTS.rememberedPostIds)
      return 'landed'
    }
    if (next.nextSequenceBeforeHandover !== undefined) {
      pending.sequenceBeforeHandover = next.nextSequenceBeforeHandover
      next.nextSequenceBeforeHandover += 1
    }
  }
  // The draft's own copy of the queue (draftCursor): pushing does not touch the committed cursor.
  next.pendingPosts.push(pending)
  return 'queued'
}

/** Whether `text` is the next line the transcript showed past the messages it checked; consumes it. */
function landedUnqueued(next: SessionCursor, text: string): boolean {
  const lines = next.landedUnqueuedTexts
  if (!lines) return false
  const [first, ...rest] = lines
  if (first === text && rest.length > 0) next.landedUnqueuedTexts = rest
  else delete next.landedUnqueuedTexts
  return first === text
}

/** The check of a previous process's unrecorded sends is over (done, or impossible). Mutates `next`. */
function endUnrecordedCheck(next: SessionCursor): void {
  delete next.unrecordedSends
  delete next.nextSequenceBeforeHandover
}

/**
 * ChasitorSessionData while awaiting it: the stage moves to `resync`, and the leading ChatMessages whose delivery is
 * unknown (they had a sequence when the numbering restarted: the one in flight, or, after a restart, several whose
 * "delivered" record was deferred and lost) are checked against the server's transcript. Those that landed leave
 * the queue as delivered (returned); the rest are resent under new numbers. The count of accepted messages is
 * re-based on the server's, so a message the server lost does not skew the next hand-over's check. Without a
 * transcript they are resent (a possible repeat, never a loss). After a restart (`unrecordedSends`), lines past
 * every uncertain message are messages the previous process sent that the pump has not re-offered yet: they are
 * kept (landedUnqueuedTexts) for queuePost. Either way the check of unrecorded sends ends here. Mutates `next`.
 */
export function applySessionData(next: SessionCursor, event: EventOf<'ChasitorSessionData'>): LandedPost[] {
  if (next.handover !== 'await-session-data') return []
  next.handover = 'resync'
  const unrecorded = next.unrecordedSends === true
  endUnrecordedCheck(next)
  const entries = event.message.chatMessages
  const uncertain: { id: string; text: string; sequenceBeforeHandover: number }[] = []
  for (const pending of next.pendingPosts) {
    // Typing and sneak peek leave no line in the transcript, and the session may have queued them in between.
    if (EPHEMERAL_POST_KINDS.has(pending.post.kind)) continue
    if (pending.sequenceBeforeHandover === undefined || pending.post.kind !== 'ChatMessage') break
    uncertain.push({ id: pending.id, text: pending.post.text, sequenceBeforeHandover: pending.sequenceBeforeHandover })
  }
  for (const pending of next.pendingPosts) delete pending.sequenceBeforeHandover
  if (!entries) return []
  const server = serverVisitorLines(entries)
  const serverTexts = serverVisitorTexts(entries)
  const known = { count: next.acceptedChatMessages, lastText: next.lastChatMessageText }
  const texts = uncertain.map((post) => post.text)
  const unqueued = unrecorded ? landedPastRun(texts, known.count, serverTexts) : []
  const landedCount = unqueued.length > 0 ? texts.length : landedRunBeforeHandover(texts, known, serverTexts)
  if (unqueued.length > 0) next.landedUnqueuedTexts = unqueued
  next.acceptedChatMessages = server.count
  if (server.lastText === undefined) delete next.lastChatMessageText
  else next.lastChatMessageText = server.lastText
  const landed = uncertain.slice(0, landedCount)
  if (landed.length === 0) return []
  const landedIds = new Set(landed.map((post) => post.id))
  next.pendingPosts = next.pendingPosts.filter((pending) => !landedIds.has(pending.id))
  next.deliveredPostIds = [...next.deliveredPostIds, ...landed.map((post) => post.id)].slice(
    -DEFAULTS.rememberedPostIds
  )
  return landed.map(({ id, sequenceBeforeHandover }) => ({ id, sequenceBeforeHandover }))
}
