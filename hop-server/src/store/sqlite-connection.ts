// One connection to the SQLite file, and what the store's reads and writes share: the schema, the prepared
// statements, the row mapping. The store's main thread reads through one (WAL readers never wait for the writer); the
// writer thread commits through another.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { ChatRecord, ChatRequest, EndReason } from './types.js'

export type SqliteSync = 'full' | 'normal'

/** How long a connection waits for a lock (only the checkpoint and a second writer ever hold one). */
const BUSY_TIMEOUT_MS = 5000

/**
 * A list of chat ids bound as one JSON array parameter: one statement text (prepared once) for any number of ids,
 * where `IN (?, ?, …)` compiled and cached a statement per list length and had to be chunked below SQLite's
 * parameter limit.
 */
export const JSON_IDS = 'SELECT value FROM json_each(?)'

/**
 * Active chats nobody holds: released (no expiry) or expired at the bound time. Two searches of the `chats_active`
 * index; one `IS NULL OR <=` condition made SQLite scan the whole index (every open chat) on every lease scan.
 * Release and retirement clear the owner and the expiry together, so "no expiry" is "no owner".
 */
export const FREE_CHATS = `SELECT chat_id FROM chats WHERE active = 1 AND lease_expires_at IS NULL
  UNION ALL SELECT chat_id FROM chats WHERE active = 1 AND lease_expires_at <= ?`

/**
 * Visitor message ids share the outbox's unique index with the `transcript:<n>` and `end` ids; a prefix keeps a
 * visitor who picks the message id "end" from colliding with them.
 */
export const MESSAGE_ID_PREFIX = 'm:'
export const messageIdKey = (messageId: string) => `${MESSAGE_ID_PREFIX}${messageId}`

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

export class SqliteConnection {
  readonly db: Database.Database
  private readonly statements = new Map<string, Database.Statement>()

  constructor(file: string, synchronous: SqliteSync) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    this.db.exec(SCHEMA)
  }

  /** Prepared statements, compiled once per SQL text. */
  sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  readChat(chatId: string): ChatRecord | undefined {
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

  close(): void {
    this.db.close()
  }
}
