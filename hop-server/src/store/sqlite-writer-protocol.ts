// The messages between the SQLite store (main thread) and its writer thread.
import type { SqliteSync } from './sqlite-connection.js'
import type { BatchOutcome } from './sqlite-group-commit.js'
import type { WriteCall } from './sqlite-writes.js'

export interface WriterStart {
  file: string
  synchronous: SqliteSync
}

export type WriterRequest = { kind: 'batch'; batch: WriteCall[] } | { kind: 'close' }

export type WriterReply = { kind: 'ready' } | ({ kind: 'committed' } & BatchOutcome) | { kind: 'closed' }
