// Named defaults for every timing, size and retention knob. Each one can be overridden by an environment
// variable (see config.ts and the README) or by `startHopServer({ ... })`; tests use short values.
import { SIGNATURE_WINDOW_MS } from '@liveagent-hop/bridge-contract'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: './data',
  sqliteFileName: 'hop.sqlite',
  redisKeyPrefix: 'hop:',
  logLevel: 'info',

  /** The signing window of the bridge contract: a request older or newer than this is refused. */
  signatureWindowMs: SIGNATURE_WINDOW_MS,
  /** Transcripts can be long; anything bigger than this is refused with 413 before it is parsed. */
  bodyLimitBytes: 512 * 1024,

  /**
   * A replica that stops renewing loses its chats after this long; another replica takes them over. Keep it
   * above Live Agent's poll hold time (~30 s, clientPollTimeout 40 s): if a replica's host dies, Salesforce may
   * still hold its last poll open, and a second poll on the session before that one is answered ends the chat
   * (409). A process that dies (kill -9) closes its sockets, so a restart with the same HOP_REPLICA_ID resumes
   * at once without waiting.
   */
  leaseTtlMs: 40 * SECOND,
  /** Renew well inside the TTL so one slow round does not lose the lease. */
  leaseRenewMs: 10 * SECOND,
  /**
   * Self-fencing: a replica stops a chat's pump this fraction of the TTL before its lease could expire (by its own
   * clock, counted from when the last successful renewal was sent) unless a newer renewal succeeded, so that its
   * aborted poll is gone before another replica may take the chat. At least the Live Agent client's
   * aborted-poll grace. Checked every `leaseFenceMarginFraction * ttl / LEASE_FENCE_CHECKS_PER_MARGIN`.
   */
  leaseFenceMarginFraction: 0.25,
  /** How often a replica looks for chats without a live owner (new, released or expired). */
  leaseScanMs: 2 * SECOND,
  /** At most this many chats are taken per scan, so that several replicas starting together share the load. */
  leaseAcquireBatch: 500,

  webhookTimeoutMs: 10 * SECOND,
  webhookBackoffBaseMs: 500,
  webhookBackoffMaxMs: 5 * MINUTE,
  /** A chat whose oldest undelivered event has failed for this long has its events dead-lettered. */
  webhookDeadLetterMs: 1 * HOUR,
  /** Chats delivered to in parallel; one slow receiver occupies one slot only. */
  webhookConcurrency: 64,
  /** Fallback scan for due webhook events (events written by another replica, retries after backoff). */
  webhookScanMs: 1 * SECOND,

  /** Ended chats (with their idempotency keys and dead letters) are purged after this long. */
  retentionMs: 7 * DAY,
  retentionSweepMs: 10 * MINUTE,
  /** Fallback scan for visitor messages written by another replica (Redis also notifies at once). */
  outboxScanMs: 1 * SECOND,

  /**
   * How long Live Agent may stay unreachable (network errors, 5xx) before a chat is given up: opening a session,
   * and the cap on a session's connection timeout (Live Agent's default is 150 s).
   */
  liveAgentRetryBudgetMs: 150 * SECOND,
  /** Gap between two visitor messages: Live Agent is known to drop ChatMessage calls sent too fast. */
  visitorMessageGapMs: 150,
  /** Pace of the bot transcript in `messages` mode, so the agent can read it as it arrives. */
  transcriptPaceMs: 400,
  /** Longest single ChatMessage we send; a longer summary is split. */
  chatMessageMaxChars: 4000,
  /** Longest transcript stored in a prechat detail (a long text area field). */
  transcriptFieldMaxChars: 32_000,

  shutdownTimeoutMs: 10 * SECOND,
} as const

/** Fence checks per safety margin: a check that runs late still fences well inside the margin. */
export const LEASE_FENCE_CHECKS_PER_MARGIN = 4

/** The version the hop server reports (OpenAPI document, start-up summary). */
export const HOP_VERSION = '0.1.0'

/** Live Agent hosts a real org uses (Setup › Chat Settings › Chat API Endpoint). */
export const DEFAULT_LIVE_AGENT_ALLOWLIST = ['*.salesforceliveagent.com', '*.my.salesforce-scrt.com']
/** Botpress Cloud delivers integration webhooks here. */
export const DEFAULT_WEBHOOK_ALLOWLIST = ['webhook.botpress.cloud']

/** The tenant used when none is configured outside production: documented in the README, never for real use. */
export const DEV_TENANT = { id: 'dev', secret: 'dev-secret-change-me' } as const
