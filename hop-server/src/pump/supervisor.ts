// The replica's share of the chats: it takes leases (new chats, chats released or left behind by a dead
// replica), renews them in one batched store call, runs one ChatPump per held chat, and releases everything at
// once on a graceful shutdown so another replica takes over without waiting for the TTL. A handful of timers
// serve all chats: nothing here is per chat. A replica that cannot renew in time (stalled event loop, slow or
// unreachable store) fences itself: it stops those pumps before their leases could expire (see LeaseFence). Work reaches
// the pumps and the webhook dispatcher as events (notes, stored events, takeovers); the store is swept for it only
// every `storeSweepMs`, as a safety net.
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import { LEASE_FENCE_CHECKS_PER_MARGIN } from '../constants.js'
import type { HopMetrics } from '../metrics.js'
import type { HopStore, StoreNote } from '../store/types.js'
import type { BackendRegistry } from '../backends/registry.js'
import { ChatPump, type ChatPumpDeps } from './chat-pump.js'
import { LeaseFence } from './lease-fence.js'

/**
 * The safety margin before a lease could expire: a fraction of the TTL, and never less than the time Salesforce may
 * still see a stopped chat's connection as open (the backends' release grace, e.g. Live Agent's aborted poll).
 */
export function leaseFenceMarginMs(leases: HopConfig['leases'], releaseGraceMs: number): number {
  return Math.max(leases.ttlMs * leases.fenceMarginFraction, releaseGraceMs)
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
  backends: BackendRegistry
  /** New webhook events of this chat were stored (by its pump here, or through a note from another replica). */
  webhookEventsStored(chatId: string): void
  /** Chats were taken over: their undelivered webhook events (and retry times) are in the store. */
  chatsTaken(): void
  /** This replica no longer pumps the chat (lease lost or released, chat retired): plan nothing more for it. */
  chatDropped(chatId: string): void
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
  /** Shared by every pump (each passes its chat id back): no deps object or closures per chat. */
  private readonly pumpDeps: ChatPumpDeps

  constructor(private readonly deps: SupervisorDeps) {
    this.fence = new LeaseFence(deps.config.leases.ttlMs, this.fenceMarginMs)
    this.pumpDeps = {
      config: deps.config,
      store: deps.store,
      metrics: deps.metrics,
      logger: deps.logger,
      backends: deps.backends,
      onClosed: (id) => void this.retire(id),
      onLeaseLost: (id) => this.forget(id),
      onGaveUp: (id) => void this.releaseAfterFailures(id),
      onEvents: (id) => deps.webhookEventsStored(id),
    }
  }

  /** Takes every chat it can (resume after a restart), then keeps doing so on a timer. */
  async start(): Promise<void> {
    const { config, store } = this.deps
    store.subscribe((note) => this.onNote(note))
    // Resume: chats a previous process with this replica id held (after a crash), then every free chat.
    const sentAt = Date.now()
    const reclaimed = await store.reclaimLeases(config.replicaId, config.leases.ttlMs)
    this.adoptTaken(reclaimed, sentAt)
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
    every(config.storeSweepMs, () => this.sweepOutboxes())
    const fenceCheckMs = this.fenceMarginMs / LEASE_FENCE_CHECKS_PER_MARGIN
    every(fenceCheckMs, async () => this.fenceOverdue())
  }

  private get fenceMarginMs(): number {
    return leaseFenceMarginMs(this.deps.config.leases, this.deps.backends.releaseGraceMs)
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
    const pump = new ChatPump(chatId, this.pumpDeps)
    this.pumps.set(chatId, pump)
    this.deps.metrics.openChats.set(this.pumps.size)
    pump.start()
  }

  /** Chats whose leases a store call sent at `sentAt` granted: events a previous owner left are ours to deliver. */
  private adoptTaken(chatIds: readonly string[], sentAt: number): void {
    for (const chatId of chatIds) this.adopt(chatId, sentAt)
    if (chatIds.length > 0) this.deps.chatsTaken()
  }

  /** Every webhook event of the chat was delivered: retire it if its backend side is over too. */
  onDrained(chatId: string): void {
    if (this.pumps.get(chatId)?.isClosed) void this.retire(chatId)
  }

  private onNote(note: StoreNote): void {
    const pump = this.pumps.get(note.chatId)
    if (note.kind === 'webhook') {
      if (pump) this.deps.webhookEventsStored(note.chatId)
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
    this.deps.chatDropped(chatId)
  }

  /** A pump gave up on store failures: another scan (here or on another replica) takes the chat again. */
  private async releaseAfterFailures(chatId: string): Promise<void> {
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
      this.adoptTaken(taken, sentAt)
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
      const resumed: string[] = []
      for (const chatId of ids) {
        if (!this.fenced.has(chatId)) continue
        this.fenced.delete(chatId)
        if (held.has(chatId)) resumed.push(chatId)
      }
      this.adoptTaken(resumed, sentAt)
      if (held.size > 0) logger.info({ chats: held.size }, 'leases renewed again; resuming fenced chats')
    } catch (error) {
      logger.warn({ err: error }, 'renewal of fenced chats failed; will retry')
    }
  }

  /**
   * Safety net, every `storeSweepMs`: catches visitor messages whose note was lost (e.g. a Redis reconnect) by
   * comparing outbox heads. Notes wake the pumps at once otherwise.
   */
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
