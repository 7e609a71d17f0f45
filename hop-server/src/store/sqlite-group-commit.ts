// Group commit: a batch of writes in one transaction, so one sync covers them all. No savepoints on the way: a write
// that throws (rare: the expected refusals are return values) rolls the whole transaction back, and the batch is
// then replayed one write per transaction, so only the failing caller fails. Runs wherever the write connection is
// (the writer thread, or the main thread for an in-memory database).
import type Database from 'better-sqlite3'
import type { SqliteConnection } from './sqlite-connection.js'
import type { BeforeCommit } from './sqlite-writer-hold.js'
import { runWrite, type WriteCall } from './sqlite-writes.js'

export type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown }

export interface BatchOutcome {
  outcomes: WriteOutcome[]
  /** Transactions committed for this batch (1, or one per write after a failure). */
  transactions: number
}

export class GroupCommit {
  private readonly begin: Database.Statement
  private readonly commit: Database.Statement
  private readonly rollback: Database.Statement

  constructor(
    private readonly connection: SqliteConnection,
    /** A test hook between the statements and the COMMIT (sqlite-writer-hold.ts). */
    private readonly beforeCommit?: BeforeCommit
  ) {
    this.begin = connection.db.prepare('BEGIN IMMEDIATE')
    this.commit = connection.db.prepare('COMMIT')
    this.rollback = connection.db.prepare('ROLLBACK')
  }

  run(batch: readonly WriteCall[]): BatchOutcome {
    const outcomes: WriteOutcome[] = []
    try {
      this.begin.run()
      for (const call of batch) outcomes.push({ ok: true, value: runWrite(this.connection, call) })
      this.beforeCommit?.(batch)
      this.commit.run()
      return { outcomes, transactions: 1 }
    } catch {
      this.undo()
      // Replayed one by one against the state before the batch: the failing write fails alone.
      let transactions = 0
      const alone = batch.map((call) => {
        const outcome = this.runAlone(call)
        if (outcome.ok) transactions += 1
        return outcome
      })
      return { outcomes: alone, transactions }
    }
  }

  private runAlone(call: WriteCall): WriteOutcome {
    try {
      this.begin.run()
      const value = runWrite(this.connection, call)
      this.commit.run()
      return { ok: true, value }
    } catch (error) {
      this.undo()
      return { ok: false, error }
    }
  }

  private undo(): void {
    if (this.connection.db.inTransaction) this.rollback.run()
  }
}
