// One child process of the bench: spawned with its own log file, optionally with a raised open-file limit,
// watched for its first lines (the mock prints its URL), and stopped for sure: SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { liveChildren } from './live-children.js'

export interface SpawnOptions {
  name: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** stdout and stderr are appended here. */
  logFile: string
  /** Open-file limit to set before exec (only when above the current soft limit). */
  fdLimit?: number
  /** How long stop() waits after SIGTERM before SIGKILL (default 5 s; longer when the process writes a profile). */
  stopGraceMs?: number
}

const STOP_GRACE_MS = 5_000

export class ManagedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** The process exited and its output is flushed to the log file. */
  private readonly closed: Promise<void>
  private readonly child: ChildProcess
  private readonly log: WriteStream
  private readonly lineWaiters = new Set<(line: string) => void>()
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined

  constructor(private readonly options: SpawnOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' })
    const [command, args] =
      options.fdLimit !== undefined
        ? ['/bin/sh', ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$@"`, options.command, ...options.args]]
        : [options.command, options.args]
    this.child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
      })
    })
    this.closed = new Promise((resolve) => this.child.once('close', () => this.log.end(resolve)))
    liveChildren.add({
      name: options.name,
      child: this.child,
      graceMs: options.stopGraceMs ?? STOP_GRACE_MS,
      settled: this.closed,
    })
    const lines = createInterface({ input: this.child.stdout! })
    lines.on('line', (line) => {
      this.log.write(`${line}\n`)
      for (const waiter of this.lineWaiters) waiter(line)
    })
    this.child.stderr!.on('data', (chunk: Buffer) => this.log.write(chunk))
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  get name(): string {
    return this.options.name
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined
  }

  /** Resolves with the first stdout line matching `test`; rejects when the process exits or the time is up. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiter = (line: string) => {
        if (!test(line)) return
        done()
        resolve(line)
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`${this.name} printed no expected line within ${timeoutMs} ms (see ${this.options.logFile})`))
      }, timeoutMs)
      const onExit = () => {
        done()
        reject(new Error(`${this.name} exited before it was ready (see ${this.options.logFile})`))
      }
      const done = () => {
        clearTimeout(timer)
        this.lineWaiters.delete(waiter)
        this.child.off('exit', onExit)
      }
      this.lineWaiters.add(waiter)
      this.child.once('exit', onExit)
    })
  }

  /** kill -9: no cleanup at all, as in a crash. */
  async crash(): Promise<void> {
    if (!this.isRunning) return
    this.child.kill('SIGKILL')
    await this.closed
  }

  /** SIGTERM, then SIGKILL if it is still alive after a grace period. */
  async stop(): Promise<void> {
    if (this.isRunning) {
      this.child.kill('SIGTERM')
      const timer = setTimeout(() => this.child.kill('SIGKILL'), this.options.stopGraceMs ?? STOP_GRACE_MS)
      await this.exited
      clearTimeout(timer)
    }
    await this.closed
  }
}
