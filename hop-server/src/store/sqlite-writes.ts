// Every write of the SQLite store, as a named operation on a connection inside an open transaction. Named (not
// closures) so that the writer thread can run them: the store sends the name and the arguments, the writer runs the
// batch in one transaction and sends the results back (sqlite-group-commit.ts).
import { endedEvent } from './events.js'
import { FREE_CHATS, JSON_IDS, messageIdKey, type SqliteConnection } from './sqlite-connection.js'
import {
  INITIAL_PUMP_STATE,
  type ChatRecord,
  type CommitResult,
  type EndReason,
  type EndResult,
  type EnqueueResult,
  type NewChat,
  type PumpBatch,
  type PumpState,
} from './types.js'

function markEnded(db: SqliteConnection, chatId: string, reason: EndReason, detail: string | undefined, at: number) {
  db.sql(`UPDATE chats SET state = 'ended', end_reason = ?, end_detail = ?, ended_at = ? WHERE chat_id = ?`).run(
    reason,
    detail ?? null,
    at,
    chatId
  )
  db.sql('DELETE FROM open_conversations WHERE chat_id = ?').run(chatId)
}

function nextOutboxPosition(db: SqliteConnection, chatId: string): number {
  const row = db
    .sql('UPDATE chats SET outbox_last = outbox_last + 1 WHERE chat_id = ? RETURNING outbox_last')
    .get(chatId) as { outbox_last: number }
  return row.outbox_last
}

/** Gives each event the next seq; makes the chat's delivery due if it was idle. */
function appendEvents(db: SqliteConnection, chatId: string, events: PumpBatch['events'], now: number): number[] {
  if (events.length === 0) return []
  const row = db
    .sql(
      `UPDATE chats SET last_seq = last_seq + ?, wh_due_at = COALESCE(wh_due_at, ?) WHERE chat_id = ?
         RETURNING last_seq`
    )
    .get(events.length, now, chatId) as { last_seq: number }
  const first = row.last_seq - events.length + 1
  const insert = db.sql('INSERT INTO webhook_outbox (chat_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)')
  return events.map((event, index) => {
    insert.run(chatId, first + index, event.type, event.at, JSON.stringify(event.data))
    return first + index
  })
}

function webhookHeadSeq(db: SqliteConnection, chatId: string): number | null {
  return (db.sql('SELECT MIN(seq) AS seq FROM webhook_outbox WHERE chat_id = ?').get(chatId) as { seq: number | null })
    .seq
}

export const SQLITE_WRITES = {
  createChat(
    db: SqliteConnection,
    chat: NewChat,
    owner: string,
    leaseTtlMs: number
  ): { chat: ChatRecord; created: boolean } {
    const open = db
      .sql('SELECT chat_id FROM open_conversations WHERE tenant = ? AND conversation_id = ?')
      .get(chat.tenant, chat.request.conversationId) as { chat_id: string } | undefined
    if (open) return { chat: db.readChat(open.chat_id)!, created: false }
    db.sql(
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
    db.sql('INSERT INTO chat_requests (chat_id, request) VALUES (?, ?)').run(chat.chatId, JSON.stringify(chat.request))
    db.sql('INSERT INTO open_conversations (tenant, conversation_id, chat_id) VALUES (?, ?, ?)').run(
      chat.tenant,
      chat.request.conversationId,
      chat.chatId
    )
    const insertItem = db.sql(
      `INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'transcript', ?, ?)`
    )
    chat.transcriptItems.forEach((text, index) =>
      insertItem.run(chat.chatId, index + 1, `transcript:${index + 1}`, text)
    )
    return { chat: db.readChat(chat.chatId)!, created: true }
  },

  requestEnd(db: SqliteConnection, chatId: string, reason: EndReason, at: number): EndResult {
    const row = db.sql('SELECT state FROM chats WHERE chat_id = ?').get(chatId) as { state: string } | undefined
    if (!row) return 'not_found'
    if (row.state === 'ended') return 'already_ended'
    markEnded(db, chatId, reason, undefined, at)
    appendEvents(db, chatId, [endedEvent(reason, undefined, at)], at)
    db.sql(
      `INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'end', 'end', '')`
    ).run(chatId, nextOutboxPosition(db, chatId))
    return 'ended'
  },

  enqueueVisitorMessage(
    db: SqliteConnection,
    chatId: string,
    messageId: string,
    text: string,
    tenant: string | undefined
  ): EnqueueResult {
    const row = db.sql('SELECT state, tenant FROM chats WHERE chat_id = ?').get(chatId) as
      { state: string; tenant: string } | undefined
    if (!row || (tenant !== undefined && row.tenant !== tenant)) return 'not_found'
    const known = db
      .sql('SELECT 1 FROM visitor_outbox WHERE chat_id = ? AND message_id = ?')
      .get(chatId, messageIdKey(messageId))
    if (known) return 'duplicate'
    if (row.state === 'ended') return 'ended'
    const position = nextOutboxPosition(db, chatId)
    db.sql(`INSERT INTO visitor_outbox (chat_id, position, kind, message_id, text) VALUES (?, ?, 'message', ?, ?)`).run(
      chatId,
      position,
      messageIdKey(messageId),
      text
    )
    return 'accepted'
  },

  savePumpState(db: SqliteConnection, chatId: string, owner: string, pump: PumpState): boolean {
    const changes = db
      .sql('UPDATE chats SET pump = ? WHERE chat_id = ? AND lease_owner = ? AND lease_expires_at > ?')
      .run(JSON.stringify(pump), chatId, owner, Date.now()).changes
    return changes === 1
  },

  commitBatch(db: SqliteConnection, chatId: string, owner: string, batch: PumpBatch): CommitResult {
    // The lease check, the pump state and the progress in one statement; the progress only while the chat is open.
    const progress = batch.progress ? JSON.stringify(batch.progress) : null
    const row = db
      .sql(
        `UPDATE chats SET pump = ?, progress = CASE WHEN state = 'ended' OR ? IS NULL THEN progress ELSE ? END
           WHERE chat_id = ? AND lease_owner = ? AND lease_expires_at > ? RETURNING state`
      )
      .get(JSON.stringify(batch.pump), progress, progress, chatId, owner, Date.now()) as { state: string } | undefined
    if (!row) return { status: 'lease_lost' }
    // After `chat.ended` nothing else may reach the webhook: the chat was ended (by the visitor) first.
    if (row.state === 'ended') return { status: 'ok', seqs: [], chatEnded: true }
    const update = batch.state
    if (update?.state === 'ended') markEnded(db, chatId, update.endReason, update.endDetail, batch.at)
    else if (update) db.sql('UPDATE chats SET state = ? WHERE chat_id = ?').run(update.state, chatId)
    const seqs = appendEvents(db, chatId, batch.events, batch.at)
    return { status: 'ok', seqs, chatEnded: update?.state === 'ended' }
  },

  ackWebhook(db: SqliteConnection, chatId: string, seq: number): void {
    if (webhookHeadSeq(db, chatId) !== seq) return
    db.sql('DELETE FROM webhook_outbox WHERE chat_id = ? AND seq = ?').run(chatId, seq)
    const more = db.sql('SELECT 1 FROM webhook_outbox WHERE chat_id = ? LIMIT 1').get(chatId) !== undefined
    db.sql('UPDATE chats SET wh_due_at = ?, wh_attempts = 0, wh_failing_since = NULL WHERE chat_id = ?').run(
      more ? 0 : null,
      chatId
    )
  },

  failWebhook(db: SqliteConnection, chatId: string, seq: number, nextAttemptAt: number, now: number): void {
    if (webhookHeadSeq(db, chatId) !== seq) return
    db.sql(
      `UPDATE chats SET wh_due_at = ?, wh_attempts = wh_attempts + 1, wh_failing_since = COALESCE(wh_failing_since, ?)
         WHERE chat_id = ?`
    ).run(nextAttemptAt, now, chatId)
  },

  deadLetterWebhooks(db: SqliteConnection, chatId: string, now: number): number {
    const moved = db
      .sql(
        `INSERT OR REPLACE INTO dead_letters (chat_id, seq, type, at, data, dead_at)
           SELECT chat_id, seq, type, at, data, ? FROM webhook_outbox WHERE chat_id = ?`
      )
      .run(now, chatId).changes
    db.sql('DELETE FROM webhook_outbox WHERE chat_id = ?').run(chatId)
    db.sql('UPDATE chats SET wh_due_at = NULL, wh_attempts = 0, wh_failing_since = NULL WHERE chat_id = ?').run(chatId)
    return moved
  },

  acquireLeases(db: SqliteConnection, owner: string, ttlMs: number, limit: number): string[] {
    const now = Date.now()
    const rows = db
      .sql(
        `UPDATE chats SET lease_owner = ?, lease_expires_at = ? WHERE chat_id IN (${FREE_CHATS} LIMIT ?)
           RETURNING chat_id`
      )
      .all(owner, now + ttlMs, now, limit) as { chat_id: string }[]
    return rows.map((row) => row.chat_id)
  },

  reclaimLeases(db: SqliteConnection, owner: string, ttlMs: number): string[] {
    const now = Date.now()
    const rows = db
      .sql(
        `UPDATE chats SET lease_expires_at = ? WHERE active = 1 AND lease_owner = ? AND lease_expires_at > ?
           RETURNING chat_id`
      )
      .all(now + ttlMs, owner, now) as { chat_id: string }[]
    return rows.map((row) => row.chat_id)
  },

  renewLeases(db: SqliteConnection, owner: string, chatIds: readonly string[], ttlMs: number): string[] {
    const now = Date.now()
    const rows = db
      .sql(
        `UPDATE chats SET lease_expires_at = ? WHERE chat_id IN (${JSON_IDS}) AND lease_owner = ? AND lease_expires_at > ?
           RETURNING chat_id`
      )
      .all(now + ttlMs, JSON.stringify(chatIds), owner, now) as { chat_id: string }[]
    return rows.map((row) => row.chat_id)
  },

  releaseLeases(db: SqliteConnection, owner: string, chatIds: readonly string[]): void {
    db.sql(
      `UPDATE chats SET lease_owner = NULL, lease_expires_at = NULL WHERE chat_id IN (${JSON_IDS}) AND lease_owner = ?`
    ).run(JSON.stringify(chatIds), owner)
  },

  retireChat(db: SqliteConnection, chatId: string, owner: string): boolean {
    const changes = db
      .sql(
        `UPDATE chats SET active = 0, lease_owner = NULL, lease_expires_at = NULL WHERE chat_id = ? AND lease_owner = ?
           AND state = 'ended' AND wh_due_at IS NULL`
      )
      .run(chatId, owner).changes
    return changes === 1
  },

  rememberKey(db: SqliteConnection, key: string, expiresAt: number): void {
    db.sql(
      `INSERT INTO replay (key, expires_at) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay.expires_at < excluded.expires_at`
    ).run(key, expiresAt)
  },

  purgeEnded(db: SqliteConnection, endedBefore: number, limit: number): number {
    db.sql('DELETE FROM replay WHERE expires_at <= ?').run(Date.now())
    const ids = (
      db.sql('SELECT chat_id FROM chats WHERE active = 0 AND ended_at < ? LIMIT ?').all(endedBefore, limit) as {
        chat_id: string
      }[]
    ).map((row) => row.chat_id)
    for (const table of ['visitor_outbox', 'webhook_outbox', 'dead_letters', 'chat_requests', 'chats']) {
      const remove = db.sql(`DELETE FROM ${table} WHERE chat_id = ?`)
      for (const id of ids) remove.run(id)
    }
    return ids.length
  },
}

type Writes = typeof SQLITE_WRITES
export type WriteName = keyof Writes
type Rest<F> = F extends (db: SqliteConnection, ...args: infer A) => unknown ? A : never
export type WriteArgs<N extends WriteName> = Rest<Writes[N]>
export type WriteResult<N extends WriteName> = ReturnType<Writes[N]>

/** One queued write as it travels to the writer: its name and its arguments (structured-cloneable). */
export interface WriteCall {
  name: WriteName
  args: unknown[]
}

export function runWrite(db: SqliteConnection, call: WriteCall): unknown {
  const write = SQLITE_WRITES[call.name] as (db: SqliteConnection, ...args: unknown[]) => unknown
  return write(db, ...call.args)
}
