// The embedded store: one SQLite file (better-sqlite3, WAL). The default; one process owns the file.
// Writes are group-committed: every write queued while the previous commit was in flight (or in the same turn of the
// event loop), from whichever callback, runs in one transaction, so one sync covers many writes. The commits run on
// a writer thread that owns the write connection, so neither the statements nor the sync block the event loop; a
// write's promise resolves once its transaction is committed (and synced, with `synchronous = full`). Reads run on
// the main thread through their own connection: WAL readers see every committed transaction and never wait for the
// writer. An in-memory database (tests) cannot be shared between threads, so its commits run on the main thread.
import { EventEmitter } from 'node:events'
import { FREE_CHATS, JSON_IDS, MESSAGE_ID_PREFIX, SqliteConnection, type SqliteSync } from './sqlite-connection.js'
import { GroupCommit, type BatchOutcome } from './sqlite-group-commit.js'
import { SqliteWriterThread } from './sqlite-writer.js'
import type { WriteArgs, WriteCall, WriteName, WriteResult } from './sqlite-writes.js'
import {
  INITIAL_PUMP_STATE,
  type ChatRecord,
  type CommitResult,
  type EndReason,
  type EndResult,
  type EnqueueResult,
  type HopStore,
  type NewChat,
  type OutboxItem,
  type OutboxKind,
  type PumpBatch,
  type PumpState,
  type StoredHopEvent,
  type StoreNote,
  type WebhookHead,
} from './types.js'

const NOTE_EVENT = 'note'
const IN_MEMORY = ':memory:'

/** Where the commits run: `worker` (a writer thread, the default for a file) or `main` (the event loop's thread). */
export type SqliteCommitThread = 'worker' | 'main'

interface QueuedWrite {
  call: WriteCall
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export interface SqliteStoreOptions {
  file: string
  synchronous?: SqliteSync
  commitThread?: SqliteCommitThread
}

export class SqliteStore implements HopStore {
  readonly kind = 'sqlite'
  /** The main thread's connection: reads, and the commits when they run on this thread. */
  private readonly db: SqliteConnection
  private readonly notes = new EventEmitter()
  private readonly writer: { thread: SqliteWriterThread } | { inline: GroupCommit }
  private queue: QueuedWrite[] = []
  private flushScheduled = false
  /** The batch the writer thread is committing; the next one gathers meanwhile. */
  private inFlight: Promise<void> | undefined
  private closed = false
  /** Committed transactions and the writes they carried (how well group commit batches; read by tests). */
  readonly stats = { transactions: 0, writes: 0 }
  /** Replay keys answered but not committed yet (rememberOnce), with when they expire. */
  private readonly pendingReplayKeys = new Map<string, number>()

  constructor(options: SqliteStoreOptions) {
    const synchronous = options.synchronous ?? 'full'
    this.db = new SqliteConnection(options.file, synchronous)
    const onThread = (options.commitThread ?? 'worker') === 'worker' && options.file !== IN_MEMORY
    this.writer = onThread
      ? { thread: new SqliteWriterThread({ file: options.file, synchronous }) }
      : { inline: new GroupCommit(this.db) }
    this.notes.setMaxListeners(0)
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the store is closed')
    if ('thread' in this.writer) {
      await this.writer.thread.ready
      if (this.writer.thread.broken) throw this.writer.thread.broken
    }
    this.db.sql('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Everything already queued is committed and answered first.
    while (this.inFlight || this.queue.length > 0) await (this.inFlight ?? this.flush())
    if ('thread' in this.writer) await this.writer.thread.close()
    this.db.close()
  }

  // Group commit -------------------------------------------------------------------------------------------

  private write<N extends WriteName>(name: N, ...args: WriteArgs<N>): Promise<WriteResult<N>> {
    if (this.closed) return Promise.reject(new Error('the store is closed'))
    return new Promise<WriteResult<N>>((resolve, reject) => {
      this.queue.push({ call: { name, args }, resolve: resolve as (value: unknown) => void, reject })
      this.scheduleFlush()
    })
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight) return
    this.flushScheduled = true
    setImmediate(() => void this.flush())
  }

  private flush(): Promise<void> {
    this.flushScheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return Promise.resolve()
    const calls = batch.map((item) => item.call)
    if ('inline' in this.writer) {
      this.settle(batch, this.writer.inline.run(calls))
      return Promise.resolve()
    }
    const inFlight = this.writer.thread.commit(calls).then(
      (outcome) => this.settle(batch, outcome),
      (error: unknown) => batch.forEach((item) => item.reject(error))
    )
    this.inFlight = inFlight.finally(() => {
      this.inFlight = undefined
      if (this.queue.length > 0) this.scheduleFlush()
    })
    return this.inFlight
  }

  private settle(batch: readonly QueuedWrite[], { outcomes, transactions }: BatchOutcome): void {
    this.stats.transactions += transactions
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!
      if (outcome.ok) {
        this.stats.writes += 1
        item.resolve(outcome.value)
      } else item.reject(outcome.error)
    })
  }

  // Chats --------------------------------------------------------------------------------------------------

  createChat(chat: NewChat, owner: string, leaseTtlMs: number): Promise<{ chat: ChatRecord; created: boolean }> {
    return this.write('createChat', chat, owner, leaseTtlMs)
  }

  async getChat(chatId: string): Promise<ChatRecord | undefined> {
    return this.db.readChat(chatId)
  }

  requestEnd(chatId: string, reason: EndReason, at: number): Promise<EndResult> {
    return this.write('requestEnd', chatId, reason, at)
  }

  // Visitor outbox -----------------------------------------------------------------------------------------

  enqueueVisitorMessage(chatId: string, messageId: string, text: string, tenant?: string): Promise<EnqueueResult> {
    return this.write('enqueueVisitorMessage', chatId, messageId, text, tenant)
  }

  async readOutbox(chatId: string, afterPosition: number, limit: number): Promise<OutboxItem[]> {
    const rows = this.db
      .sql(
        `SELECT position, kind, message_id, text FROM visitor_outbox WHERE chat_id = ? AND position > ?
         ORDER BY position LIMIT ?`
      )
      .all(chatId, afterPosition, limit) as { position: number; kind: OutboxKind; message_id: string; text: string }[]
    return rows.map((row) => ({
      position: row.position,
      kind: row.kind,
      messageId: row.kind === 'message' ? row.message_id.slice(MESSAGE_ID_PREFIX.length) : row.message_id,
      text: row.text,
    }))
  }

  async outboxLasts(chatIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.db
      .sql(`SELECT chat_id, outbox_last FROM chats WHERE chat_id IN (${JSON_IDS})`)
      .all(JSON.stringify(chatIds)) as { chat_id: string; outbox_last: number }[]
    return new Map(rows.map((row) => [row.chat_id, row.outbox_last]))
  }

  // Pump ---------------------------------------------------------------------------------------------------

  async loadPumpState(chatId: string): Promise<PumpState> {
    const row = this.db.sql('SELECT pump FROM chats WHERE chat_id = ?').get(chatId) as
      { pump: string | null } | undefined
    return row?.pump ? (JSON.parse(row.pump) as PumpState) : { ...INITIAL_PUMP_STATE }
  }

  savePumpState(chatId: string, owner: string, pump: PumpState): Promise<boolean> {
    return this.write('savePumpState', chatId, owner, pump)
  }

  commitBatch(chatId: string, owner: string, batch: PumpBatch): Promise<CommitResult> {
    return this.write('commitBatch', chatId, owner, batch)
  }

  // Webhook outbox -----------------------------------------------------------------------------------------

  async dueWebhookChats(now: number, limit: number, owner?: string): Promise<string[]> {
    const rows = (
      owner === undefined
        ? this.db.sql('SELECT chat_id FROM chats WHERE wh_due_at <= ? ORDER BY wh_due_at LIMIT ?').all(now, limit)
        : this.db
            .sql(
              `SELECT chat_id FROM chats WHERE wh_due_at <= ? AND lease_owner = ? AND lease_expires_at > ?
             ORDER BY wh_due_at LIMIT ?`
            )
            .all(now, owner, Date.now(), limit)
    ) as { chat_id: string }[]
    return rows.map((row) => row.chat_id)
  }

  async webhookHead(chatId: string): Promise<WebhookHead | undefined> {
    const row = this.db
      .sql(
        `SELECT c.tenant, c.conversation_id, c.webhook_url, c.wh_attempts, c.wh_failing_since, w.seq, w.type, w.at, w.data
         FROM webhook_outbox w JOIN chats c ON c.chat_id = w.chat_id WHERE w.chat_id = ? ORDER BY w.seq LIMIT 1`
      )
      .get(chatId) as
      | {
          tenant: string
          conversation_id: string
          wh_attempts: number
          wh_failing_since: number | null
          webhook_url: string
          seq: number
          type: StoredHopEvent['type']
          at: string
          data: string
        }
      | undefined
    if (!row) return undefined
    return {
      chatId,
      tenant: row.tenant,
      conversationId: row.conversation_id,
      webhookUrl: row.webhook_url,
      event: { seq: row.seq, type: row.type, at: row.at, data: JSON.parse(row.data) as StoredHopEvent['data'] },
      attempts: row.wh_attempts,
      ...(row.wh_failing_since !== null ? { failingSince: row.wh_failing_since } : {}),
    }
  }

  ackWebhook(chatId: string, seq: number): Promise<void> {
    return this.write('ackWebhook', chatId, seq)
  }

  failWebhook(chatId: string, seq: number, nextAttemptAt: number, now: number): Promise<void> {
    return this.write('failWebhook', chatId, seq, nextAttemptAt, now)
  }

  deadLetterWebhooks(chatId: string, now: number): Promise<number> {
    return this.write('deadLetterWebhooks', chatId, now)
  }

  async deadLetters(chatId: string): Promise<StoredHopEvent[]> {
    const rows = this.db
      .sql('SELECT seq, type, at, data FROM dead_letters WHERE chat_id = ? ORDER BY seq')
      .all(chatId) as { seq: number; type: StoredHopEvent['type']; at: string; data: string }[]
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as StoredHopEvent['data'] }))
  }

  async pendingWebhookCount(chatId: string): Promise<number> {
    const row = this.db.sql('SELECT COUNT(*) AS n FROM webhook_outbox WHERE chat_id = ?').get(chatId) as {
      n: number
    }
    return row.n
  }

  // Leases -------------------------------------------------------------------------------------------------

  acquireLeases(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    // Most scans find nothing: a read answers that without a write transaction (a later scan takes what is due next).
    if (this.closed) return Promise.reject(new Error('the store is closed'))
    if (this.db.sql(`SELECT 1 FROM (${FREE_CHATS}) LIMIT 1`).get(Date.now()) === undefined) return Promise.resolve([])
    return this.write('acquireLeases', owner, ttlMs, limit)
  }

  reclaimLeases(owner: string, ttlMs: number): Promise<string[]> {
    return this.write('reclaimLeases', owner, ttlMs)
  }

  renewLeases(owner: string, chatIds: readonly string[], ttlMs: number): Promise<string[]> {
    if (chatIds.length === 0) return Promise.resolve([])
    return this.write('renewLeases', owner, chatIds, ttlMs)
  }

  releaseLeases(owner: string, chatIds: readonly string[]): Promise<void> {
    if (chatIds.length === 0) return Promise.resolve()
    return this.write('releaseLeases', owner, chatIds)
  }

  async leaseOwner(chatId: string): Promise<string | undefined> {
    const row = this.db
      .sql('SELECT lease_owner FROM chats WHERE chat_id = ? AND lease_expires_at > ?')
      .get(chatId, Date.now()) as { lease_owner: string | null } | undefined
    return row?.lease_owner ?? undefined
  }

  retireChat(chatId: string, owner: string): Promise<boolean> {
    return this.write('retireChat', chatId, owner)
  }

  async activeChatCount(): Promise<number> {
    return (this.db.sql('SELECT COUNT(*) AS n FROM chats WHERE active = 1').get() as { n: number }).n
  }

  // Misc ---------------------------------------------------------------------------------------------------

  /**
   * Answered at once from the table and the keys queued but not yet committed; the key is written by the next group
   * commit, without a transaction of its own and without its caller waiting. The action the request authorises is
   * queued after this answer, so it commits in the same transaction or a later one: once the action is durable the
   * key is too, and a replay after a restart (or a kill -9) is still refused. One process owns the file, so this
   * process sees every key. (A request that writes nothing, a status read, may be answered before its key is
   * durable; replaying it after a crash in that instant repeats a read.)
   */
  async rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean> {
    if (this.closed) throw new Error('the store is closed')
    const pending = this.pendingReplayKeys.get(key)
    if (pending !== undefined && pending > now) return false
    const stored = this.db.sql('SELECT expires_at FROM replay WHERE key = ?').get(key) as
      { expires_at: number } | undefined
    if (stored && stored.expires_at > now) return false
    const expiresAt = now + ttlMs
    this.pendingReplayKeys.set(key, expiresAt)
    this.write('rememberKey', key, expiresAt).then(
      () => this.pendingReplayKeys.delete(key),
      () => this.pendingReplayKeys.delete(key)
    )
    return true
  }

  purgeEnded(endedBefore: number, limit: number): Promise<number> {
    return this.write('purgeEnded', endedBefore, limit)
  }

  async publish(note: StoreNote): Promise<void> {
    // One process owns the file, so notes stay in this process.
    queueMicrotask(() => this.notes.emit(NOTE_EVENT, note))
  }

  subscribe(listener: (note: StoreNote) => void): void {
    this.notes.on(NOTE_EVENT, listener)
  }
}
