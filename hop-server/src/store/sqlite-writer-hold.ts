// A test-only switch of the writer thread, for the kill -9 test: with HOP_TEST_HOLD_SQLITE_COMMIT=<file> set, once
// <file> exists the thread stops before the COMMIT of the next batch that carries a visitor message, writes
// <file>.held and waits there until <file> is removed. A test can then kill the process inside the window between
// "batch handed to the thread" and "committed", which otherwise lasts about a millisecond. Unset (always, outside
// that test), it costs nothing: no hook is installed.
import { existsSync, writeFileSync } from 'node:fs'
import type { WriteCall } from './sqlite-writes.js'

export const HOLD_COMMIT_ENV = 'HOP_TEST_HOLD_SQLITE_COMMIT'
export const HELD_SUFFIX = '.held'
/** How often a held commit looks whether the hold file is gone. */
const HOLD_POLL_MS = 10

/** Runs between a batch's statements and its COMMIT. */
export type BeforeCommit = (batch: readonly WriteCall[]) => void

export function commitHold(env: NodeJS.ProcessEnv): BeforeCommit | undefined {
  const holdFile = env[HOLD_COMMIT_ENV]
  if (!holdFile) return undefined
  const sleeper = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
  return (batch) => {
    if (!existsSync(holdFile) || !batch.some((call) => call.name === 'enqueueVisitorMessage')) return
    writeFileSync(`${holdFile}${HELD_SUFFIX}`, `${batch.length}\n`)
    // Blocks this thread only (the writer's): the main thread keeps answering, as it does during a slow sync.
    while (existsSync(holdFile)) Atomics.wait(sleeper, 0, 0, HOLD_POLL_MS)
  }
}
