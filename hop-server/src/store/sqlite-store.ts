// The embedded store: one SQLite file (better-sqlite3, WAL). The default; one process owns the file.
// Writes are group-committed: every write queued in the same turn of the event loop, from whichever callback, runs
// in one transaction, so one fsync covers many writes. No savepoints on the way: a write that throws (rare: the
// expected refusals are return values) rolls the whole transaction back, and the batch is then replayed one write
// per transaction, so only the failing caller fails.
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import {
  INITIAL_PUMP_STATE,
  type ChatRecord,
  type ChatRequest,
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
import { endedEvent } from './events.js'

/**
 * A list of chat ids bound as one JSON array parameter: one statement text (prepared once) for any number of ids,
 * where `IN (?, ?, …)` compiled and cached a statement per list length and had to be chunked below SQLite's
 * parameter limit.
 */
const JSON_IDS = 'SELECT value FROM json_each(?)'
/**
 * Active chats nobody holds: released (no expiry) or expired at the bound time. Two searches of the `chats_active`
 * index; one `IS NULL OR <=` condition made SQLite scan the whole index (every open chat) on every lease scan.
 * Release and retirement clear the owner and the expiry together, so "no expiry" is "no owner".
 */
const FREE_CHATS = `SELECT chat_id FROM chats WHERE active = 1 AND lease_expires_at IS NULL
  UNION ALL SELECT chat_id FROM chats WHERE active = 1 AND lease_expires_at <= ?`
const NOTE_EVENT = 'note'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS chats (
  chat_id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  webhook_url TEXT NOT NULL,
  state TEXT NOT NULL,
  progress TEXT NOT NULL DEFAULT '{}',
  end_reason TEXT,
  end_detail TEXT,
  created_at INTEGER NOT NULL,
  ended_at INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  last_seq INTEGER NOT NULL DEFAULT 0,
  outbox_last INTEGER NOT NULL DEFAULT 0,
  pump TEXT,
  wh_due_at INTEGER,
  wh_attempts INTEGER NOT NULL DEFAULT 0,
  wh_failing_since INTEGER,
  lease_owner TEXT,
  lease_expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS chats_active ON chats(lease_expires_at) WHERE active = 1;
CREATE INDEX IF NOT EXISTS chats_webhook_due ON chats(wh_due_at) WHERE wh_due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS chats_retired ON chats(ended_at) WHERE active = 0;
CREATE TABLE IF NOT EXISTS chat_requests (chat_id TEXT PRIMARY KEY, request TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS open_conversations (
  tenant TEXT NOT NULL, conversation_id TEXT NOT NULL, chat_id TEXT NOT NULL, PRIMARY KEY (tenant, conversation_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS visitor_outbox (
  chat_id TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL, message_id TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (chat_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS visitor_outbox_message ON visitor_outbox(chat_id, message_id);
CREATE TABLE IF NOT EXISTS webhook_outbox (
  chat_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letters (
  chat_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL,
  dead_at INTEGER NOT NULL, PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replay (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`

interface ChatRow {
  chat_id: string
  tenant: string
  conversation_id: string
  state: ChatRecord['state']
  progress: string
  end_reason: EndReason | null
  end_detail: string | null
  created_at: number
  ended_at: number | null
  request: string
}

interface QueuedWrite {
  run: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export interface SqliteStoreOptions {
  file: string
  synchronous?: 'full' | 'normal'
}

export class SqliteStore implements HopStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database
  private readonly notes = new EventEmitter()
  private readonly statements = new Map<string, Database.Statement>()
  private queue: QueuedWrite[] = []
  private flushScheduled = false
  private closed = false
  private readonly begin: Database.Statement
  private readonly commit: Database.Statement
  private readonly rollback: Database.Statement
  /** Committed transactions and the writes they carried (how well group commit batches; read by tests). */
  readonly stats = { transactions: 0, writes: 0 }
  /** Replay keys answered but not committed yet (rememberOnce), with when they expire. */
  private readonly pendingReplayKeys = new Map<string, number>()

  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true })
    this.db = new Database(options.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
    this.begin = this.db.prepare('BEGIN IMMEDIATE')
    this.commit = this.db.prepare('COMMIT')
    this.rollback = this.db.prepare('ROLLBACK')
    this.notes.setMaxListeners(0)
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the store is closed')
    this.sql('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.flush()
    this.closed = true
    this.db.close()
  }

  /** Prepared statements, compiled once per SQL text. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  // Group commit -------------------------------------------------------------------------------------------

  private write<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject })
      if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.flushScheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0 || this.closed) return
    const values: unknown[] = []
    try {
      this.begin.run()
      for (const item of batch) values.push(item.run())
      this.commit.run()
      this.stats.transactions += 1
      this.stats.writes += batch.length
    } catch {
      if (this.db.inTransaction) this.rollback.run()
      // Replayed one by one against the state before the batch: the failing write fails alone.
      for (const item of batch) this.runAlone(item)
      return
    }
    batch.forEach((item, index) => item.resolve(values[index]))
  }

  /** One write in its own transaction; its caller gets the result or the error. */
  private runAlone(item: QueuedWrite): void {
    let value: unknown
    try {
      this.begin.run()
      value = item.run()
      this.commit.run()
      this.stats.transactions += 1
      this.stats.writes += 1
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run()
      item.reject(error)
      return
    }
    item.resolve(value)
  }

  // Chats --------------------------------------------------------------------------------------------------

  createChat(chat: NewChat, owner: string, leaseTtlMs: number): Promise<{ chat: ChatRecord; created: boolean }> {
    return this.write(() => {
      const open = this.sql('SELECT chat_id FROM open_conversations WHERE tenant = ? AND conversation_id = ?').get(
        chat.tenant,
        chat.request.conversationId
      ) as { chat_id: string } | undefined
      if (open) return { chat: this.readChat(open.chat_id)!, created: false }
      this.sql(
        `INSERT INTO chats (chat_id, tenant, conversation_id, webhook_url, state, created_at, pump, lease_owner,
             lease_expires_at, outbox_last) VALUES (?, ?, ?, ?, 'connecting', ?, ?, ?, ?, ?)`
      ).run(
        chat.chatId,
        chat.tenant,
        chat.request.conversationId,
        chat.request.webhookUrl,
        chat.createdAt,
        JSON.stringify(INITIAL_PUMP_STATE),
        owner,
        chat.createdAt + leaseTtlMs,
        chat.transcriptItems.length
      )
      this.sql('INSERT INTO chat_requests (chat_id, request) VALUES (?, ?)').run(
        chat.chatId,
        JSON.stringify(chat.request)
      )
      this.sql('INSERT INTO open_conversations (tenant, conversation_id, chat_id) VALUES (?, ?, ?)').run(
        chat.tenant,
        chat.request.conversationId,
        chat.chatId
      )
      const insertItem = this.sql(
        `INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'transcript', ?, ?)`
      )
      chat.transcriptItems.forEach((text, index) =>
        insertItem.run(chat.chatId, index + 1, `transcript:${index + 1}`, text)
      )
      return { chat: this.readChat(chat.chatId)!, created: true }
    })
  }

  async getChat(chatId: string): Promise<ChatRecord | undefined> {
    return this.readChat(chatId)
  }

  private readChat(chatId: string): ChatRecord | undefined {
    const row = this.sql(
      `SELECT c.chat_id, c.tenant, c.conversation_id, c.state, c.progress, c.end_reason, c.end_detail, c.created_at,
           c.ended_at, r.request FROM chats c JOIN chat_requests r ON r.chat_id = c.chat_id WHERE c.chat_id = ?`
    ).get(chatId) as ChatRow | undefined
    if (!row) return undefined
    return {
      chatId: row.chat_id,
      tenant: row.tenant,
      conversationId: row.conversation_id,
      request: JSON.parse(row.request) as ChatRequest,
      state: row.state,
      progress: JSON.parse(row.progress) as ChatRecord['progress'],
      ...(row.end_reason ? { endReason: row.end_reason } : {}),
      ...(row.end_detail ? { endDetail: row.end_detail } : {}),
      createdAt: row.created_at,
      ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}),
    }
  }

  requestEnd(chatId: string, reason: EndReason, at: number): Promise<EndResult> {
    return this.write(() => {
      const row = this.sql('SELECT state FROM chats WHERE chat_id = ?').get(chatId) as { state: string } | undefined
      if (!row) return 'not_found'
      if (row.state === 'ended') return 'already_ended'
      this.markEnded(chatId, reason, undefined, at)
      this.appendEvents(chatId, [endedEvent(reason, undefined, at)], at)
      const position = this.nextOutboxPosition(chatId)
      this.sql(
        `INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'end', 'end', '')`
      ).run(chatId, position)
      return 'ended'
    })
  }

  private markEnded(chatId: string, reason: EndReason, detail: string | undefined, at: number): void {
    this.sql(`UPDATE chats SET state = 'ended', end_reason = ?, end_detail = ?, ended_at = ? WHERE chat_id = ?`).run(
      reason,
      detail ?? null,
      at,
      chatId
    )
    this.sql('DELETE FROM open_conversations WHERE chat_id = ?').run(chatId)
  }

  private nextOutboxPosition(chatId: string): number {
    const row = this.sql('UPDATE chats SET outbox_last = outbox_last + 1 WHERE chat_id = ? RETURNING outbox_last').get(
      chatId
    ) as { outbox_last: number }
    return row.outbox_last
  }

  /** Gives each event the next seq; makes the chat's delivery due if it was idle. Inside a transaction. */
  private appendEvents(chatId: string, events: PumpBatch['events'], now: number): number[] {
    if (events.length === 0) return []
    const row = this.sql(
      `UPDATE chats SET last_seq = last_seq + ?, wh_due_at = COALESCE(wh_due_at, ?) WHERE chat_id = ?
         RETURNING last_seq`
    ).get(events.length, now, chatId) as { last_seq: number }
    const first = row.last_seq - events.length + 1
    const insert = this.sql('INSERT INTO webhook_outbox (chat_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)')
    return events.map((event, index) => {
      insert.run(chatId, first + index, event.type, event.at, JSON.stringify(event.data))
      return first + index
    })
  }

  // Visitor outbox -----------------------------------------------------------------------------------------

  enqueueVisitorMessage(chatId: string, messageId: string, text: string, tenant?: string): Promise<EnqueueResult> {
    return this.write(() => {
      const row = this.sql('SELECT state, tenant FROM chats WHERE chat_id = ?').get(chatId) as
        { state: string; tenant: string } | undefined
      if (!row || (tenant !== undefined && row.tenant !== tenant)) return 'not_found'
      const known = this.sql('SELECT 1 FROM visitor_outbox WHERE chat_id = ? AND message_id = ?').get(
        chatId,
        messageIdKey(messageId)
      )
      if (known) return 'duplicate'
      if (row.state === 'ended') return 'ended'
      const position = this.nextOutboxPosition(chatId)
      this.sql(
        `INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'message', ?, ?)`
      ).run(chatId, position, messageIdKey(messageId), text)
      return 'accepted'
    })
  }

  async readOutbox(chatId: string, afterPosition: number, limit: number): Promise<OutboxItem[]> {
    const rows = this.sql(
      `SELECT position, kind, message_id, text FROM visitor_outbox WHERE chat_id = ? AND position > ?
         ORDER BY position LIMIT ?`
    ).all(chatId, afterPosition, limit) as { position: number; kind: OutboxKind; message_id: string; text: string }[]
    return rows.map((row) => ({
      position: row.position,
      kind: row.kind,
      messageId: row.kind === 'message' ? row.message_id.slice(MESSAGE_ID_PREFIX.length) : row.message_id,
      text: row.text,
    }))
  }

  async outboxLasts(chatIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.sql(`SELECT chat_id, outbox_last FROM chats WHERE chat_id IN (${JSON_IDS})`).all(
      JSON.stringify(chatIds)
    ) as { chat_id: string; outbox_last: number }[]
    return new Map(rows.map((row) => [row.chat_id, row.outbox_last]))
  }

  // Pump ---------------------------------------------------------------------------------------------------

  async loadPumpState(chatId: string): Promise<PumpState> {
    const row = this.sql('SELECT pump FROM chats WHERE chat_id = ?').get(chatId) as { pump: string | null } | undefined
    return row?.pump ? (JSON.parse(row.pump) as PumpState) : { ...INITIAL_PUMP_STATE }
  }

  savePumpState(chatId: string, owner: string, pump: PumpState): Promise<boolean> {
    return this.write(() => {
      const changes = this.sql(
        'UPDATE chats SET pump = ? WHERE chat_id = ? AND lease_owner = ? AND lease_expires_at > ?'
      ).run(JSON.stringify(pump), chatId, owner, Date.now()).changes
      return changes === 1
    })
  }

  commitBatch(chatId: string, owner: string, batch: PumpBatch): Promise<CommitResult> {
    return this.write((): CommitResult => {
      // The lease check, the pump state and the progress in one statement; the progress only while the chat is open.
      const progress = batch.progress ? JSON.stringify(batch.progress) : null
      const row = this.sql(
        `UPDATE chats SET pump = ?, progress = CASE WHEN state = 'ended' OR ? IS NULL THEN progress ELSE ? END
           WHERE chat_id = ? AND lease_owner = ? AND lease_expires_at > ? RETURNING state`
      ).get(JSON.stringify(batch.pump), progress, progress, chatId, owner, Date.now()) as { state: string } | undefined
      if (!row) return { status: 'lease_lost' }
      // After `chat.ended` nothing else may reach the webhook: the chat was ended (by the visitor) first.
      if (row.state === 'ended') return { status: 'ok', seqs: [], chatEnded: true }
      const update = batch.state
      if (update?.state === 'ended') this.markEnded(chatId, update.endReason, update.endDetail, batch.at)
      else if (update) this.sql('UPDATE chats SET state = ? WHERE chat_id = ?').run(update.state, chatId)
      const seqs = this.appendEvents(chatId, batch.events, batch.at)
      return { status: 'ok', seqs, chatEnded: update?.state === 'ended' }
    })
  }

  // Webhook outbox -----------------------------------------------------------------------------------------

  async dueWebhookChats(now: number, limit: number, owner?: string): Promise<string[]> {
    const rows = (
      owner === undefined
        ? this.sql('SELECT chat_id FROM chats WHERE wh_due_at <= ? ORDER BY wh_due_at LIMIT ?').all(now, limit)
        : this.sql(
            `SELECT chat_id FROM chats WHERE wh_due_at <= ? AND lease_owner = ? AND lease_expires_at > ?
             ORDER BY wh_due_at LIMIT ?`
          ).all(now, owner, Date.now(), limit)
    ) as { chat_id: string }[]
    return rows.map((row) => row.chat_id)
  }

  async webhookHead(chatId: string): Promise<WebhookHead | undefined> {
    const row = this.sql(
      `SELECT c.tenant, c.conversation_id, c.webhook_url, c.wh_attempts, c.wh_failing_since, w.seq, w.type, w.at, w.data
         FROM webhook_outbox w JOIN chats c ON c.chat_id = w.chat_id WHERE w.chat_id = ? ORDER BY w.seq LIMIT 1`
    ).get(chatId) as
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
    return this.write(() => {
      const head = this.sql('SELECT MIN(seq) AS seq FROM webhook_outbox WHERE chat_id = ?').get(chatId) as {
        seq: number | null
      }
      if (head.seq !== seq) return
      this.sql('DELETE FROM webhook_outbox WHERE chat_id = ? AND seq = ?').run(chatId, seq)
      const more = this.sql('SELECT 1 FROM webhook_outbox WHERE chat_id = ? LIMIT 1').get(chatId) !== undefined
      this.sql('UPDATE chats SET wh_due_at = ?, wh_attempts = 0, wh_failing_since = NULL WHERE chat_id = ?').run(
        more ? 0 : null,
        chatId
      )
    })
  }

  failWebhook(chatId: string, seq: number, nextAttemptAt: number, now: number): Promise<void> {
    return this.write(() => {
      const head = this.sql('SELECT MIN(seq) AS seq FROM webhook_outbox WHERE chat_id = ?').get(chatId) as {
        seq: number | null
      }
      if (head.seq !== seq) return
      this.sql(
        `UPDATE chats SET wh_due_at = ?, wh_attempts = wh_attempts + 1, wh_failing_since = COALESCE(wh_failing_since, ?)
           WHERE chat_id = ?`
      ).run(nextAttemptAt, now, chatId)
    })
  }

  deadLetterWebhooks(chatId: string, now: number): Promise<number> {
    return this.write(() => {
      const moved = this.sql(
        `INSERT OR REPLACE INTO dead_letters (chat_id, seq, type, at, data, dead_at)
           SELECT chat_id, seq, type, at, data, ? FROM webhook_outbox WHERE chat_id = ?`
      ).run(now, chatId).changes
      this.sql('DELETE FROM webhook_outbox WHERE chat_id = ?').run(chatId)
      this.sql('UPDATE chats SET wh_due_at = NULL, wh_attempts = 0, wh_failing_since = NULL WHERE chat_id = ?').run(
        chatId
      )
      return moved
    })
  }

  async deadLetters(chatId: string): Promise<StoredHopEvent[]> {
    const rows = this.sql('SELECT seq, type, at, data FROM dead_letters WHERE chat_id = ? ORDER BY seq').all(
      chatId
    ) as { seq: number; type: StoredHopEvent['type']; at: string; data: string }[]
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as StoredHopEvent['data'] }))
  }

  async pendingWebhookCount(chatId: string): Promise<number> {
    const row = this.sql('SELECT COUNT(*) AS n FROM webhook_outbox WHERE chat_id = ?').get(chatId) as {
      n: number
    }
    return row.n
  }

  // Leases -------------------------------------------------------------------------------------------------

  acquireLeases(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    // Most scans find nothing: a read answers that without a write transaction (a later scan takes what is due next).
    if (this.closed) return Promise.reject(new Error('the store is closed'))
    if (this.sql(`SELECT 1 FROM (${FREE_CHATS}) LIMIT 1`).get(Date.now()) === undefined) return Promise.resolve([])
    return this.write(() => {
      const now = Date.now()
      const rows = this.sql(
        `UPDATE chats SET lease_owner = ?, lease_expires_at = ? WHERE chat_id IN (${FREE_CHATS} LIMIT ?)
           RETURNING chat_id`
      ).all(owner, now + ttlMs, now, limit) as { chat_id: string }[]
      return rows.map((row) => row.chat_id)
    })
  }

  reclaimLeases(owner: string, ttlMs: number): Promise<string[]> {
    return this.write(() => {
      const rows = this.sql(
        `UPDATE chats SET lease_expires_at = ? WHERE active = 1 AND lease_owner = ? AND lease_expires_at > ?
           RETURNING chat_id`
      ).all(Date.now() + ttlMs, owner, Date.now()) as { chat_id: string }[]
      return rows.map((row) => row.chat_id)
    })
  }

  renewLeases(owner: string, chatIds: readonly string[], ttlMs: number): Promise<string[]> {
    if (chatIds.length === 0) return Promise.resolve([])
    const ids = JSON.stringify(chatIds)
    return this.write(() => {
      const now = Date.now()
      const rows = this.sql(
        `UPDATE chats SET lease_expires_at = ? WHERE chat_id IN (${JSON_IDS}) AND lease_owner = ? AND lease_expires_at > ?
           RETURNING chat_id`
      ).all(now + ttlMs, ids, owner, now) as { chat_id: string }[]
      return rows.map((row) => row.chat_id)
    })
  }

  releaseLeases(owner: string, chatIds: readonly string[]): Promise<void> {
    if (chatIds.length === 0) return Promise.resolve()
    const ids = JSON.stringify(chatIds)
    return this.write(() => {
      this.sql(
        `UPDATE chats SET lease_owner = NULL, lease_expires_at = NULL WHERE chat_id IN (${JSON_IDS}) AND lease_owner = ?`
      ).run(ids, owner)
    })
  }

  async leaseOwner(chatId: string): Promise<string | undefined> {
    const row = this.sql('SELECT lease_owner FROM chats WHERE chat_id = ? AND lease_expires_at > ?').get(
      chatId,
      Date.now()
    ) as { lease_owner: string | null } | undefined
    return row?.lease_owner ?? undefined
  }

  retireChat(chatId: string, owner: string): Promise<boolean> {
    return this.write(() => {
      const changes = this.sql(
        `UPDATE chats SET active = 0, lease_owner = NULL, lease_expires_at = NULL WHERE chat_id = ? AND lease_owner = ?
           AND state = 'ended' AND wh_due_at IS NULL`
      ).run(chatId, owner).changes
      return changes === 1
    })
  }

  async activeChatCount(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM chats WHERE active = 1').get() as { n: number }).n
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
    const stored = this.sql('SELECT expires_at FROM replay WHERE key = ?').get(key) as
      { expires_at: number } | undefined
    if (stored && stored.expires_at > now) return false
    const expiresAt = now + ttlMs
    this.pendingReplayKeys.set(key, expiresAt)
    const remember = () => {
      this.sql(
        `INSERT INTO replay (key, expires_at) VALUES (?, ?)
           ON CONFLICT(key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay.expires_at < excluded.expires_at`
      ).run(key, expiresAt)
    }
    // Nobody waits for it: a failed commit fails the action queued with it, which its caller sees.
    this.write(remember).then(
      () => this.pendingReplayKeys.delete(key),
      () => this.pendingReplayKeys.delete(key)
    )
    return true
  }

  purgeEnded(endedBefore: number, limit: number): Promise<number> {
    return this.write(() => {
      this.sql('DELETE FROM replay WHERE expires_at <= ?').run(Date.now())
      const ids = (
        this.sql('SELECT chat_id FROM chats WHERE active = 0 AND ended_at < ? LIMIT ?').all(endedBefore, limit) as {
          chat_id: string
        }[]
      ).map((row) => row.chat_id)
      for (const table of ['visitor_outbox', 'webhook_outbox', 'dead_letters', 'chat_requests', 'chats']) {
        const remove = this.sql(`DELETE FROM ${table} WHERE chat_id = ?`)
        for (const id of ids) remove.run(id)
      }
      return ids.length
    })
  }

  async publish(note: StoreNote): Promise<void> {
    // One process owns the file, so notes stay in this process.
    queueMicrotask(() => this.notes.emit(NOTE_EVENT, note))
  }

  subscribe(listener: (note: StoreNote) => void): void {
    this.notes.on(NOTE_EVENT, listener)
  }
}

/**
 * Visitor message ids share the outbox's unique index with the `transcript:<n>` and `end` ids; a prefix keeps a
 * visitor who picks the message id "end" from colliding with them.
 */
const MESSAGE_ID_PREFIX = 'm:'
const messageIdKey = (messageId: string) => `${MESSAGE_ID_PREFIX}${messageId}`
