// The main thread's side of the writer thread: sends one batch at a time and answers with the outcome once the
// batch is committed (and, with `synchronous = full`, synced). The thread keeps the process alive only while a batch
// is in flight, so an idle store never holds a process open.
import { createRequire } from 'node:module'
import { extname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { BatchOutcome } from './sqlite-group-commit.js'
import { revivedError, type WriterReply, type WriterRequest, type WriterStart } from './sqlite-writer-protocol.js'
import type { WriteCall } from './sqlite-writes.js'

/**
 * Run from TypeScript sources (tests, `npm start` in a clone), the thread's entry is a .ts file: the thread registers
 * tsx itself (a loader registered on the main thread does not reach worker threads on Node 20). Compiled, it is
 * plain JavaScript and nothing is registered.
 */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})();`

function threadEntry(): { entry: string; loader?: string } {
  const extension = extname(fileURLToPath(import.meta.url))
  const entry = new URL(`./sqlite-writer-thread${extension}`, import.meta.url).href
  if (extension !== '.ts') return { entry }
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs')
  return { entry, loader: pathToFileURL(tsxApi).href }
}

interface Pending {
  resolve: (value: BatchOutcome) => void
  reject: (error: Error) => void
}

export class SqliteWriterThread {
  private readonly worker: Worker
  private pending: Pending | undefined
  private closed: (() => void) | undefined
  /** Set once the thread died: every later batch fails with it. */
  private failure: Error | undefined
  private started: { resolve: () => void; reject: (error: Error) => void } | undefined
  /** Resolves once the thread has opened its connection; rejects if it could not. */
  readonly ready: Promise<void>

  constructor(start: WriterStart) {
    this.ready = new Promise<void>((resolve, reject) => (this.started = { resolve, reject }))
    this.ready.catch(() => undefined) // also reported by every batch and ping
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...start, ...threadEntry() } })
    this.worker.unref()
    this.worker.on('message', (reply: WriterReply) => this.onReply(reply))
    this.worker.on('error', (error) => this.fail(error))
    this.worker.on('exit', (code) => {
      this.fail(new Error(`the SQLite writer thread exited (code ${code})`))
      this.closed?.()
    })
  }

  /** Why the thread can take no more batches, if it cannot. */
  get broken(): Error | undefined {
    return this.failure
  }

  commit(batch: WriteCall[]): Promise<BatchOutcome> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.pending) return Promise.reject(new Error('a batch is already in flight'))
    return new Promise<BatchOutcome>((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.ref()
      this.worker.postMessage({ kind: 'batch', batch } satisfies WriterRequest)
    })
  }

  /** Closes the write connection (checkpointing the WAL) and ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return
    const exited = new Promise<void>((resolve) => (this.closed = resolve))
    this.worker.ref()
    this.worker.postMessage({ kind: 'close' } satisfies WriterRequest)
    await exited
  }

  private onReply(reply: WriterReply): void {
    if (reply.kind === 'closed') return // the exit follows
    if (reply.kind === 'ready') return this.started?.resolve()
    const pending = this.pending
    this.pending = undefined
    this.worker.unref()
    const outcomes = reply.outcomes.map((outcome) =>
      outcome.ok ? outcome : { ok: false as const, error: revivedError(outcome.error) }
    )
    pending?.resolve({ outcomes, transactions: reply.transactions })
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.started?.reject(error)
    const pending = this.pending
    this.pending = undefined
    pending?.reject(error)
  }
}
