// One Enhanced Chat hand-off behind the seam (../chat-backend.ts). From a stored cursor it creates the conversation
// (once: the id was chosen and stored before), reads the identity's one event stream from the stored Last-Event-Id,
// and sends the visitor's posts in order through a paced outbox, each under a message id stored before the send.
// Every cursor change goes through `commit`, one at a time, and is persisted before the conversation acts on it,
// so a kill -9 at any point resumes from the store and loses or repeats nothing.
import { randomUUID } from 'node:crypto'
import type {
  BackendLogger,
  Checkpoint,
  ChatConversation,
  ConversationHooks,
  ConversationOutcome,
  SendOutcome,
  VisitorMessage,
} from '../chat-backend.js'
import type { EndReason } from '../../store/types.js'
import { bridgeEventsOf } from './bridge-events.js'
import type { EnhancedChatClient } from './client.js'
import { MAX_TIMER_MS, TOKEN_EXPIRY_WARNING_MS, type RequestTimeouts, type RetryPolicy } from './constants.js'
import { checkpointOf, KEPT_DELIVERED_IDS, type CursorState, type QueuedPost } from './cursor.js'
import { EnhancedChatError } from './errors.js'
import { EnhancedChatEventStream } from './event-stream.js'
import type { OutboxPacer } from './pacer.js'
import { backoffDelay, sleep } from './retry.js'
import type { CheckedTarget } from './target.js'
import { endOfSession } from './translate.js'
import type { StreamEvent } from './wire.js'

/** Message ids remembered to recognise our own echoes (the EndUser role catches them too). */
const KEPT_OWN_MESSAGE_IDS = 200
const END_ID = 'end'
const MS_PER_SECOND = 1000

export interface ConversationOptions {
  client: EnhancedChatClient
  target: CheckedTarget
  /** The visitor's language, as Salesforce spells it (`en_US`). */
  language?: string
  hooks: ConversationHooks
  logger: BackendLogger
  pacer: OutboxPacer
  /** Rounds of the outbox after the client's own retries are spent (server errors, network). */
  sendRetry: RetryPolicy
  stream?: {
    retry?: Partial<RetryPolicy>
    timeouts?: Partial<Pick<RequestTimeouts, 'streamConnectMs' | 'streamIdleMs'>>
  }
  /** How long before the guest token's expiry to warn (default TOKEN_EXPIRY_WARNING_MS). */
  tokenExpiryWarningMs?: number
  now?: () => number
}

type Waiter = (outcome: SendOutcome) => void

interface CommitOptions {
  /** Stores the checkpoint instead of onCheckpoint (a batch of stream events with it). */
  persist?: (checkpoint: Checkpoint) => Promise<void>
  /** Losing this checkpoint in a crash costs only a replay (see Checkpoint.deferrable). */
  deferrable?: boolean
}

/** A hook (the store) refused or failed a write: the cursor did not move. */
class PersistFailure extends Error {
  constructor(readonly original: unknown) {
    super(`storing the Enhanced Chat cursor failed: ${(original as Error)?.message ?? String(original)}`)
  }
}

/** A failure that ends the chat with a reason, rather than failing the conversation. */
class ChatOver extends Error {
  constructor(
    readonly reason: EndReason,
    readonly detail: string
  ) {
    super(detail)
  }
}

export class EnhancedChatConversation implements ChatConversation {
  private state: CursorState
  /** stop(): everything, including the visitor's end calls. */
  private readonly stopping = new AbortController()
  /** The chat is over or stopped: the stream and the outbox stop. */
  private readonly finishing = new AbortController()
  private commits: Promise<unknown> = Promise.resolve()
  private outcome: ConversationOutcome | undefined
  private resolveRun: ((outcome: ConversationOutcome) => void) | undefined
  private readonly runPromise: Promise<ConversationOutcome>
  private started = false
  private stream: EnhancedChatEventStream | undefined
  private readonly waiters = new Map<string, Waiter[]>()
  private wakeOutbox: (() => void) | undefined
  private outboxDone: Promise<void> = Promise.resolve()
  private readonly now: () => number
  private readonly log: BackendLogger
  private expiryWarning: NodeJS.Timeout | undefined

  constructor(
    state: CursorState,
    private readonly options: ConversationOptions
  ) {
    this.state = state
    this.now = options.now ?? Date.now
    this.log = options.logger.child({ part: 'enhanced-chat', conversationId: state.conversationId })
    this.runPromise = new Promise((resolve) => (this.resolveRun = resolve))
    options.pacer.restore(state.conversationId, state.sentAt)
  }

  get checkpoint(): Checkpoint {
    return checkpointOf(this.state)
  }

  run(): Promise<ConversationOutcome> {
    if (!this.started) {
      this.started = true
      void this.start()
    }
    return this.runPromise
  }

  send(message: VisitorMessage): Promise<SendOutcome> {
    const { id } = message
    if (this.outcome) return Promise.resolve(this.closedOutcome(id))
    if (this.state.delivered.includes(id)) return Promise.resolve({ status: 'duplicate', id })
    const waiting = new Promise<SendOutcome>((resolve) => this.addWaiter(id, resolve))
    if (!this.state.queued.some((post) => post.id === id)) {
      const post: QueuedPost = { id, messageId: randomUUID(), text: message.text }
      // Deferrable: lost in a crash, the post is offered again from the visitor outbox and nothing was sent yet.
      void this.commit(
        (s) => ({
          ...s,
          queued: [...s.queued, post],
          ownMessageIds: appendKept(s.ownMessageIds, post.messageId, KEPT_OWN_MESSAGE_IDS),
        }),
        { deferrable: true }
      ).then(
        () => this.wakeOutbox?.(),
        () => this.settle(id, { status: 'interrupted', id, queued: false })
      )
    }
    return waiting
  }

  typing(typing: boolean): void {
    // A hint: only while an agent is there and the conversation exists; never retried past the client's own tries.
    if (this.outcome || !this.state.created || this.state.snapshot.state !== 'agent') return
    const { client } = this.options
    client
      .typing(this.state.token, this.state.conversationId, typing, { signal: this.finishing.signal })
      .catch((error: unknown) => this.log.debug({ err: error }, 'typing indicator not delivered'))
  }

  end(): Promise<SendOutcome> {
    if (this.outcome) return Promise.resolve(this.closedOutcome(END_ID))
    const waiting = new Promise<SendOutcome>((resolve) => this.addWaiter(END_ID, resolve))
    if (!this.state.ending)
      void this.commit((s) => ({ ...s, ending: true })).then(
        () => this.wakeOutbox?.(),
        () => undefined
      )
    return waiting
  }

  async stop(): Promise<Checkpoint> {
    this.stopping.abort()
    this.finish({ kind: 'stopped' })
    await this.stream?.close()
    await this.outboxDone.catch(() => undefined)
    await this.commits.catch(() => undefined)
    return this.checkpoint
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  private async start(): Promise<void> {
    try {
      if (this.state.over) return this.finish(this.endedOutcome())
      this.scheduleExpiryWarning()
      if (!this.state.created) await this.create()
      if (this.outcome) return
      this.openStream()
      this.outboxDone = this.outboxLoop()
    } catch (error) {
      this.fail(error)
    }
  }

  /**
   * A warning in the log a fixed time before the guest token expires (at once when that time has come already):
   * the bot builder sees that the hand-off will end then, since a guest token cannot be extended.
   */
  private scheduleExpiryWarning(): void {
    const { expiresAt } = this.state
    if (expiresAt === undefined) return
    const lead = this.options.tokenExpiryWarningMs ?? TOKEN_EXPIRY_WARNING_MS
    const warn = (): void => {
      this.expiryWarning = undefined
      if (this.outcome) return
      const inSeconds = Math.max(0, Math.round((expiresAt - this.now()) / MS_PER_SECOND))
      this.log.warn(
        { expiresAt: new Date(expiresAt).toISOString(), inSeconds },
        `the Enhanced Chat guest token expires in ${inSeconds} s; Salesforce cannot extend a guest token, so this hand-off ends then`
      )
    }
    const delay = expiresAt - lead - this.now()
    if (delay <= 0) return warn()
    if (delay > MAX_TIMER_MS) return
    this.expiryWarning = setTimeout(warn, delay)
    this.expiryWarning.unref()
  }

  /** Creates the conversation under the stored id (a retry after a lost answer counts as created). */
  private async create(): Promise<void> {
    const { client, target, language } = this.options
    try {
      await client.createConversation(
        this.state.token,
        {
          conversationId: this.state.conversationId,
          ...(Object.keys(target.routingAttributes).length > 0 ? { routingAttributes: target.routingAttributes } : {}),
          ...(language ? { language } : {}),
        },
        { signal: this.stopping.signal }
      )
    } catch (error) {
      if (error instanceof EnhancedChatError && error.kind === 'token-expired')
        throw new ChatOver(
          'error',
          'the Enhanced Chat guest token expired before the conversation was created (401); nothing was created'
        )
      throw error
    }
    await this.commit((s) => ({ ...s, created: true }))
    this.log.info({}, 'Enhanced Chat conversation created')
  }

  private openStream(): void {
    const { target, stream: streamOptions } = this.options
    const stream = new EnhancedChatEventStream({
      baseUrl: target.scrtUrl,
      orgId: target.orgId,
      accessToken: this.state.token,
      lastEventId: this.state.lastEventId,
      onEvent: (event) => this.onStreamEvent(event),
      onReconnect: (error, attempt, delayMs) =>
        this.log.warn({ kind: error.kind, attempt, delayMs }, 'Enhanced Chat stream reconnecting'),
      onInvalid: (id, name, issue) => this.log.warn({ id, name, issue }, 'Enhanced Chat stream event skipped'),
      signal: this.finishing.signal,
      ...(streamOptions?.retry ? { retry: streamOptions.retry } : {}),
      ...(streamOptions?.timeouts ? { timeouts: streamOptions.timeouts } : {}),
    })
    this.stream = stream
    stream.run().then(
      () => undefined,
      (error: unknown) => this.streamFailed(error)
    )
  }

  /** One stream event: translated, then stored with the cursor past it before the reader moves on. */
  private async onStreamEvent(event: StreamEvent): Promise<void> {
    if (this.outcome) throw new EnhancedChatError('aborted', 'eventStream', 'the conversation is over')
    const batch = bridgeEventsOf([event], this.state, this.now())
    if (batch.events.length === 0) {
      // Nothing for the bot (a ping, an echo, a receipt): the id rides along with the next stored change.
      this.state = { ...this.state, lastEventId: event.id, snapshot: batch.snapshot }
      return
    }
    try {
      await this.commit(
        (s) => ({
          ...s,
          lastEventId: event.id,
          snapshot: batch.snapshot,
          ...(batch.ended ? { over: true, end: batch.ended } : {}),
        }),
        { persist: (checkpoint) => this.options.hooks.onEvents(batch.events, checkpoint) }
      )
    } catch (error) {
      this.fail(error)
      throw error
    }
    if (batch.ended) {
      // The visitor's own end shows on the stream between its two calls: visitorEnd() finishes once both are done.
      if (this.state.ending) return
      if (batch.ended.reason !== 'visitor') this.closeAfterAgentEnd()
      this.finish({ kind: 'ended', ...batch.ended })
    }
  }

  private streamFailed(error: unknown): void {
    if (this.outcome) return
    if (!(error instanceof EnhancedChatError)) return this.fail(error)
    if (error.kind === 'aborted') return
    this.fail(error)
  }

  // ------------------------------------------------------------------------------------------------ outbox

  private async outboxLoop(): Promise<void> {
    while (!this.outcome) {
      const head = this.state.queued[0]
      if (head) await this.deliver(head)
      else if (this.state.ending) return this.visitorEnd()
      else await new Promise<void>((resolve) => (this.wakeOutbox = resolve))
    }
  }

  /** Sends the head post, paced, under its stored message id; bounded rounds after the client's own retries. */
  private async deliver(post: QueuedPost): Promise<void> {
    const { client, pacer, sendRetry } = this.options
    const key = this.state.conversationId
    const signal = this.finishing.signal
    for (let round = 0; !this.outcome; round++) {
      try {
        await pacer.acquire(key, signal)
        const mayHaveArrived = this.state.sending === post.messageId
        // Write-ahead: a crash from here on makes the next owner look the id up before sending it again.
        await this.commit((s) => ({
          ...s,
          // A cursor written before sendingSince existed leaves it unknown: the look-up then reads from the start.
          ...(mayHaveArrived ? {} : { sendingSince: this.now() }),
          sending: post.messageId,
          sentAt: pacer.recent(key),
        }))
        await client.sendMessage(
          this.state.token,
          key,
          {
            messageId: post.messageId,
            text: post.text,
            ...(mayHaveArrived ? { mayHaveArrived } : {}),
            ...(this.state.sendingSince !== undefined ? { firstTriedAt: this.state.sendingSince } : {}),
          },
          { signal }
        )
        // Deferrable: lost in a crash, the stored write-ahead id makes the next owner find the message, not resend it.
        await this.commit(
          (s) => ({
            ...withoutSending(s),
            queued: s.queued.filter((queued) => queued.id !== post.id),
            delivered: appendKept(s.delivered, post.id, KEPT_DELIVERED_IDS),
          }),
          { deferrable: true }
        )
        this.settle(post.id, { status: 'delivered', id: post.id })
        return
      } catch (error) {
        if (this.outcome || !(error instanceof EnhancedChatError)) return this.failUnlessOver(error)
        switch (error.kind) {
          case 'aborted':
            return
          case 'rate-limited':
            // Salesforce's window is not ours: wait as long as it asks, then the pacer lets the post through.
            pacer.penalise(key, error.retryAfterMs ?? 60_000)
            if (round >= sendRetry.maxRetries) return this.fail(error)
            continue
          case 'bad-request':
          case 'not-found':
            // Refused for good: this post cannot go; the next ones still can.
            this.log.warn({ kind: error.kind, status: error.status }, 'visitor message refused by Salesforce')
            await this.commit((s) => ({
              ...withoutSending(s),
              queued: s.queued.filter((queued) => queued.id !== post.id),
            }))
            this.settle(post.id, { status: 'dropped', id: post.id, reason: 'rejected', error })
            return
          case 'server':
          case 'network':
          case 'timeout': {
            if (round >= sendRetry.maxRetries) return this.fail(error)
            await sleep(backoffDelay(round + 1, sendRetry), this.finishing.signal, 'outbox').catch(() => undefined)
            continue
          }
          default:
            return this.fail(error)
        }
      }
    }
  }

  /** The visitor ended: end the messaging session, then close the conversation; the chat is over either way. */
  private async visitorEnd(): Promise<void> {
    const { client } = this.options
    let detail = 'the visitor ended the chat'
    try {
      await client.end(this.state.token, this.state.conversationId, { signal: this.stopping.signal })
    } catch (error) {
      if (this.stopping.signal.aborted) return
      // The hand-off is over for the bot whatever Salesforce answered; the agent's side closes on its own.
      detail = `the visitor ended the chat (closing it in Salesforce failed: ${(error as Error).message})`
      this.log.warn({ err: error }, 'ending the Enhanced Chat conversation failed')
    }
    try {
      await this.commit((s) => ({ ...s, over: true, end: { reason: 'visitor', detail } }))
    } catch (error) {
      return this.fail(error)
    }
    this.settle(END_ID, { status: 'delivered', id: END_ID })
    this.finish({ kind: 'ended', reason: 'visitor', detail })
  }

  /** After the agent (or routing) ended the session, the guest closes the conversation: best effort. */
  private closeAfterAgentEnd(): void {
    const { client } = this.options
    client
      .closeConversation(this.state.token, this.state.conversationId, { signal: this.stopping.signal })
      .catch((error: unknown) => this.log.debug({ err: error }, 'closing the ended conversation failed'))
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  /**
   * Persists the state `change` makes of the current one (onCheckpoint, or `persist` when given), and only then
   * makes it the state. One commit at a time, in call order. Copy on write: `change` returns a new state and never
   * edits the one it is given, so a committed state (shared with the checkpoint the pump keeps) never changes.
   */
  private commit(change: (state: CursorState) => CursorState, how: CommitOptions = {}): Promise<void> {
    const next = this.commits.then(async () => {
      const draft = change(this.state)
      const checkpoint = checkpointOf(draft, how.deferrable)
      try {
        await (how.persist ? how.persist(checkpoint) : this.options.hooks.onCheckpoint(checkpoint))
      } catch (error) {
        throw new PersistFailure(error)
      }
      this.state = draft
    })
    this.commits = next.catch(() => undefined)
    return next
  }

  /** Ends the chat for a reason (token expiry, 403, 417), or fails the conversation for anything else. */
  private fail(error: unknown): void {
    if (this.outcome) return
    const over = asChatOver(error, this.state.snapshot.progress.agent !== undefined, this.state.expiresAt)
    if (over) {
      this.log.warn({ reason: over.reason }, over.detail)
      void this.commit((s) => ({ ...s, over: true, end: { reason: over.reason, detail: over.detail } })).catch(
        () => undefined
      )
      return this.finish({ kind: 'ended', reason: over.reason, detail: over.detail })
    }
    if (error instanceof PersistFailure)
      return this.finish({ kind: 'failed', failure: { kind: 'persist', detail: error.message, error: error.original } })
    if (error instanceof EnhancedChatError)
      return this.finish({
        kind: 'failed',
        failure: { kind: 'backend', detail: `Enhanced Chat ${error.operation} failed: ${error.message}`, error },
      })
    const detail = `Enhanced Chat conversation failed: ${(error as Error)?.message ?? String(error)}`
    this.finish({ kind: 'failed', failure: { kind: 'internal', detail, error } })
  }

  private failUnlessOver(error: unknown): void {
    if (!this.outcome) this.fail(error)
  }

  private finish(outcome: ConversationOutcome): void {
    if (this.outcome) return
    this.outcome = outcome
    clearTimeout(this.expiryWarning)
    this.finishing.abort()
    this.wakeOutbox?.()
    for (const id of [...this.waiters.keys()]) this.settle(id, this.closedOutcome(id))
    this.options.pacer.forget(this.state.conversationId)
    this.resolveRun?.(outcome)
  }

  private endedOutcome(): ConversationOutcome {
    const end = this.state.end ?? { reason: 'error' as const, detail: 'the chat was over before this process took it' }
    return { kind: 'ended', reason: end.reason, ...(end.detail ? { detail: end.detail } : {}) }
  }

  /** What a post gets once the conversation is over or stopped. */
  private closedOutcome(id: string): SendOutcome {
    if (this.outcome?.kind === 'stopped')
      return {
        status: 'interrupted',
        id,
        queued: this.state.queued.some((post) => post.id === id) || (id === END_ID && this.state.ending),
      }
    return { status: 'dropped', id, reason: 'chat-over' }
  }

  private addWaiter(id: string, waiter: Waiter): void {
    this.waiters.set(id, [...(this.waiters.get(id) ?? []), waiter])
  }

  private settle(id: string, outcome: SendOutcome): void {
    const waiting = this.waiters.get(id)
    this.waiters.delete(id)
    for (const waiter of waiting ?? []) waiter(outcome)
  }
}

/** `list` with `item` last, keeping the `kept` most recent. */
function appendKept<T>(list: readonly T[], item: T, kept: number): T[] {
  const next = list.length >= kept ? list.slice(list.length - kept + 1) : list.slice()
  next.push(item)
  return next
}

/** The state without a send in flight. */
function withoutSending(state: CursorState): CursorState {
  const { sending: _sending, sendingSince: _since, ...rest } = state
  return rest
}

/** Errors after which the hand-off cannot go on: the chat ends with a reason the bot can read. */
function asChatOver(error: unknown, hadAgent: boolean, expiresAt: number | undefined): ChatOver | undefined {
  if (error instanceof ChatOver) return error
  if (!(error instanceof EnhancedChatError)) return undefined
  switch (error.kind) {
    case 'token-expired':
      return new ChatOver(
        'error',
        `the Enhanced Chat guest token expired (${tokenRefusalOf(error, expiresAt)}); a new token is a new identity that cannot reach this conversation, so the hand-off ends`
      )
    case 'forbidden':
      return new ChatOver(
        'error',
        'Salesforce refused this conversation to the guest token (403); the hand-off cannot continue'
      )
    case 'session-ended': {
      // 417: the messaging session is over; a message now would open a new, routed session, which is not this hand-off.
      const { endReason, endDetail } = endOfSession(undefined, hadAgent)
      return new ChatOver(endReason, `${endDetail}; Salesforce answered 417 to a visitor message`)
    }
    default:
      return undefined
  }
}

/** What Salesforce said of the token, and the expiry the token carried: `401 "Jwt is expired", exp 2026-…Z`. */
function tokenRefusalOf(error: EnhancedChatError, expiresAt: number | undefined): string {
  const said = error.serverMessage ? ` "${error.serverMessage}"` : ''
  const exp = expiresAt === undefined ? '' : `, exp ${new Date(expiresAt).toISOString()}`
  return `${error.status ?? 401}${said} on ${error.operation}${exp}`
}
