// Prometheus metrics (prom-client), one registry per server so several servers can run in one process (tests).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

export type RelayDirection = 'to_agent' | 'to_bot'

export class HopMetrics {
  readonly registry = new Registry()

  readonly openChats = new Gauge({
    name: 'hop_open_chats',
    help: 'Chats this replica currently pumps (holds the lease of).',
    registers: [this.registry],
  })
  readonly pollsInFlight = new Gauge({
    name: 'hop_polls_in_flight',
    help: 'Live Agent Messages long polls currently open.',
    registers: [this.registry],
  })
  readonly pollLatency = new Histogram({
    name: 'hop_poll_duration_seconds',
    help: 'Duration of Live Agent Messages polls (a held poll lasts up to the server hold time).',
    labelNames: ['status'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  })
  readonly liveAgentStatus = new Counter({
    name: 'hop_liveagent_responses_total',
    help: 'Live Agent answers that need recovery, by HTTP status (409, 503, 403).',
    labelNames: ['status'],
    registers: [this.registry],
  })
  readonly webhookLatency = new Histogram({
    name: 'hop_webhook_duration_seconds',
    help: 'Duration of webhook deliveries to the integration.',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  })
  readonly webhookFailures = new Counter({
    name: 'hop_webhook_failures_total',
    help: 'Failed webhook delivery attempts (retried with backoff).',
    labelNames: ['reason'],
    registers: [this.registry],
  })
  readonly webhookDeadLetters = new Counter({
    name: 'hop_webhook_dead_letters_total',
    help: 'Webhook events given up on after the dead-letter time.',
    registers: [this.registry],
  })
  readonly messagesRelayed = new Counter({
    name: 'hop_messages_relayed_total',
    help: 'Messages relayed: visitor to agent (to_agent) and agent to bot (to_bot).',
    labelNames: ['direction'],
    registers: [this.registry],
  })
  readonly chatsCreated = new Counter({
    name: 'hop_chats_created_total',
    help: 'Chats created through the API.',
    registers: [this.registry],
  })
  readonly chatsEnded = new Counter({
    name: 'hop_chats_ended_total',
    help: 'Chats that ended, by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  })
  readonly leaseTakeovers = new Counter({
    name: 'hop_lease_acquired_total',
    help: 'Chats this replica took over (new leases after a start, a release or an expiry).',
    registers: [this.registry],
  })
  readonly authFailures = new Counter({
    name: 'hop_auth_failures_total',
    help: 'Requests refused for a bad signature, timestamp, tenant or replay.',
    registers: [this.registry],
  })

  constructor() {
    collectDefaultMetrics({ register: this.registry })
    // Make the recovery statuses visible at 0 before the first one happens.
    for (const status of ['403', '409', '503']) this.liveAgentStatus.inc({ status }, 0)
    for (const direction of ['to_agent', 'to_bot']) this.messagesRelayed.inc({ direction }, 0)
  }
}
