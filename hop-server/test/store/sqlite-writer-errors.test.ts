// A write that fails on the writer thread reaches the main thread as an Error with its message and code: a
// structured clone alone turns a better-sqlite3 SqliteError into `{ code }`, which logs as an error without a message.
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

  it('leave values that are not errors as they are', () => {
    expect(revivedError(structuredClone(portableError('plain')))).toBe('plain')
  })
})
