// The driver's handle on the webhook receiver process.
import { fork, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { liveChildren } from '../processes/live-children.js'
import { benchBin } from '../processes/workspace.js'
import type { Delivery, ReceiverStats, ToDriver, ToReceiver } from './protocol.js'

const READY_TIMEOUT_MS = 30_000
const STATS_TIMEOUT_MS = 10_000
const STOP_GRACE_MS = 5_000

export class ReceiverProcess {
  private statsWaiters: ((stats: ReceiverStats) => void)[] = []
  private readonly exited: Promise<void>

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    onDeliveries: (deliveries: Delivery[]) => void
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.on('message', (message: ToDriver) => {
      if (message.type === 'deliveries') onDeliveries(message.deliveries)
      if (message.type === 'stats') {
        const waiters = this.statsWaiters
        this.statsWaiters = []
        for (const waiter of waiters) waiter(message.stats)
      }
    })
  }

  static start(options: {
    logDir: string
    tenant: string
    secret: string
    onDeliveries: (deliveries: Delivery[]) => void
  }): Promise<ReceiverProcess> {
    const child = fork(benchBin('receiver'), [], {
      execArgv: [],
      env: { ...process.env, RECEIVER_TENANT: options.tenant, RECEIVER_SECRET: options.secret },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    const log = createWriteStream(join(options.logDir, 'receiver.log'), { flags: 'a' })
    child.stdout!.pipe(log)
    child.stderr!.pipe(log)
    liveChildren.add({ name: 'receiver', child, graceMs: STOP_GRACE_MS })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error('the webhook receiver did not start'))
      }, READY_TIMEOUT_MS)
      child.once('exit', () => {
        clearTimeout(timer)
        reject(new Error('the webhook receiver exited before it was ready (see receiver.log)'))
      })
      const onReady = (message: ToDriver) => {
        if (message.type !== 'ready') return
        clearTimeout(timer)
        child.off('message', onReady)
        resolve(new ReceiverProcess(child, message.url, options.onDeliveries))
      }
      child.on('message', onReady)
    })
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  /** Asks for the counters; every delivery recorded so far reaches `onDeliveries` first (same ordered channel). */
  stats(): Promise<ReceiverStats> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the webhook receiver did not answer')), STATS_TIMEOUT_MS)
      this.statsWaiters.push((stats) => {
        clearTimeout(timer)
        resolve(stats)
      })
      this.send({ type: 'stats' })
    })
  }

  private send(message: ToReceiver): void {
    if (this.child.connected) this.child.send(message)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.disconnect()
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS)
      await this.exited
      clearTimeout(timer)
    }
  }
}
