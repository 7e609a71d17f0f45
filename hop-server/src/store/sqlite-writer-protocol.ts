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

/**
 * Whether a value is error-like: recognised by its shape, not `instanceof Error`. better-sqlite3 builds its
 * SqliteError with the constructor registered by the first copy of its JavaScript to load in the process, so an
 * error thrown on behalf of a second copy (another realm: a vm context, a Jest test file) fails `instanceof Error`.
 */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).name === 'string'
  )
}

export function portableError(error: unknown): PortableError | unknown {
  if (!isErrorLike(error)) return error
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
