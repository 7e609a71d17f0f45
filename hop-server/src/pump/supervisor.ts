// The replica's share of the chats: it takes leases (new chats, chats released or left behind by a dead
// replica), renews them in one batched store call, runs one ChatPump per held chat, and releases everything at
// once on a graceful shutdown so another replica takes over without waiting for the TTL. A handful of timers
// serve all chats: nothing here is per chat.
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import type { HopMetrics } from '../metrics.js'
import type { HopStore, StoreNote } from '../store/types.js'
import { ChatPump } from './chat-pump.js'
import type { LiveAgentClients } from './clients.js'

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
  private renewing = false
  private scanning = false
  private sweeping = false
  private closing = false

  constructor(private readonly deps: SupervisorDeps) {}

  /** Takes every chat it can (resume after a restart), then keeps doing so on a timer. */
  async start(): Promise<void> {
    const { config, store } = this.deps
    store.subscribe((note) => this.onNote(note))
    // Resume: chats a previous process with this replica id held (after a crash), then every free chat.
    const reclaimed = await store.reclaimLeases(config.replicaId, config.leases.ttlMs)
    for (const chatId of reclaimed) this.adopt(chatId)
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
  }

  owns(chatId: string): boolean {
    return this.pumps.has(chatId)
  }

  get ownedCount(): number {
    return this.pumps.size
  }

  /** A chat this replica just created (its lease came with it). */
  adopt(chatId: string): void {
    if (this.closing || this.pumps.has(chatId)) return
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
      const { config, store, metrics, logger } = this.deps
      const taken = await store.acquireLeases(config.replicaId, config.leases.ttlMs, config.leases.acquireBatch)
      if (taken.length > 0) {
        metrics.leaseTakeovers.inc(taken.length)
        logger.info({ chats: taken.length }, 'took over chats')
      }
      for (const chatId of taken) this.adopt(chatId)
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
      const held = new Set(await store.renewLeases(config.replicaId, ids, config.leases.ttlMs))
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
    const pumps = [...this.pumps.values()]
    await Promise.all(pumps.map((pump) => pump.stop()))
    const ids = pumps.map((pump) => pump.chatId)
    this.pumps.clear()
    this.deps.metrics.openChats.set(0)
    await this.deps.store.releaseLeases(this.deps.config.replicaId, ids).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not release leases; they expire on their own')
    })
  }
}
