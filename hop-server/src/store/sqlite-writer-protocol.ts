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

/** A write's error as it crosses to the main thread: a structured clone keeps only a SqliteError's own `code`. */
export interface PortableError {
  name: string
  message: string
  code?: unknown
  stack?: string
}

export function portableError(error: unknown): PortableError | unknown {
  if (!(error instanceof Error)) return error
  const { code } = error as Error & { code?: unknown }
  return {
    name: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  }
}

/** An Error again (message, name, code), so logs and callers see what the writer thread saw. */
export function revivedError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || typeof (error as PortableError).message !== 'string') return error
  const { name, message, code, stack } = error as PortableError
  return Object.assign(new Error(message), {
    name,
    ...(code !== undefined ? { code } : {}),
    ...(stack ? { stack } : {}),
  })
}
