// A write that fails on the writer thread reaches the main thread as an Error with its message and code: a
// structured clone alone turns a better-sqlite3 SqliteError into `{ code }`, which logs as an error without a message.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from '@jest/globals'
import Database from 'better-sqlite3'
import { portableError, revivedError } from '../../src/store/sqlite-writer-protocol.js'

function sqliteError(): Error {
  const db = new Database(':memory:')
  try {
    db.prepare('SELECT * FROM missing_table').run()
  } catch (error) {
    return error as Error
  } finally {
    db.close()
  }
  throw new Error('the statement did not fail')
}

/**
 * A SqliteError made by better-sqlite3's own constructor evaluated in another realm. better-sqlite3 registers its
 * error constructor with the native addon once per process, so when a second copy of its JavaScript loads (each Jest
 * test file is a realm of its own and shares the worker process's addon) its errors come from the first realm and
 * are not `instanceof Error` here: which one a test sees depended on which files ran before it in the same worker.
 */
function foreignSqliteError(message: string, code: string): Error {
  const source = readFileSync(createRequire(import.meta.url).resolve('better-sqlite3/lib/sqlite-error.js'), 'utf8')
  const module = { exports: undefined as unknown }
  runInNewContext(source, { module })
  const SqliteError = module.exports as new (message: string, code: string) => Error
  return new SqliteError(message, code)
}

describe('writer thread errors', () => {
  it('keep their message, name and code across the thread boundary', () => {
    const original = sqliteError()
    expect((structuredClone(original) as { message?: string }).message).toBeUndefined()
    const revived = revivedError(structuredClone(portableError(original))) as Error & { code?: string }
    expect(revived).toBeInstanceOf(Error)
    expect(revived.message).toBe('no such table: missing_table')
    expect(revived.name).toBe('SqliteError')
    expect(revived.code).toBe('SQLITE_ERROR')
  })

  it('keep their message, name and code when the error comes from another realm', () => {
    const foreign = foreignSqliteError('no such table: chats', 'SQLITE_ERROR')
    expect(foreign).not.toBeInstanceOf(Error)
    const revived = revivedError(structuredClone(portableError(foreign))) as Error & { code?: string }
    expect(revived).toBeInstanceOf(Error)
    expect(revived.message).toBe('no such table: chats')
    expect(revived.name).toBe('SqliteError')
    expect(revived.code).toBe('SQLITE_ERROR')
  })

  it('leave values that are not errors as they are', () => {
    expect(revivedError(structuredClone(portableError('plain')))).toBe('plain')
  })
})
