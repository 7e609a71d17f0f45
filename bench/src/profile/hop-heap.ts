// `--heap`: one heap snapshot of the hop server at the end of the idle window (every chat open, nothing said),
// taken through Node's --heapsnapshot-signal, and its retained size by constructor. The snapshot stops the hop
// server's event loop while V8 writes it, so it is taken after the idle figures are in and before the exchange.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { HeapSnapshotError, readHeapSnapshot, summarizeHeap, type HeapSummary } from './heap-snapshot.js'

const SNAPSHOT_SIGNAL = 'SIGUSR2'
const SNAPSHOT_NAME = /^Heap\.\d{8}\.\d{6}\.(\d+)\.0\.\d+\.heapsnapshot$/
const APPEAR_POLL_MS = 200
/** A large heap takes a while to walk on a loaded machine; past this the run goes on without the snapshot. */
export const SNAPSHOT_TIMEOUT_MS = 180_000

export interface HopHeap {
  file?: string
  openChats?: number
  summary?: HeapSummary
  errors?: string[]
}

/** Node options that make a process write a heap snapshot into `dir` on SIGUSR2. */
export function heapSnapshotNodeArgs(dir: string): string[] {
  return [`--heapsnapshot-signal=${SNAPSHOT_SIGNAL}`, `--diagnostic-dir=${dir}`]
}

/**
 * Signals the process and resolves with the snapshot file once it is complete: V8 writes it synchronously on the
 * main thread, so once the file exists, the next answer of `answered()` comes after the write.
 */
export async function takeHeapSnapshot(pid: number, dir: string, answered: () => Promise<unknown>): Promise<string> {
  const deadline = Date.now() + SNAPSHOT_TIMEOUT_MS
  process.kill(pid, SNAPSHOT_SIGNAL)
  for (;;) {
    const name = readdirSync(dir).find((entry) => SNAPSHOT_NAME.exec(entry)?.[1] === String(pid))
    if (name) {
      await answered()
      return join(dir, name)
    }
    if (Date.now() > deadline)
      throw new HeapSnapshotError(`the hop server wrote no heap snapshot into ${dir} within ${SNAPSHOT_TIMEOUT_MS} ms`)
    await sleep(APPEAR_POLL_MS)
  }
}

export function analyseHopHeap(file: string, openChats: number): HopHeap {
  try {
    return { file, openChats, summary: summarizeHeap(readHeapSnapshot(file)) }
  } catch (error) {
    if (error instanceof HeapSnapshotError || error instanceof RangeError)
      return { file, openChats, errors: [error.message] }
    throw error
  }
}
