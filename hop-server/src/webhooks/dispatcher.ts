// Webhook delivery to the integration: signed, in order per chat, at least once. One loop for the whole replica
// (no timer per chat): an in-memory due queue (DueQueue: one timer for the earliest entry) learns of work from
// events — events stored for a chat, a note from another replica, a failed attempt's next attempt time — and the
// dispatcher delivers each due chat's events one after the other with a bounded number of chats in parallel. On a
// failure it plans that chat's next attempt with exponential backoff, so a slow or dead receiver never holds up
// other chats. A chat failing for longer than the dead-letter time has its undelivered events moved aside, with a
// log line and a metric. The store is swept for due chats only when chats are taken over and, as a safety net for
// lost notes and what a crashed replica left, every `storeSweepMs`. A retry planned by a previous owner (or process)
// that is not yet due at the takeover is found by a later sweep: never earlier than its backoff, at most one sweep
// interval later.
import { setMaxListeners } from 'node:events'
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import type { HopMetrics } from '../metrics.js'
import { urlPolicy } from '../security/url-policy.js'
import type { HopStore, WebhookHead } from '../store/types.js'
import { DueQueue } from './due-queue.js'
import { WebhookSender } from './sender.js'

const MS_PER_SECOND = 1000
/** Due chats one store sweep reads at least (a full page means more may wait: it sweeps again once idle). */
const SWEEP_PAGE = 1000
/** A sweep page holds at least this many times the delivery slots, so chats in flight never fill it. */
const SWEEP_PAGE_PER_SLOT = 4
/** After a store failure while delivering, the chat is tried again this much later. */
const STORE_RETRY_MS = 1000
/** Random spread of each backoff delay (±), so many chats failing together do not retry in lockstep. */
const BACKOFF_JITTER = 0.2

export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random()): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(Math.min(maxMs, exponential * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random)))
}

export interface WebhookDispatcherDeps {
  config: HopConfig
  store: HopStore
  metrics: HopMetrics
  logger: Logger
  /** Only the replica holding a chat's lease delivers its events (that keeps them in order). */
  owns(chatId: string): boolean
  /** Every event of the chat was delivered (or dead-lettered). */
  onDrained(chatId: string): void
}

type Outcome = { ok: true } | { ok: false; reason: string; detail: string }

export class WebhookDispatcher {
  private readonly sender: WebhookSender
  private readonly inFlight = new Set<string>()
  /** Chats that became due again while a delivery to them was in flight: run once more after it. */
  private readonly dueAgain = new Set<string>()
  private readonly queue = new DueQueue(() => this.wake())
  private readonly abort = new AbortController()
  private sweepTimer: NodeJS.Timeout | undefined
  private sweeping = false
  /** A sweep is wanted (start, chats taken over, or the last page was full): it runs when slots are free. */
  private sweepWanted = false
  private stopped = false
  private readonly idle = new Set<() => void>()

  constructor(private readonly deps: WebhookDispatcherDeps) {
    // One signal aborts every delivery in flight (up to the concurrency limit) on shutdown.
    setMaxListeners(0, this.abort.signal)
    this.sender = new WebhookSender({
      policy: urlPolicy(deps.config, 'webhook'),
      timeoutMs: deps.config.webhooks.timeoutMs,
      signal: this.abort.signal,
    })
  }

  /** Sweeps the store once now (what a previous process left), then every `storeSweepMs` as a safety net. */
  start(): void {
    this.sweepTimer = setInterval(() => this.sweepSoon(), this.deps.config.storeSweepMs)
    this.sweepTimer.unref()
    this.sweepSoon()
  }

  /** New events of the chat were stored (here, or by another replica's note): deliver them. */
  eventsStored(chatId: string): void {
    if (this.stopped || !this.deps.owns(chatId)) return
    this.queue.nudge(chatId)
    this.wake()
  }

  /** The chat is no longer this replica's: drop what was planned for it (a delivery in flight stops by itself). */
  forget(chatId: string): void {
    this.queue.remove(chatId)
    this.dueAgain.delete(chatId)
  }

  /** Chats were taken over (their due times are in the store): read the due ones from the store. */
  sweepSoon(): void {
    this.sweepWanted = true
    this.wake()
  }

  /** Starts deliveries for due chats while slots are free; sweeps the store if one is wanted. */
  private wake(): void {
    if (this.stopped) return
    const { config } = this.deps
    const free = config.webhooks.concurrency - this.inFlight.size
    if (free <= 0) return
    for (const chatId of this.queue.takeDue(free)) {
      if (!this.deps.owns(chatId)) continue
      if (this.inFlight.has(chatId)) {
        this.dueAgain.add(chatId)
        continue
      }
      this.startDelivery(chatId)
    }
    if (this.sweepWanted && !this.queue.hasDue() && this.inFlight.size < config.webhooks.concurrency) {
      void this.sweep()
    }
  }

  private startDelivery(chatId: string): void {
    this.inFlight.add(chatId)
    void this.deliverChat(chatId).finally(() => {
      this.inFlight.delete(chatId)
      if (this.dueAgain.delete(chatId)) this.queue.nudge(chatId)
      if (this.inFlight.size === 0) for (const resolve of this.idle) resolve()
      this.wake()
    })
  }

  /** Reads the owned chats whose events are due from the store into the queue. */
  private async sweep(): Promise<void> {
    if (this.sweeping) return
    this.sweeping = true
    this.sweepWanted = false
    const { config, store, logger } = this.deps
    const page = Math.max(SWEEP_PAGE, config.webhooks.concurrency * SWEEP_PAGE_PER_SLOT)
    try {
      const due = await store.dueWebhookChats(Date.now(), page, config.replicaId)
      let added = 0
      for (const chatId of due) {
        if (this.stopped || !this.deps.owns(chatId) || this.queue.has(chatId)) continue
        if (this.inFlight.has(chatId)) this.dueAgain.add(chatId)
        else this.queue.nudge(chatId)
        added += 1
      }
      // A full page that brought new chats: more may wait in the store, read them once these are under way.
      if (due.length >= page && added > 0) this.sweepWanted = true
    } catch (error) {
      logger.warn({ err: error }, 'cannot read due webhooks; the next sweep retries')
    } finally {
      this.sweeping = false
    }
    this.wake()
  }

  /** Delivers the chat's events in seq order until none is left or one fails. */
  private async deliverChat(chatId: string): Promise<void> {
    const { store, logger } = this.deps
    try {
      for (;;) {
        if (this.stopped || !this.deps.owns(chatId)) return
        const head = await store.webhookHead(chatId)
        if (!head) {
          this.deps.onDrained(chatId)
          return
        }
        const now = Date.now()
        if (this.pastDeadLetter(head, now)) {
          await this.deadLetter(head, now)
          return
        }
        const outcome = await this.send(head)
        if (outcome.ok) {
          await store.ackWebhook(chatId, head.event.seq)
          continue
        }
        await this.scheduleRetry(head, outcome, Date.now())
        return
      }
    } catch (error) {
      logger.warn({ err: error, chatId }, 'webhook delivery interrupted; will retry')
      if (!this.stopped) this.queue.schedule(chatId, Date.now() + STORE_RETRY_MS)
    }
  }

  private pastDeadLetter(head: WebhookHead, now: number): boolean {
    return head.failingSince !== undefined && now - head.failingSince >= this.deps.config.webhooks.deadLetterMs
  }

  private async send(head: WebhookHead): Promise<Outcome> {
    const { config, metrics } = this.deps
    const problem = this.sender.urlProblem(head.webhookUrl)
    if (problem) return { ok: false, reason: 'disallowed', detail: `webhookUrl ${problem}` }
    const secret = config.tenants.get(head.tenant)
    if (secret === undefined)
      return { ok: false, reason: 'unknown_tenant', detail: `tenant ${head.tenant} is not configured` }
    const body = JSON.stringify({
      chatId: head.chatId,
      conversationId: head.conversationId,
      seq: head.event.seq,
      type: head.event.type,
      at: head.event.at,
      data: head.event.data,
    })
    const started = performance.now()
    const result = await this.sender.post(head.webhookUrl, head.tenant, secret, body)
    if (result.ok) {
      metrics.webhookLatency.observe({ outcome: 'ok' }, (performance.now() - started) / MS_PER_SECOND)
      return result
    }
    if (result.reason === 'disallowed') return result
    metrics.webhookLatency.observe({ outcome: 'error' }, (performance.now() - started) / MS_PER_SECOND)
    return result.reason === 'http'
      ? { ok: false, reason: `http_${result.status}`, detail: result.detail }
      : { ok: false, reason: 'network', detail: result.detail }
  }

  private async scheduleRetry(head: WebhookHead, outcome: Outcome & { ok: false }, now: number): Promise<void> {
    const { config, store, metrics, logger } = this.deps
    metrics.webhookFailures.inc({ reason: outcome.reason })
    const attempt = head.attempts + 1
    const failingSince = head.failingSince ?? now
    const deadline = failingSince + config.webhooks.deadLetterMs
    // Never wait past the dead-letter time: the last attempt happens at the deadline.
    const nextAttemptAt = Math.min(
      now + backoffDelay(attempt, config.webhooks.backoffBaseMs, config.webhooks.backoffMaxMs),
      deadline
    )
    logger.warn(
      { chatId: head.chatId, seq: head.event.seq, attempt, reason: outcome.reason, retryInMs: nextAttemptAt - now },
      `webhook delivery failed: ${outcome.detail}`
    )
    await store.failWebhook(head.chatId, head.event.seq, nextAttemptAt, now)
    this.queue.schedule(head.chatId, nextAttemptAt)
  }

  private async deadLetter(head: WebhookHead, now: number): Promise<void> {
    const { store, metrics, logger } = this.deps
    const count = await store.deadLetterWebhooks(head.chatId, now)
    metrics.webhookDeadLetters.inc(count)
    logger.error(
      {
        chatId: head.chatId,
        conversationId: head.conversationId,
        firstSeq: head.event.seq,
        events: count,
        failingForMs: now - (head.failingSince ?? now),
      },
      `webhook events dead-lettered: ${count} event(s) of chat ${head.chatId} could not be delivered to ${new URL(head.webhookUrl).host}`
    )
    this.deps.onDrained(head.chatId)
  }

  /** Stops the queue and the sweep, aborts deliveries in flight (they stay stored for the next owner), frees sockets. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.sweepTimer) clearInterval(this.sweepTimer)
    this.queue.close()
    this.abort.abort()
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => this.idle.add(resolve))
    }
    this.sender.close()
  }
}
