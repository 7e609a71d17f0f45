// The disturbances of a chaos run: faults injected into the simulator at a steady pace (Live Agent: 503 server
// hand-overs on live chats, connection resets, 500s, slow answers; Enhanced Chat: 5xx, broken and ended event
// streams, late events), and kill -9 of a bridge process at random
// moments, each followed (or not) by a restart.
import type { EnhancedAdmin } from '../http/enhanced-admin.js'
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

/** One disturbance, ready to inject: `name` is how the results count it. */
export interface PlannedFault {
  name: string
  inject(): Promise<void>
}

/** Live Agent: 503 server hand-overs on live chats, and resets, 500s and delays on the disturbed resources. */
export function liveAgentFaults(admin: MockAdmin, liveChats: () => ChatLedger[]): () => PlannedFault | undefined {
  return () => {
    const fault = nextLiveAgentFault(liveChats)
    if (!fault) return undefined
    const name = fault.kind === 'handover' ? 'handover (503)' : `${fault.kind} ${fault.resource}`
    return { name, inject: () => admin.injectFault(fault) }
  }
}

/** Requests that answer a 5xx here: whichever comes next (token, create, send, acknowledge, end, close, stream). */
const EC_ERROR_ROUTES: readonly ('*' | 'sendMessage')[] = ['*', 'sendMessage']
const EC_STATUSES: readonly (500 | 502 | 503 | 504)[] = [500, 502, 503, 504]
/** closeAfter: a stream ends cleanly after this many more events (1 to 3). */
const EC_CLOSE_AFTER_EVENTS: readonly [number, number] = [1, 3]
type EnhancedKind = 'error' | 'drop' | 'closeAfter' | 'delay'
const EC_KINDS: readonly EnhancedKind[] = ['error', 'drop', 'closeAfter', 'delay']

/** At most one armed 5xx or late event per this many messages sent (both ways) so far. */
const EC_MESSAGES_PER_ARMED_FAULT = 2

/**
 * Enhanced Chat: 5xx answers (on the next request of any kind, or on the next send), a live chat's event stream
 * broken or ended after a few events (the hop server must resume from its Last-Event-Id), and events delivered
 * late. A 5xx or a delay is armed in the simulator until a request or an event consumes it; a few chats make few
 * requests (one stream each, no polls), so these are paced by the traffic (`messagesSent`), or they would pile up
 * in quiet moments into an outage longer than any client's retries, which is not the fault this run measures.
 */
export function enhancedChatFaults(
  admin: EnhancedAdmin,
  liveChats: () => ChatLedger[],
  messagesSent: () => number
): () => PlannedFault | undefined {
  let armed = 0
  return () => {
    let kind = pick(EC_KINDS)
    if ((kind === 'error' || kind === 'delay') && armed >= messagesSent() / EC_MESSAGES_PER_ARMED_FAULT)
      kind = pick(['drop', 'closeAfter'] as const)
    if (kind === 'error' || kind === 'delay') armed++
    switch (kind) {
      case 'error': {
        const route = pick(EC_ERROR_ROUTES)
        const status = pick(EC_STATUSES)
        return { name: `${status} ${route}`, inject: () => admin.injectFault({ kind, route, status }) }
      }
      case 'delay':
        return {
          name: 'delayed events',
          inject: () => admin.injectFault({ kind: 'delayEvents', delayMs: Math.round(think(DELAY_MS)) }),
        }
      case 'drop':
      case 'closeAfter': {
        const live = liveChats()
        if (live.length === 0) return undefined
        const id = pick(live).sessionId!
        if (kind === 'drop') return { name: 'stream dropped', inject: () => admin.dropStreams(id) }
        const events = Math.round(think(EC_CLOSE_AFTER_EVENTS))
        return { name: 'stream ended', inject: () => admin.closeStreamsAfter(id, events) }
      }
    }
  }
}

function nextLiveAgentFault(liveChats: () => ChatLedger[]): Fault | undefined {
  const kind = pick(KINDS)
  switch (kind) {
    case 'handover': {
      const live = liveChats()
      if (live.length === 0) return undefined
      return { resource: '*', kind, sessionId: pick(live).sessionId! }
    }
    case 'delay':
      return { resource: pick(DISTURBED), kind, delayMs: think(DELAY_MS) }
    default:
      return { resource: pick(DISTURBED), kind }
  }
}

export class FaultInjector {
  readonly injected: Record<string, number> = {}
  private running = false
  private loop: Promise<void> | undefined

  constructor(
    private readonly next: () => PlannedFault | undefined,
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
        await fault.inject()
        this.injected[fault.name] = (this.injected[fault.name] ?? 0) + 1
      } catch {
        // The chat ended in the meantime: nothing to disturb.
      }
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
