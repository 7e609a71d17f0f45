// One pump per chat this replica holds the lease of: it opens the chat on its backend (or resumes it from the
// stored cursor), relays every batch of events into the webhook outbox in one transaction with the checkpoint that
// acknowledges them, and feeds the visitor outbox into the conversation's post queue. It knows backends only
// through the seam (../backends/chat-backend.ts).
//
// Crash safety rests on two facts. (1) A backend acknowledges a batch to Salesforce only after `onEvents` stored
// its events with the new checkpoint; a crash before that replays the batch. (2) A visitor message is handed to the
// conversation under the post id `outbox:<position>`; the checkpoint that holds the post is stored in the same
// write as `outboxDone` (derived from the checkpoint's post ids), and the backend resends a stored post under the
// same idempotency key, so Salesforce drops a duplicate. A checkpoint the backend marks `deferrable` (losing it costs
// only a replay that reaches the same state) is not written on its own: it rides with the next write the pump makes
// anyway (a batch of events, the next checkpoint that must be stored, the stop), so a visitor message costs one
// durable write, the enqueue.
//
// Failures: a lost lease stops the pump; a store that fails a write restarts it from the stored cursor (a few
// times, then its lease is released for a later scan); anything else is a defect or a backend that gave up, and
// ends the chat with reason `error` once, since retrying would only meet it again.
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import type {
  BackendEvent,
  ChatBackend,
  ChatConversation,
  Checkpoint,
  ConversationOutcome,
} from '../backends/chat-backend.js'
import { BackendCursorError } from '../backends/errors.js'
import { storedCursor, type BackendRegistry } from '../backends/registry.js'
import type { HopMetrics } from '../metrics.js'
import { endedEvent } from '../store/events.js'
import type { ChatRecord, EndReason, HopStore, Json, OutboxItem, PumpState } from '../store/types.js'
import { splitText } from '../chats/transcript.js'
import { lazyChild, type LazyChildLogger } from '../logger-child.js'
import { translateBatch, type ChatSnapshot } from './translate.js'

/** Outbox items read per store round trip. */
const OUTBOX_READ_LIMIT = 100
const OUTBOX_POST_ID = /^outbox:(\d+)$/
/** A pump whose store writes fail (not a lost lease) restarts from the stored cursor this many times. */
const MAX_RESTARTS = 5
const RESTART_DELAY_MS = 1000

/** Thrown from the hooks when the store refuses a write: another replica owns the chat now. */
export class LeaseLostError extends Error {
  constructor(chatId: string) {
    super(`the lease of chat ${chatId} is held by another replica`)
    this.name = 'LeaseLostError'
  }
}

/** A store call failed (unreachable, timed out): worth a restart from the stored cursor, unlike a defect. */
export class StoreFailureError extends Error {
  constructor(cause: unknown) {
    super(`store call failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'StoreFailureError'
  }
}

/** A backend reported a defect (ConversationFailure kind `internal`); the message is its one-sentence detail. */
class BackendDefectError extends Error {
  constructor(detail: string, cause: unknown) {
    super(detail, { cause })
    this.name = 'BackendDefectError'
  }
}

/** Resolves with the store's answer; a rejection becomes a StoreFailureError. */
async function stored<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (error) {
    throw new StoreFailureError(error)
  }
}

export interface ChatPumpDeps {
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  logger: Logger
  backends: BackendRegistry
  /** The backend side is finished; the chat can retire once its webhooks are delivered. */
  onClosed(chatId: string): void
  /** The store fenced a write: stop pumping, forget the chat. */
  onLeaseLost(chatId: string): void
  /** Gave up after repeated store failures: release the chat's lease so a later scan picks it up again. */
  onGaveUp(chatId: string): void
  /** New webhook events of the chat were stored. */
  onEvents(chatId: string): void
}

/** The highest outbox position whose (last) post a checkpoint holds, pending or delivered. */
export function outboxPositionIn(postIds: readonly string[]): number {
  let highest = 0
  for (const id of postIds) {
    const match = OUTBOX_POST_ID.exec(id)
    if (match) highest = Math.max(highest, Number(match[1]))
  }
  return highest
}

export class ChatPump {
  private conversation: ChatConversation | undefined
  private snapshot: ChatSnapshot = { state: 'connecting', progress: {} }
  private pump: PumpState | undefined
  private transcriptMode: ChatRecord['request']['transcriptDelivery']['mode'] = 'none'
  /** Last outbox position handed to the conversation. */
  private queuedThrough = 0
  private draining = false
  private drainAgain = false
  private endCalled = false
  private stopped = false
  private leaseLost = false
  private closed = false
  private restarts = 0
  /** Items split into several posts whose posts are not all settled: their checkpoints are never deferred. */
  private splitItemsInFlight = 0
  /** Made on first use (opening, a restart's pause, a paced transcript): an idle resumed chat never needs one. */
  private abortController: AbortController | undefined
  private running: Promise<void> | undefined
  private readonly log: LazyChildLogger

  constructor(
    readonly chatId: string,
    private readonly deps: ChatPumpDeps
  ) {
    this.log = lazyChild(deps.logger, { chatId })
  }

  /** True once the backend side is over (ended, failed for good, or never opened). */
  get isClosed(): boolean {
    return this.closed
  }

  start(): void {
    this.running ??= this.runWithRestarts()
  }

  /** Visitor messages (or an end) were stored: hand them to the conversation. */
  wake(): void {
    if (this.conversation && !this.stopped) void this.drain()
  }

  /** The last outbox position handed to the conversation (the supervisor's scan compares it with the store). */
  get outboxPosition(): number {
    return this.queuedThrough
  }

  typing(typing: boolean): void {
    if (!this.conversation || this.stopped || this.snapshot.state !== 'agent') return
    this.conversation.typing(typing)
  }

  /** Stops at once; posts in flight stay in the cursor and are resent by the next owner. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running
    this.stopped = true
    this.abortController?.abort()
    const conversation = this.conversation
    if (conversation) {
      const checkpoint = await conversation.stop()
      // Keep the latest cursor (best effort; the lease may be gone already).
      if (!this.leaseLost && !this.closed && this.pump) {
        await this.deps.store
          .savePumpState(this.chatId, this.deps.config.replicaId, this.next(checkpoint))
          .catch(() => false)
      }
    }
    await this.running
  }

  /** Aborted when the pump stops; one made after the stop is aborted already. */
  private get signal(): AbortSignal {
    if (!this.abortController) {
      this.abortController = new AbortController()
      if (this.stopped) this.abortController.abort()
    }
    return this.abortController.signal
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
        if (!(error instanceof StoreFailureError)) return this.endOnDefect(error)
        this.restarts += 1
        if (this.restarts > MAX_RESTARTS) {
          this.log.error({ err: error }, 'pump keeps failing; releasing the lease')
          this.deps.onGaveUp(this.chatId)
          return
        }
        this.log.warn({ err: error, restart: this.restarts }, 'pump failed; restarting from the stored cursor')
        this.conversation = undefined
        await sleepFor(RESTART_DELAY_MS * this.restarts, this.signal)
      }
    }
  }

  /**
   * An error nobody expected: restarting would meet it again (and again, on every replica that picks the chat up),
   * so the chat ends with reason `error`, once. If even that write fails, its lease is released.
   */
  private async endOnDefect(error: unknown): Promise<void> {
    const detail =
      error instanceof BackendDefectError
        ? error.message
        : `internal error: ${error instanceof Error ? error.message : String(error)}`
    this.log.error({ err: error }, `${detail}; ending the chat`)
    await this.conversation?.stop().catch(() => undefined)
    try {
      if (!this.pump) this.pump = await stored(this.deps.store.loadPumpState(this.chatId))
      await this.endChat('error', detail)
      this.close()
    } catch (endError) {
      if (endError instanceof LeaseLostError) return this.loseLease()
      this.log.error({ err: endError }, 'could not end the chat after an internal error; releasing the lease')
      this.deps.onGaveUp(this.chatId)
    }
  }

  private loseLease(): void {
    this.leaseLost = true
    this.stopped = true
    this.abortController?.abort()
    this.log.warn({}, 'lease lost: another replica pumps this chat now')
    this.deps.onLeaseLost(this.chatId)
  }

  private async run(): Promise<void> {
    const { store } = this.deps
    const chat = await stored(store.getChat(this.chatId))
    if (!chat) {
      this.log.error({}, 'chat not found in the store')
      return this.close()
    }
    this.snapshot = { state: chat.state, progress: chat.progress }
    this.transcriptMode = chat.request.transcriptDelivery.mode
    this.pump = await stored(store.loadPumpState(this.chatId))
    this.queuedThrough = this.pump.outboxDone
    if (this.pump.liveAgentClosed) return this.close()
    if (this.pump.cursor === null && chat.state === 'ended') {
      // Ended before the backend knew of the chat: nothing to tell it.
      await this.savePump({ ...this.pump, liveAgentClosed: true })
      return this.close()
    }
    const backend = this.deps.backends.forRequest(chat.request)
    if (!backend) {
      await this.endChat('error', `the ${chat.request.backend ?? 'default'} backend is not enabled on this hop server`)
      return this.close()
    }
    // The allowlist may have changed since the chat was created: never call a host that is not on it now.
    const targetProblem = backend.targetProblem(chat.request)
    if (targetProblem) {
      await this.endChat('error', targetProblem)
      return this.close()
    }
    const checkpoint = this.pump.cursor === null ? await this.open(backend, chat) : undefined
    // Nothing listens to the opening's signal any more; a later pause makes another (aborted if stopped by then).
    if (!this.stopped) this.abortController = undefined
    // Not opened: the chat ended instead (it could not be opened, or the visitor left first).
    if (this.pump.cursor === null && !checkpoint) return this.close()
    if (this.stopped) return
    const conversation = await this.resume(
      backend,
      chat,
      (checkpoint?.cursor as unknown as Json | undefined) ?? this.pump.cursor
    )
    if (!conversation) return this.close()
    this.conversation = conversation
    const outcome = conversation.run()
    void this.drain()
    // Returned, not awaited: an open chat keeps no suspended frame of this function for its whole life.
    return outcome.then((result) => this.finish(result))
  }

  /** The conversation for a stored cursor; undefined (the chat ended) when the backend refuses the cursor. */
  private async resume(backend: ChatBackend, chat: ChatRecord, cursor: Json): Promise<ChatConversation | undefined> {
    try {
      return backend.resume(storedCursor(cursor), {
        chat,
        hooks: {
          onEvents: (events, next) => this.onEvents(events, next),
          onCheckpoint: (next) => this.onCheckpoint(next),
        },
        // Backends log their own ids (Live Agent: `chatId` is its session id); ours goes under another key.
        logger: lazyChild(this.deps.logger, { hopChatId: this.chatId }),
      })
    } catch (error) {
      if (!(error instanceof BackendCursorError)) throw error
      // A stored cursor the backend refuses cannot be resumed; retrying would only loop.
      this.log.error({ err: error }, 'invalid stored cursor')
      await this.endChat('error', error.message)
      return undefined
    }
  }

  /** Opens the chat on its backend and stores the first checkpoint. Undefined when the chat ended instead. */
  private async open(backend: ChatBackend, chat: ChatRecord): Promise<Checkpoint | undefined> {
    const outcome = await backend.open(chat, {
      signal: this.signal,
      stillWanted: async () => (await stored(this.deps.store.getChat(this.chatId)))?.state !== 'ended',
    })
    switch (outcome.kind) {
      case 'opened':
        await this.savePump({ ...this.pump!, cursor: outcome.checkpoint.cursor as unknown as Json })
        return outcome.checkpoint
      case 'abandoned':
        await this.savePump({ ...this.pump!, liveAgentClosed: true })
        return undefined
      case 'failed':
        await this.endChat('error', outcome.detail)
        return undefined
    }
  }

  private async finish(outcome: ConversationOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'stopped':
        return
      case 'ended': {
        if (this.snapshot.state !== 'ended') await this.endChat(outcome.reason, outcome.detail ?? outcome.reason)
        return this.close()
      }
      case 'failed': {
        const { failure } = outcome
        if (failure.error instanceof LeaseLostError || this.leaseLost) throw new LeaseLostError(this.chatId)
        // A store failure restarts from the stored cursor; a hook that failed for another reason is a defect.
        if (failure.kind === 'persist') throw failure.error
        if (failure.kind === 'internal') throw new BackendDefectError(failure.detail, failure.error)
        // The backend gave up for good (retries spent, out of sync, a failed server move): the chat is over.
        this.log.error({ err: failure.error }, `${failure.detail}; ending the chat`)
        await this.endChat('error', failure.detail)
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

  /** The pump state for a checkpoint: `outboxDone` never goes back. */
  private next(checkpoint: Checkpoint): PumpState {
    const previous = this.pump!
    return {
      cursor: checkpoint.cursor as unknown as Json,
      outboxDone: Math.max(previous.outboxDone, outboxPositionIn(checkpoint.postIds)),
      outboxSending: null,
      liveAgentClosed: checkpoint.over,
    }
  }

  private async savePump(pump: PumpState): Promise<void> {
    const saved = await stored(this.deps.store.savePumpState(this.chatId, this.deps.config.replicaId, pump))
    if (!saved) {
      this.leaseLost = true
      throw new LeaseLostError(this.chatId)
    }
    this.pump = pump
  }

  private async onCheckpoint(checkpoint: Checkpoint): Promise<void> {
    // A split item is re-split on a replay with the length limit in force then, which may differ: store at once.
    if (checkpoint.deferrable && this.splitItemsInFlight === 0) {
      this.pump = this.next(checkpoint)
      return
    }
    await this.savePump(this.next(checkpoint))
  }

  private async onEvents(events: readonly BackendEvent[], checkpoint: Checkpoint): Promise<void> {
    const { store, metrics, config } = this.deps
    const at = Date.now()
    const translation = translateBatch(events, this.snapshot, at)
    const previousState = this.snapshot.state
    const pump = this.next(checkpoint)
    const result = await stored(
      store.commitBatch(this.chatId, config.replicaId, {
        events: translation.events,
        ...(translation.state ? { state: translation.state } : {}),
        progress: translation.progress,
        pump,
        at,
      })
    )
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
      this.deps.onEvents(this.chatId)
    }
    // The agent just joined: a paced transcript may start now.
    if (this.snapshot.state === 'agent' && previousState !== 'agent') void this.drain()
  }

  /** Ends the chat for the bot (chat.ended, state ended) unless it already ended. */
  private async endChat(reason: EndReason, detail: string): Promise<void> {
    const at = Date.now()
    const pump = { ...this.pump!, liveAgentClosed: true }
    const result = await stored(
      this.deps.store.commitBatch(this.chatId, this.deps.config.replicaId, {
        events: [endedEvent(reason, detail, at)],
        state: { state: 'ended', endReason: reason, endDetail: detail },
        pump,
        at,
      })
    )
    if (result.status === 'lease_lost') throw new LeaseLostError(this.chatId)
    this.pump = pump
    if (result.seqs.length > 0) {
      this.deps.metrics.chatsEnded.inc({ reason })
      this.deps.onEvents(this.chatId)
    }
    this.snapshot = { ...this.snapshot, state: 'ended' }
  }

  // ------------------------------------------------------------------------------------------------ outbox

  /** Hands new outbox items to the conversation, in order. One drain at a time per chat. */
  private async drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true
      return
    }
    this.draining = true
    try {
      do {
        this.drainAgain = false
        const conversation = this.conversation
        for (;;) {
          if (!conversation || this.stopped || this.closed || this.conversation !== conversation) return
          const items = await this.deps.store.readOutbox(this.chatId, this.queuedThrough, OUTBOX_READ_LIMIT)
          for (const item of items) {
            if (this.stopped || this.conversation !== conversation) return
            if (this.waitsForAgent(item)) {
              // A paced transcript starts when the agent joins (onEvents drains again then), unless the visitor
              // ended the chat first: then only the end matters.
              const end = await this.findEnd()
              if (end) await this.queueOutboxItem(conversation, end)
              // What is left waits for the agent, and so does typing (typing()): the rest has been offered.
              if (this.conversation === conversation) conversation.outboxOffered?.()
              return
            }
            await this.queueOutboxItem(conversation, item)
          }
          if (items.length < OUTBOX_READ_LIMIT) break
        }
        // After a restart the backend may hold typing hints until now (ChatConversation.outboxOffered).
        if (this.conversation === conversation && !this.stopped) conversation?.outboxOffered?.()
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

  /** Queues one outbox item on the conversation (its parts, or the visitor's end); a paced transcript line waits. */
  private async queueOutboxItem(conversation: ChatConversation, item: OutboxItem): Promise<void> {
    this.queuedThrough = item.position
    if (item.kind === 'end') {
      if (this.endCalled) return
      this.endCalled = true
      void conversation.end()
      return
    }
    const parts = splitText(item.text, this.deps.config.pump.chatMessageMaxChars)
    // Only the last part carries the item's plain id: outboxDone counts an item once all its parts are queued.
    const ids = parts.map((_, index) =>
      index === parts.length - 1 ? `outbox:${item.position}` : `outbox:${item.position}.${index + 1}`
    )
    if (parts.length > 1) this.splitItemsInFlight += 1
    const outcomes = parts.map((text, index) => conversation.send({ id: ids[index]!, text }))
    if (parts.length > 1) {
      void Promise.all(outcomes).finally(() => {
        this.splitItemsInFlight -= 1
      })
    }
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
        await sleepFor(this.deps.config.pump.transcriptPaceMs, this.signal)
      }
    }
  }
}

/** Waits `ms`, or less when `signal` fires. */
function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
