// The disturbances of a chaos run: Live Agent faults injected into the mock at a steady pace (503 server
// hand-overs on live chats, connection resets, 500s, slow answers), and kill -9 of a bridge process at random
// moments, each followed (or not) by a restart.
import type { Fault, FaultKind, MockAdmin } from '../http/mock-admin.js'
import type { ChatLedger } from './ledger.js'
import { sleep, think } from './timing.js'

/** Resources that get resets, 500s and delays (delays stay well under the hop server's request timeouts). */
const DISTURBED: readonly string[] = ['Messages', 'ChatMessage', 'ChatEnd', 'SessionId', 'ChasitorInit']
const DELAY_MS: readonly [number, number] = [100, 3000]
const KINDS: readonly FaultKind[] = ['handover', 'reset', 'error500', 'delay']

export interface KillRecord {
  /** ms since the kill loop started */
  at: number
  target: string
  /** kill → ready again (undefined: not restarted) */
  downMs?: number
}

const pick = <T>(items: readonly T[], random = Math.random): T => items[Math.floor(random() * items.length)]!

export class FaultInjector {
  readonly injected: Record<string, number> = {}
  private running = false
  private loop: Promise<void> | undefined

  constructor(
    private readonly admin: MockAdmin,
    private readonly liveChats: () => ChatLedger[],
    private readonly everyMs: number
  ) {}

  start(): void {
    if (this.running || this.everyMs <= 0) return
    this.running = true
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.running = false
    await this.loop
  }

  private async run(): Promise<void> {
    while (this.running) {
      await sleep(this.everyMs)
      const fault = this.next()
      if (!fault) continue
      try {
        await this.admin.injectFault(fault)
        const name = fault.kind === 'handover' ? 'handover (503)' : `${fault.kind} ${fault.resource}`
        this.injected[name] = (this.injected[name] ?? 0) + 1
      } catch {
        // The chat ended in the meantime: nothing to disturb.
      }
    }
  }

  private next(): Fault | undefined {
    const kind = pick(KINDS)
    switch (kind) {
      case 'handover': {
        const live = this.liveChats()
        if (live.length === 0) return undefined
        return { resource: '*', kind, sessionId: pick(live).sessionId! }
      }
      case 'delay':
        return { resource: pick(DISTURBED), kind, delayMs: think(DELAY_MS) }
      default:
        return { resource: pick(DISTURBED), kind }
    }
  }
}

export interface Killable {
  name: string
  crash(): Promise<void>
  /** Starts it again (same port, same store); resolves when it is ready. */
  restart?(): Promise<void>
}

/** Kills `targets()` (chosen at each moment) `count` times at random moments within `windowMs`. */
export class Killer {
  readonly kills: KillRecord[] = []
  private loop: Promise<void> | undefined
  private cancelled = false

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly minGapMs: number,
    private readonly downMs: readonly [number, number],
    private readonly target: () => Killable,
    private readonly note: (message: string) => void
  ) {}

  start(): void {
    this.loop ??= this.run()
  }

  /** Waits for every planned kill (and restart) to be done. */
  async done(): Promise<void> {
    await this.loop
  }

  cancel(): void {
    this.cancelled = true
  }

  /** `count` uniformly random moments in the window, sorted, at least `minGapMs` apart. */
  plan(random = Math.random): number[] {
    const slack = Math.max(0, this.windowMs - (this.count - 1) * this.minGapMs)
    return Array.from({ length: this.count }, () => random() * slack)
      .sort((a, b) => a - b)
      .map((moment, index) => Math.round(moment + index * this.minGapMs))
  }

  private async run(): Promise<void> {
    const started = Date.now()
    // A restart can outlast the planned gap on a busy machine: the target then stays up at least minGapMs, or it
    // would be down most of the window and its clients would run out of retries instead of meeting the restart.
    let upUntil = 0
    for (const moment of this.plan()) {
      const wait = Math.max(started + moment, upUntil) - Date.now()
      if (wait > 0) await sleep(wait)
      if (this.cancelled) return
      const target = this.target()
      const killedAt = Date.now()
      await target.crash()
      const record: KillRecord = { at: killedAt - started, target: target.name }
      this.kills.push(record)
      if (!target.restart) {
        this.note(`kill -9 ${target.name} (not restarted)`)
        continue
      }
      await sleep(think(this.downMs))
      await target.restart()
      record.downMs = Date.now() - killedAt
      upUntil = Date.now() + this.minGapMs
      this.note(`kill -9 ${target.name}, back after ${record.downMs} ms`)
    }
  }
}
