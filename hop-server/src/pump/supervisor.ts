// The replica's share of the chats: it takes leases (new chats, chats released or left behind by a dead
// replica), renews them in one batched store call, runs one ChatPump per held chat, and releases everything at
// once on a graceful shutdown so another replica takes over without waiting for the TTL. A handful of timers
// serve all chats: nothing here is per chat. A replica that cannot renew in time (stalled event loop, slow or
// unreachable store) fences itself: it stops those pumps before their leases could expire (see LeaseFence).
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import { LEASE_FENCE_CHECKS_PER_MARGIN } from '../constants.js'
import { DEFAULTS as LIVE_AGENT_DEFAULTS } from '../live-agent/constants.js'
import type { HopMetrics } from '../metrics.js'
import type { HopStore, StoreNote } from '../store/types.js'
import { ChatPump } from './chat-pump.js'
import type { LiveAgentClients } from './clients.js'
import { LeaseFence } from './lease-fence.js'

/** The safety margin before a lease could expire: a fraction of the TTL, and never less than the aborted-poll grace. */
export function leaseFenceMarginMs(leases: HopConfig['leases']): number {
  return Math.max(leases.ttlMs * leases.fenceMarginFraction, LIVE_AGENT_DEFAULTS.abortedPollGraceMs)
}

/** A store call still unanswered after this long counts as failed, so a hung call never blocks the next round. */
function bounded<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms} ms`)), ms)
  })
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer))
}

export interface SupervisorDeps {
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  logger: Logger
  clients: LiveAgentClients
  /** New webhook events were stored (or may be due). */
  wakeWebhooks(): void
}

export class ChatSupervisor {
  private readonly pumps = new Map<string, ChatPump>()
  private readonly timers: NodeJS.Timeout[] = []
  private readonly fence: LeaseFence
  /** Chats this replica fenced itself out of; `stopped` once the old pump is gone (it may be re-adopted then). */
  private readonly fenced = new Map<string, { stopped: boolean; done: Promise<void> }>()
  private renewing = false
  private scanning = false
  private sweeping = false
  private closing = false

  constructor(private readonly deps: SupervisorDeps) {
    this.fence = new LeaseFence(deps.config.leases.ttlMs, leaseFenceMarginMs(deps.config.leases))
  }

  /** Takes every chat it can (resume after a restart), then keeps doing so on a timer. */
  async start(): Promise<void> {
    const { config, store } = this.deps
    store.subscribe((note) => this.onNote(note))
    // Resume: chats a previous process with this replica id held (after a crash), then every free chat.
    const sentAt = Date.now()
    const reclaimed = await store.reclaimLeases(config.replicaId, config.leases.ttlMs)
    for (const chatId of reclaimed) this.adopt(chatId, sentAt)
    while ((await this.acquire()) >= config.leases.acquireBatch && !this.closing) {
      // A big backlog (a restart with thousands of open chats): keep taking batches until it is done.
    }
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task(), ms)
      timer.unref()
      this.timers.push(timer)
    }
    every(config.leases.renewMs, () => this.renew())
    every(config.leases.scanMs, async () => void (await this.acquire()))
    every(config.pump.outboxScanMs, () => this.sweepOutboxes())
    const fenceCheckMs = leaseFenceMarginMs(config.leases) / LEASE_FENCE_CHECKS_PER_MARGIN
    every(fenceCheckMs, async () => this.fenceOverdue())
  }

  owns(chatId: string): boolean {
    return this.pumps.has(chatId)
  }

  get ownedCount(): number {
    return this.pumps.size
  }

  /**
   * A chat this replica just created (its lease came with it), or took. `leaseSentAt`: when the store call that
   * granted the lease was sent (now, by default: the chat was just created).
   */
  adopt(chatId: string, leaseSentAt = Date.now()): void {
    if (this.closing || this.pumps.has(chatId)) return
    this.fenced.delete(chatId)
    this.fence.granted([chatId], leaseSentAt)
    const pump = new ChatPump(chatId, {
      config: this.deps.config,
      store: this.deps.store,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
      clients: this.deps.clients,
      onClosed: (id) => void this.retire(id),
      onLeaseLost: (id) => this.forget(id),
      onGaveUp: (id) => void this.handBack(id),
      onEvents: () => this.deps.wakeWebhooks(),
    })
    this.pumps.set(chatId, pump)
    this.deps.metrics.openChats.set(this.pumps.size)
    pump.start()
    // Events left undelivered by a previous owner are ours to deliver now.
    this.deps.wakeWebhooks()
  }

  /** Every webhook event of the chat was delivered: retire it if its Live Agent side is over too. */
  onDrained(chatId: string): void {
    if (this.pumps.get(chatId)?.isClosed) void this.retire(chatId)
  }

  private onNote(note: StoreNote): void {
    const pump = this.pumps.get(note.chatId)
    if (note.kind === 'webhook') {
      if (pump) this.deps.wakeWebhooks()
      return
    }
    if (!pump) return
    if (note.kind === 'outbox') pump.wake()
    else pump.typing(note.typing)
  }

  private async retire(chatId: string): Promise<void> {
    const pump = this.pumps.get(chatId)
    if (!pump?.isClosed) return
    try {
      if (await this.deps.store.retireChat(chatId, this.deps.config.replicaId)) {
        this.forget(chatId)
        this.deps.logger.debug({ chatId }, 'chat retired')
      }
    } catch (error) {
      this.deps.logger.warn({ err: error, chatId }, 'could not retire the chat; the next drain retries')
    }
  }

  private forget(chatId: string): void {
    this.fence.forget(chatId)
    if (this.pumps.delete(chatId)) this.deps.metrics.openChats.set(this.pumps.size)
  }

  private async handBack(chatId: string): Promise<void> {
    this.forget(chatId)
    await this.deps.store.releaseLeases(this.deps.config.replicaId, [chatId]).catch(() => undefined)
  }

  /** Takes a batch of free chats; returns how many it took. */
  private async acquire(): Promise<number> {
    if (this.scanning || this.closing) return 0
    this.scanning = true
    try {
      await this.readoptFenced()
      const { config, store, metrics, logger } = this.deps
      const sentAt = Date.now()
      const taken = await bounded(
        store.acquireLeases(config.replicaId, config.leases.ttlMs, config.leases.acquireBatch),
        config.leases.ttlMs,
        'lease scan'
      )
      if (taken.length > 0) {
        metrics.leaseTakeovers.inc(taken.length)
        logger.info({ chats: taken.length }, 'took over chats')
      }
      for (const chatId of taken) this.adopt(chatId, sentAt)
      return taken.length
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'lease scan failed; will retry')
      return 0
    } finally {
      this.scanning = false
    }
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.closing || this.pumps.size === 0) return
    this.renewing = true
    try {
      const { config, store, logger } = this.deps
      const ids = [...this.pumps.keys()]
      const sentAt = Date.now()
      const held = new Set(
        await bounded(store.renewLeases(config.replicaId, ids, config.leases.ttlMs), config.leases.ttlMs, 'renewal')
      )
      // Only chats still pumped: a chat fenced meanwhile comes back through the scan.
      this.fence.granted(
        ids.filter((id) => held.has(id) && this.pumps.has(id)),
        sentAt
      )
      this.fenceOverdue()
      const lost = ids.filter((id) => !held.has(id))
      if (lost.length > 0) logger.warn({ chats: lost.length }, 'leases lost; stopping those pumps')
      for (const chatId of lost) {
        const pump = this.pumps.get(chatId)
        this.forget(chatId)
        void pump?.stop()
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'lease renewal failed; will retry')
    } finally {
      this.renewing = false
    }
  }

  /**
   * Stops the pumps whose leases may expire soon (no renewal succeeded in time). Their held polls are aborted at
   * once, cursors stay stored; the chat is re-adopted by the scan if this replica still (or again) holds its lease.
   */
  private fenceOverdue(): void {
    if (this.closing) return
    const due = this.fence.due(Date.now())
    if (due.length === 0) return
    this.deps.logger.warn({ chats: due.length }, 'leases not renewed in time; stopping those pumps (self-fencing)')
    for (const chatId of due) {
      const pump = this.pumps.get(chatId)
      if (!pump) continue
      this.forget(chatId)
      const entry = { stopped: false, done: Promise.resolve() }
      entry.done = pump.stop().finally(() => (entry.stopped = true))
      this.fenced.set(chatId, entry)
    }
  }

  /**
   * Fenced chats whose lease this replica still holds: `acquireLeases` skips a lease held by its own owner until
   * it expires, so renew those directly and resume them from their stored cursors. Chats renewed by nobody are
   * forgotten here: once expired, `acquireLeases` offers them to every replica, this one included.
   */
  private async readoptFenced(): Promise<void> {
    const ids = [...this.fenced].filter(([, entry]) => entry.stopped).map(([chatId]) => chatId)
    if (ids.length === 0) return
    const { config, store, logger } = this.deps
    const sentAt = Date.now()
    try {
      const held = new Set(
        await bounded(store.renewLeases(config.replicaId, ids, config.leases.ttlMs), config.leases.ttlMs, 'renewal')
      )
      for (const chatId of ids) {
        if (!this.fenced.has(chatId)) continue
        this.fenced.delete(chatId)
        if (held.has(chatId)) this.adopt(chatId, sentAt)
      }
      if (held.size > 0) logger.info({ chats: held.size }, 'leases renewed again; resuming fenced chats')
    } catch (error) {
      logger.warn({ err: error }, 'renewal of fenced chats failed; will retry')
    }
  }

  /** Catches visitor messages whose note was lost (e.g. a Redis reconnect) by comparing outbox heads. */
  private async sweepOutboxes(): Promise<void> {
    if (this.sweeping || this.closing || this.pumps.size === 0) return
    this.sweeping = true
    try {
      const lasts = await this.deps.store.outboxLasts([...this.pumps.keys()])
      for (const [chatId, last] of lasts) {
        const pump = this.pumps.get(chatId)
        if (pump && last > pump.outboxPosition) pump.wake()
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'outbox sweep failed; will retry')
    } finally {
      this.sweeping = false
    }
  }

  /** Graceful shutdown: stop every pump (cursors stay in the store), then release every lease at once. */
  async close(): Promise<void> {
    this.closing = true
    for (const timer of this.timers) clearInterval(timer)
    this.fence.clear()
    const fenced = [...this.fenced]
    this.fenced.clear()
    const pumps = [...this.pumps.values()]
    await Promise.all([...pumps.map((pump) => pump.stop()), ...fenced.map(([, entry]) => entry.done)])
    const ids = [...pumps.map((pump) => pump.chatId), ...fenced.map(([chatId]) => chatId)]
    this.pumps.clear()
    this.deps.metrics.openChats.set(0)
    await this.deps.store.releaseLeases(this.deps.config.replicaId, ids).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not release leases; they expire on their own')
    })
  }
}
