// One pump per chat this replica holds the lease of: it opens the Live Agent session (or resumes it from the
// stored cursor), relays every batch of events into the webhook outbox in one transaction with the cursor that
// acknowledges them, and feeds the visitor outbox into the session's post queue.
//
// Crash safety rests on two facts. (1) A batch is acknowledged to Live Agent (next poll's `ack`) only after
// `onBatch` stored its events with the new cursor; a crash before that replays the batch. (2) A visitor message
// is handed to the session under the post id `outbox:<position>`; the cursor that holds the post is stored in
// the same write as `outboxDone` (derived from the cursor's own post ids), and the session resends a stored
// post with its original sequence number, so Live Agent drops a duplicate.
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import {
  ChatSession,
  LiveAgentError,
  LiveAgentHttpError,
  LiveAgentInputError,
  RetryWindow,
  type LiveAgentClient,
  openChat,
  sleep,
  type ChasitorInitParams,
  type LiveAgentEvent,
  type SessionCursor,
  type SessionOutcome,
} from '../live-agent/index.js'
import type { HopMetrics } from '../metrics.js'
import { urlProblem } from '../security/allowlist.js'
import { urlPolicy } from '../security/url-policy.js'
import { endedEvent } from '../store/events.js'
import type { ChatRecord, EndReason, HopStore, Json, OutboxItem, PumpState } from '../store/types.js'
import { splitText, transcriptFieldValue } from '../chats/transcript.js'
import type { LiveAgentClients } from './clients.js'
import { endOfSession, translateBatch, type ChatSnapshot } from './translate.js'

/** Outbox items read per store round trip. */
const OUTBOX_READ_LIMIT = 100
const OUTBOX_POST_ID = /^outbox:(\d+)$/
const TRANSCRIPT_DETAIL_LABEL = 'Bot transcript'
const DEFAULT_LANGUAGE = 'en-US'
/** A pump whose store writes fail (not a lost lease) restarts from the stored cursor this many times. */
const MAX_RESTARTS = 5
const RESTART_DELAY_MS = 1000

/** Thrown from the session hooks when the store refuses a write: another replica owns the chat now. */
export class LeaseLostError extends Error {
  constructor(chatId: string) {
    super(`the lease of chat ${chatId} is held by another replica`)
    this.name = 'LeaseLostError'
  }
}

export interface ChatPumpDeps {
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  logger: Logger
  clients: LiveAgentClients
  /** The Live Agent side is finished; the chat can retire once its webhooks are delivered. */
  onClosed(chatId: string): void
  /** The store fenced a write: stop pumping, forget the chat. */
  onLeaseLost(chatId: string): void
  /** Gave up after repeated store failures: hand the chat back so it is picked up again later. */
  onGaveUp(chatId: string): void
  /** New webhook events were stored. */
  onEvents(): void
}

/** The highest outbox position whose (last) post the cursor holds, pending or delivered. */
export function outboxPositionIn(cursor: SessionCursor): number {
  let highest = 0
  for (const id of [...cursor.pendingPosts.map((post) => post.id), ...cursor.deliveredPostIds]) {
    const match = OUTBOX_POST_ID.exec(id)
    if (match) highest = Math.max(highest, Number(match[1]))
  }
  return highest
}

/** The ChasitorInit parameters of a chat request. */
export function chasitorInitParams(chat: ChatRecord, config: HopConfig): ChasitorInitParams {
  const { request } = chat
  const details = request.prechatDetails.map((detail) => ({
    label: detail.label,
    value: detail.value,
    transcriptFields: detail.transcriptFields ?? [],
    ...(detail.displayToAgent !== undefined ? { displayToAgent: detail.displayToAgent } : {}),
    ...(detail.entityMaps ? { entityMaps: detail.entityMaps as never } : {}),
  }))
  const { prechatField, mode } = request.transcriptDelivery
  if (prechatField && request.transcript.length > 0) {
    details.push({
      label: TRANSCRIPT_DETAIL_LABEL,
      value: transcriptFieldValue(request.transcript, config.pump.transcriptFieldMaxChars),
      transcriptFields: [prechatField],
      // Shown to the agent only when no message carries the transcript.
      displayToAgent: mode === 'none',
    })
  }
  const overrides = request.liveAgent.buttonOverrides ?? []
  return {
    organizationId: request.liveAgent.organizationId,
    deploymentId: request.liveAgent.deploymentId,
    buttonId: request.liveAgent.buttonId,
    ...(overrides.length > 0 ? { buttonOverrides: overrides } : {}),
    visitorName: request.visitor.name,
    language: request.visitor.language ?? DEFAULT_LANGUAGE,
    userAgent: request.visitor.userAgent ?? '',
    screenResolution: request.visitor.screenResolution ?? '',
    prechatDetails: details,
    prechatEntities: request.prechatEntities as never,
    receiveQueueUpdates: true,
    isPost: true,
  }
}

export class ChatPump {
  private session: ChatSession | undefined
  private snapshot: ChatSnapshot = { state: 'connecting', progress: {} }
  private pump: PumpState | undefined
  private transcriptMode: ChatRecord['request']['transcriptDelivery']['mode'] = 'none'
  /** Last outbox position handed to the session. */
  private queuedThrough = 0
  private draining = false
  private drainAgain = false
  private endCalled = false
  private stopped = false
  private leaseLost = false
  private closed = false
  private restarts = 0
  private readonly abort = new AbortController()
  private running: Promise<void> | undefined
  private readonly log: Logger

  constructor(
    readonly chatId: string,
    private readonly deps: ChatPumpDeps
  ) {
    this.log = deps.logger.child({ chatId })
  }

  /** True once the Live Agent side is over (ended, failed for good, or never opened). */
  get isClosed(): boolean {
    return this.closed
  }

  start(): void {
    this.running ??= this.runWithRestarts()
  }

  /** Visitor messages (or an end) were stored: hand them to the session. */
  wake(): void {
    if (this.session && !this.stopped) void this.drain()
  }

  /** The last outbox position handed to the session (the supervisor's scan compares it with the store). */
  get outboxPosition(): number {
    return this.queuedThrough
  }

  typing(typing: boolean): void {
    if (!this.session || this.stopped || this.snapshot.state !== 'agent') return
    void this.session.enqueue({ kind: typing ? 'ChasitorTyping' : 'ChasitorNotTyping' })
  }

  /** Stops polling at once; posts in flight stay in the cursor and are resent by the next owner. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running
    this.stopped = true
    this.abort.abort()
    const session = this.session
    if (session) {
      const cursor = await session.stop()
      // Keep the latest poll counter (best effort; the lease may be gone already).
      if (!this.leaseLost && !this.closed && this.pump) {
        await this.deps.store
          .savePumpState(this.chatId, this.deps.config.replicaId, this.next(cursor))
          .catch(() => false)
      }
    }
    await this.running
  }

  // ------------------------------------------------------------------------------------------------ run

  private async runWithRestarts(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.run()
        return
      } catch (error) {
        if (error instanceof LeaseLostError || this.leaseLost) return this.loseLease()
        if (this.stopped) return
        this.restarts += 1
        if (this.restarts > MAX_RESTARTS) {
          this.log.error({ err: error }, 'pump keeps failing; handing the chat back')
          this.deps.onGaveUp(this.chatId)
          return
        }
        this.log.warn({ err: error, restart: this.restarts }, 'pump failed; restarting from the stored cursor')
        this.session = undefined
        await sleep(RESTART_DELAY_MS * this.restarts, this.abort.signal)
      }
    }
  }

  private loseLease(): void {
    this.leaseLost = true
    this.stopped = true
    this.abort.abort()
    this.log.warn('lease lost: another replica pumps this chat now')
    this.deps.onLeaseLost(this.chatId)
  }

  private async run(): Promise<void> {
    const { store } = this.deps
    const chat = await store.getChat(this.chatId)
    if (!chat) {
      this.log.error('chat not found in the store')
      return this.close()
    }
    this.snapshot = { state: chat.state, progress: chat.progress }
    this.transcriptMode = chat.request.transcriptDelivery.mode
    this.pump = await store.loadPumpState(this.chatId)
    this.queuedThrough = this.pump.outboxDone
    if (this.pump.liveAgentClosed) return this.close()
    if (this.pump.cursor === null && chat.state === 'ended') {
      // Ended before a Live Agent session existed: nothing to tell Live Agent.
      await this.savePump({ ...this.pump, liveAgentClosed: true })
      return this.close()
    }
    // The allowlist may have changed since the chat was created: never call a host that is not on it now.
    const endpointProblem = urlProblem(chat.request.liveAgent.endpoint, urlPolicy(this.deps.config, 'liveAgent'))
    if (endpointProblem) {
      await this.endChat('error', `liveAgent.endpoint ${endpointProblem}`)
      return this.close()
    }
    const client = this.deps.clients.get(chat.request.liveAgent)
    const cursor = this.pump.cursor === null ? await this.open(chat) : (this.pump.cursor as unknown as SessionCursor)
    // No cursor: the chat ended instead (it could not be opened, or the visitor left first).
    if (!cursor) return this.close()
    if (this.stopped) return
    const session = this.createSession(client, cursor)
    if (!session) {
      // A stored cursor the client refuses cannot be resumed; retrying would only loop.
      await this.endChat('error', 'the stored Live Agent cursor is invalid')
      return this.close()
    }
    this.session = session
    const outcome = session.run()
    void this.drain()
    await this.finish(await outcome)
  }

  /** The session for a cursor; undefined when the client refuses the stored cursor. */
  private createSession(client: LiveAgentClient, cursor: SessionCursor): ChatSession | undefined {
    try {
      return new ChatSession({
        client,
        cursor,
        hooks: {
          onBatch: (events, next) => this.onBatch(events, next),
          onCursor: (next) => this.savePump(this.next(next)),
        },
        // The session logs its own `chatId` (the Live Agent session id); ours goes under another key.
        logger: this.deps.logger.child({ part: 'session', hopChatId: this.chatId }),
        minChatMessageGapMs: this.deps.config.pump.visitorMessageGapMs,
        maxConnectionTimeoutMs: this.deps.config.pump.liveAgentRetryBudgetMs,
      })
    } catch (error) {
      if (!(error instanceof LiveAgentInputError)) throw error
      this.log.error({ err: error }, 'invalid stored cursor')
      return undefined
    }
  }

  /** GET SessionId, retried within the budget; stores the first cursor. Undefined when the chat ended instead. */
  private async open(chat: ChatRecord): Promise<SessionCursor | undefined> {
    const client = this.deps.clients.get(chat.request.liveAgent)
    const params = chasitorInitParams(chat, this.deps.config)
    const retries = new RetryWindow(this.deps.config.pump.liveAgentRetryBudgetMs)
    for (;;) {
      try {
        const cursor = await openChat(client, params, { signal: this.abort.signal })
        await this.savePump({ ...this.pump!, cursor: cursor as unknown as Json })
        return cursor
      } catch (error) {
        if (error instanceof LeaseLostError || this.stopped) throw error
        const retryable = isRetryable(error)
        const delay = retryable ? retries.nextDelay() : undefined
        if (delay === undefined) {
          const detail = `could not start the Live Agent session: ${(error as Error).message}`
          this.log.error({ err: error }, detail)
          await this.endChat('error', detail)
          return undefined
        }
        this.log.warn({ err: error, attempt: retries.attempt }, 'SessionId failed; retrying')
        await sleep(delay, this.abort.signal)
        // The visitor may have given up meanwhile: then there is nothing to open.
        if ((await this.deps.store.getChat(this.chatId))?.state === 'ended') {
          await this.savePump({ ...this.pump!, liveAgentClosed: true })
          return undefined
        }
      }
    }
  }

  private async finish(outcome: SessionOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'stopped':
        return
      case 'over': {
        if (this.snapshot.state !== 'ended') {
          const end = endOfSession(outcome.reason, outcome.detail)
          await this.endChat(end.endReason, end.endDetail)
        }
        return this.close()
      }
      case 'failed': {
        const cause = outcome.error.cause
        if (cause instanceof LeaseLostError || this.leaseLost) throw new LeaseLostError(this.chatId)
        if (outcome.error.kind === 'hook-failed') throw outcome.error
        // The session cannot go on (retries exhausted, out of sync, hand-over failed…): the chat is over.
        this.log.error({ err: outcome.error }, 'Live Agent session failed; ending the chat')
        await this.endChat('error', `Live Agent session failed (${outcome.error.kind}): ${outcome.error.message}`)
        return this.close()
      }
    }
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    this.deps.onClosed(this.chatId)
  }

  // ------------------------------------------------------------------------------------------------ store

  /** The pump state for a cursor: `outboxDone` never goes back. */
  private next(cursor: SessionCursor): PumpState {
    const previous = this.pump!
    return {
      cursor: cursor as unknown as Json,
      outboxDone: Math.max(previous.outboxDone, outboxPositionIn(cursor)),
      outboxSending: null,
      liveAgentClosed: cursor.over !== undefined,
    }
  }

  private async savePump(pump: PumpState): Promise<void> {
    const saved = await this.deps.store.savePumpState(this.chatId, this.deps.config.replicaId, pump)
    if (!saved) {
      this.leaseLost = true
      throw new LeaseLostError(this.chatId)
    }
    this.pump = pump
  }

  private async onBatch(events: LiveAgentEvent[], cursor: SessionCursor): Promise<void> {
    const { store, metrics, config } = this.deps
    const at = Date.now()
    const translation = translateBatch(events, this.snapshot, at)
    const previousState = this.snapshot.state
    const pump = this.next(cursor)
    const result = await store.commitBatch(this.chatId, config.replicaId, {
      events: translation.events,
      ...(translation.state ? { state: translation.state } : {}),
      progress: translation.progress,
      pump,
      at,
    })
    if (result.status === 'lease_lost') {
      this.leaseLost = true
      throw new LeaseLostError(this.chatId)
    }
    this.pump = pump
    if (result.chatEnded) {
      if (translation.state?.state === 'ended' && this.snapshot.state !== 'ended') {
        metrics.chatsEnded.inc({ reason: translation.state.endReason })
      }
      this.snapshot = { ...this.snapshot, state: 'ended' }
    } else {
      this.snapshot = { state: translation.state?.state ?? this.snapshot.state, progress: translation.progress }
    }
    if (result.seqs.length > 0) {
      metrics.messagesRelayed.inc({ direction: 'to_bot' }, translation.agentMessages)
      this.deps.onEvents()
    }
    // The agent just joined: a paced transcript may start now.
    if (this.snapshot.state === 'agent' && previousState !== 'agent') void this.drain()
  }

  /** Ends the chat for the bot (chat.ended, state ended) unless it already ended. */
  private async endChat(reason: EndReason, detail: string): Promise<void> {
    const at = Date.now()
    const pump = { ...this.pump!, liveAgentClosed: true }
    const result = await this.deps.store.commitBatch(this.chatId, this.deps.config.replicaId, {
      events: [endedEvent(reason, detail, at)],
      state: { state: 'ended', endReason: reason, endDetail: detail },
      pump,
      at,
    })
    if (result.status === 'lease_lost') throw new LeaseLostError(this.chatId)
    this.pump = pump
    if (result.seqs.length > 0) {
      this.deps.metrics.chatsEnded.inc({ reason })
      this.deps.onEvents()
    }
    this.snapshot = { ...this.snapshot, state: 'ended' }
  }

  // ------------------------------------------------------------------------------------------------ outbox

  /** Hands new outbox items to the session, in order. One drain at a time per chat. */
  private async drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true
      return
    }
    this.draining = true
    try {
      do {
        this.drainAgain = false
        for (;;) {
          const session = this.session
          if (!session || this.stopped || this.closed) return
          const items = await this.deps.store.readOutbox(this.chatId, this.queuedThrough, OUTBOX_READ_LIMIT)
          for (const item of items) {
            if (this.stopped || this.session !== session) return
            if (this.waitsForAgent(item)) {
              // A paced transcript starts when the agent joins (onBatch drains again then), unless the visitor
              // ended the chat first: then only the end matters.
              const end = await this.findEnd()
              if (end) await this.handOver(session, end)
              return
            }
            await this.handOver(session, item)
          }
          if (items.length < OUTBOX_READ_LIMIT) break
        }
      } while (this.drainAgain)
    } catch (error) {
      this.log.warn({ err: error }, 'reading the visitor outbox failed; the next note or scan retries')
    } finally {
      this.draining = false
    }
  }

  private waitsForAgent(item: OutboxItem): boolean {
    return item.kind === 'transcript' && this.transcriptMode === 'messages' && this.snapshot.state !== 'agent'
  }

  private async findEnd(): Promise<OutboxItem | undefined> {
    let after = this.queuedThrough
    for (;;) {
      const items = await this.deps.store.readOutbox(this.chatId, after, OUTBOX_READ_LIMIT)
      const end = items.find((item) => item.kind === 'end')
      if (end || items.length < OUTBOX_READ_LIMIT) return end
      after = items[items.length - 1]!.position
    }
  }

  private async handOver(session: ChatSession, item: OutboxItem): Promise<void> {
    this.queuedThrough = item.position
    if (item.kind === 'end') {
      if (this.endCalled) return
      this.endCalled = true
      void session.end()
      return
    }
    const parts = splitText(item.text, this.deps.config.pump.chatMessageMaxChars)
    // Only the last part carries the item's plain id: outboxDone counts an item once all its parts are queued.
    const ids = parts.map((_, index) =>
      index === parts.length - 1 ? `outbox:${item.position}` : `outbox:${item.position}.${index + 1}`
    )
    const outcomes = parts.map((text, index) => session.enqueue({ kind: 'ChatMessage', text }, { id: ids[index]! }))
    if (item.kind === 'message') {
      void Promise.all(outcomes).then((results) => {
        if (results.every((result) => result.status === 'delivered')) {
          this.deps.metrics.messagesRelayed.inc({ direction: 'to_agent' })
        }
      })
    }
    // Paced transcript: the agent reads it line by line, so the next line waits for this one and a pause.
    if (item.kind === 'transcript' && this.transcriptMode === 'messages') {
      const results = await Promise.all(outcomes)
      if (results.every((result) => result.status === 'delivered')) {
        await sleep(this.deps.config.pump.transcriptPaceMs, this.abort.signal)
      }
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof LiveAgentInputError) return false
  if (error instanceof LiveAgentHttpError) return error.isRetryable
  return (
    error instanceof LiveAgentError &&
    (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'malformed')
  )
}
