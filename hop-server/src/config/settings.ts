// THE table of hop-server settings: each one's environment variable, kind, default and meaning. The loader
// (from-env.ts), `--help` and the README's configuration table (checked by test/config-table.test.ts) come from here,
// and so do the types of HopConfig. Tests and the playground pass short values through `startHopServer({ ... })`.
import { SIGNATURE_WINDOW_MS } from '@liveagent-hop/bridge-contract'
import { DEFAULT_LIVE_AGENT_ALLOWLIST, DEFAULT_WEBHOOK_ALLOWLIST } from '../constants.js'
import {
  BOOLEAN,
  BYTES,
  CHARACTERS,
  COUNT,
  FRACTION,
  HOST_LIST,
  LOOPBACK_LIST,
  MILLISECONDS,
  MILLISECONDS_OR_ZERO,
  name,
  oneOf,
  PATH,
  PORT,
  REDIS_URL,
  TENANT_LIST,
  TEXT,
} from './kinds.js'
import { setting } from './setting.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Where the chats are kept, and the tenants: read from the environment, then combined (see from-env.ts). */
export const SOURCE_SETTINGS = {
  tenants: {
    list: setting({
      env: 'HOP_TENANTS',
      ...TENANT_LIST,
      default: undefined,
      description:
        '`tenantA:secretA,tenantB:secretB`; ids 1-64 of `A-Za-z0-9._-`, secrets at least 16 characters. Without it (and `HOP_TENANTS_FILE`) outside production, the development tenant',
    }),
    file: setting({
      env: 'HOP_TENANTS_FILE',
      ...PATH,
      default: undefined,
      description:
        'instead of `HOP_TENANTS`: a JSON file `{ "tenantA": "secretA" }` or `[{ "id": "tenantA", "secret": "secretA" }]`',
    }),
  },
  storage: {
    kind: setting({
      env: 'HOP_STORE',
      ...oneOf(['sqlite', 'redis']),
      default: 'sqlite',
      description: '`sqlite` (one process) or `redis` (several replicas)',
    }),
    dataDir: setting({ env: 'HOP_DATA_DIR', ...PATH, default: './data', description: 'where the SQLite file lives' }),
    sqliteFile: setting({
      env: 'HOP_SQLITE_FILE',
      ...PATH,
      default: 'hop.sqlite',
      description: 'the SQLite file, relative to `HOP_DATA_DIR`',
    }),
    sqliteSync: setting({
      env: 'HOP_SQLITE_SYNC',
      ...oneOf(['full', 'normal']),
      default: 'full',
      description:
        '`full`: each commit is on disk before anything is acknowledged; `normal`: survives a process crash, may lose the last commits on power loss (WAL)',
    }),
    sqliteCommit: setting({
      env: 'HOP_SQLITE_COMMIT',
      ...oneOf(['worker', 'main']),
      default: 'main',
      description:
        '`worker`: commits run on a writer thread, so the sync to disk never blocks the event loop (experimental: in one of three small Enhanced Chat chaos runs, every write of the first, freshly started process failed with SQLITE_ERROR); `main`: on the event loop',
    }),
    redisUrl: setting({
      env: 'HOP_REDIS_URL',
      ...REDIS_URL,
      default: undefined,
      description: '`redis://…` or `rediss://…`; required with `HOP_STORE=redis`. One server or Sentinel (not Cluster)',
    }),
    redisPrefix: setting({
      env: 'HOP_REDIS_PREFIX',
      ...name(50),
      default: 'hop:',
      description: 'key prefix, so several deployments can share a Redis',
    }),
  },
} as const

/** Settings that are HopConfig values as they are. */
export const CONFIG_SETTINGS = {
  port: setting({ env: 'HOP_PORT', ...PORT, default: 8787, description: 'TCP port (`0` picks a free one)' }),
  host: setting({
    env: 'HOP_HOST',
    ...TEXT,
    default: '127.0.0.1',
    description: 'interface to listen on (`0.0.0.0` in a container)',
  }),
  logLevel: setting({
    env: 'HOP_LOG_LEVEL',
    ...oneOf(LOG_LEVELS),
    type: 'log level',
    default: 'info',
    description: LOG_LEVELS.map((level) => `\`${level}\``).join(', '),
  }),
  /**
   * SQLite: one process owns the file, so the id is stable and a restart reclaims its chats at once. Redis: unique
   * per process unless HOP_REPLICA_ID names it (a stable name per replica, e.g. the pod name, resumes at once too).
   */
  replicaId: setting({
    env: 'HOP_REPLICA_ID',
    ...name(100),
    default: undefined as string | undefined,
    defaultText: 'SQLite: `sqlite-<hostname>`; Redis: unique per run',
    description:
      "this process's name as a lease owner. A stable id (e.g. the pod name) lets a restarted replica resume its chats at once",
  }),
  security: {
    liveAgentAllowlist: setting({
      env: 'HOP_LIVEAGENT_ALLOWLIST',
      ...HOST_LIST,
      default: [...DEFAULT_LIVE_AGENT_ALLOWLIST],
      description:
        "hosts a chat's `liveAgent.endpoint` may name (`*.domain` matches subdomains), over https on port 443 only; `host:port` allows that port instead",
    }),
    webhookAllowlist: setting({
      env: 'HOP_WEBHOOK_ALLOWLIST',
      ...HOST_LIST,
      default: [...DEFAULT_WEBHOOK_ALLOWLIST],
      description: "hosts a chat's `webhookUrl` may name, same rules",
    }),
    /** Loopback targets Live Agent endpoints and webhooks may use over http: the playground and tests. */
    loopbackTargets: setting({
      env: 'HOP_LOOPBACK_TARGETS',
      ...LOOPBACK_LIST,
      default: [],
      description:
        "loopback `host:port` pairs callable over plain http, e.g. `127.0.0.1:3001,localhost:3004` (the playground, tests). Exactly the spelling and port listed (`localhost:3001` does not allow `127.0.0.1:3001`); `host:low-high` names a port range (test harnesses); never the hop server's own port. Never in production. Replaces `HOP_ALLOW_LOOPBACK`, which is now refused",
    }),
    acceptV1Signatures: setting({
      env: 'HOP_ACCEPT_V1_SIGNATURES',
      ...BOOLEAN,
      default: false,
      description:
        'also accept the deprecated `v1` signature (timestamp and body only) from integrations not yet upgraded; each use is logged as deprecated. See "Signing"',
    }),
    /** Transcripts can be long; anything bigger is refused with 413 before it is parsed. */
    bodyLimitBytes: setting({
      env: 'HOP_BODY_LIMIT_BYTES',
      ...BYTES,
      default: 512 * 1024,
      description: 'larger request bodies get 413',
    }),
    signatureWindowMs: setting({
      env: 'HOP_SIGNATURE_WINDOW_MS',
      ...MILLISECONDS,
      default: SIGNATURE_WINDOW_MS,
      description: "accepted clock difference of a signed request (the contract's 5 minutes)",
    }),
  },
  leases: {
    /**
     * Keep it above Live Agent's poll hold time (~30 s, clientPollTimeout 40 s): if a replica's host dies, Salesforce
     * may still hold its last poll open, and a second poll on the session before that one is answered ends the chat
     * (409). A process that dies (kill -9) closes its sockets, so a restart with the same HOP_REPLICA_ID resumes at
     * once without waiting.
     */
    ttlMs: setting({
      env: 'HOP_LEASE_TTL_MS',
      ...MILLISECONDS,
      default: 40 * SECOND,
      description:
        "a replica that stops renewing loses its chats after this long. Keep it above Live Agent's poll hold time (~30 s) so a dead host's last poll cannot collide",
    }),
    /** Well inside the TTL, so one slow round does not lose the lease. */
    renewMs: setting({
      env: 'HOP_LEASE_RENEW_MS',
      ...MILLISECONDS,
      default: 10 * SECOND,
      description: 'how often held leases are renewed (one store call for all of them); must be below the TTL',
    }),
    scanMs: setting({
      env: 'HOP_LEASE_SCAN_MS',
      ...MILLISECONDS,
      default: 2 * SECOND,
      description: 'how often a replica looks for chats without a live owner',
    }),
    acquireBatch: setting({
      env: 'HOP_LEASE_ACQUIRE_BATCH',
      ...COUNT,
      default: 500,
      description: 'at most this many chats are taken per scan, so that several replicas starting together share them',
    }),
    /**
     * Self-fencing: a replica stops a chat's pump this fraction of the TTL before its lease could expire (by its own
     * clock, from when the last successful renewal was sent) unless a newer renewal succeeded, so that its aborted
     * poll is gone before another replica may take the chat. Never less than the Live Agent client's aborted-poll
     * grace.
     */
    fenceMarginFraction: setting({
      env: 'HOP_LEASE_FENCE_MARGIN',
      ...FRACTION,
      default: 0.25,
      description:
        "a replica stops pumping a chat this fraction of the TTL before its lease could expire unless a renewal succeeded (self-fencing; never less than Live Agent's aborted-poll grace)",
    }),
  },
  webhooks: {
    timeoutMs: setting({
      env: 'HOP_WEBHOOK_TIMEOUT_MS',
      ...MILLISECONDS,
      default: 10 * SECOND,
      description: 'one webhook delivery attempt',
    }),
    backoffBaseMs: setting({
      env: 'HOP_WEBHOOK_BACKOFF_BASE_MS',
      ...MILLISECONDS,
      default: 500,
      description: 'first retry delay; doubles per attempt (±20 % jitter)',
    }),
    backoffMaxMs: setting({
      env: 'HOP_WEBHOOK_BACKOFF_MAX_MS',
      ...MILLISECONDS,
      default: 5 * MINUTE,
      description: 'longest retry delay',
    }),
    deadLetterMs: setting({
      env: 'HOP_WEBHOOK_DEAD_LETTER_MS',
      ...MILLISECONDS,
      default: 1 * HOUR,
      description:
        'a chat whose oldest undelivered event has failed this long has its events dead-lettered (log line + metric)',
    }),
    concurrency: setting({
      env: 'HOP_WEBHOOK_CONCURRENCY',
      ...COUNT,
      default: 64,
      description: "chats delivered to in parallel (a slow receiver holds one slot, never other chats' order)",
    }),
  },
  retention: {
    retentionMs: setting({
      env: 'HOP_RETENTION_MS',
      ...MILLISECONDS,
      default: 7 * DAY,
      description: 'ended chats (their records, idempotency keys and dead letters) are purged after this long',
    }),
    sweepMs: setting({
      env: 'HOP_RETENTION_SWEEP_MS',
      ...MILLISECONDS,
      default: 10 * MINUTE,
      description: 'how often ended chats past the retention are purged',
    }),
  },
  pump: {
    liveAgentRetryBudgetMs: setting({
      env: 'HOP_LIVEAGENT_RETRY_BUDGET_MS',
      ...MILLISECONDS,
      default: 150 * SECOND,
      description: 'how long Live Agent may stay unreachable (network errors, 5xx) before a chat is ended with `error`',
    }),
    visitorMessageGapMs: setting({
      env: 'HOP_VISITOR_MESSAGE_GAP_MS',
      ...MILLISECONDS_OR_ZERO,
      default: 150,
      description: 'minimum gap between two ChatMessage posts of a chat (Salesforce drops messages sent too fast)',
    }),
    transcriptPaceMs: setting({
      env: 'HOP_TRANSCRIPT_PACE_MS',
      ...MILLISECONDS_OR_ZERO,
      default: 400,
      description: 'pause between transcript lines in `messages` mode',
    }),
    chatMessageMaxChars: setting({
      env: 'HOP_CHAT_MESSAGE_MAX_CHARS',
      ...CHARACTERS,
      default: 4000,
      description: 'longest single ChatMessage sent to Live Agent; a longer text is sent in pieces',
    }),
    transcriptFieldMaxChars: setting({
      env: 'HOP_TRANSCRIPT_FIELD_MAX_CHARS',
      ...CHARACTERS,
      default: 32_000,
      description: 'longest transcript stored in a prechat detail (`transcriptDelivery.prechatField`)',
    }),
  },
  /**
   * Work is found through events (stored events, notes between replicas, retry times kept in memory); this sweep
   * of the store only catches a note lost between replicas (e.g. over a Redis reconnect) and, after a takeover
   * sweep missed it, what a crashed replica left. Each sweep is two store queries over the chats held.
   */
  storeSweepMs: setting({
    env: 'HOP_STORE_SWEEP_MS',
    ...MILLISECONDS,
    default: 30 * SECOND,
    description:
      'safety-net sweep of the store for due webhook events and visitor messages whose notification was lost (work is otherwise found at once, without store queries)',
  }),
  shutdownTimeoutMs: setting({
    env: 'HOP_SHUTDOWN_TIMEOUT_MS',
    ...MILLISECONDS,
    default: 10 * SECOND,
    description: 'a graceful stop that takes longer exits with code 1',
  }),
} as const

/** Every setting, in the order of the README table and `--help`. */
const { port, host, logLevel, ...LATER_SETTINGS } = CONFIG_SETTINGS
export const SETTINGS = { port, host, logLevel, ...SOURCE_SETTINGS, ...LATER_SETTINGS } as const

/** Variables that are refused with a sentence saying what replaced them, so an old setup does not silently change. */
export const REMOVED_VARIABLES: Readonly<Record<string, string>> = {
  HOP_ALLOW_LOOPBACK: 'was removed; list the loopback targets as host:port pairs in HOP_LOOPBACK_TARGETS instead',
  HOP_WEBHOOK_SCAN_MS:
    'was removed; due webhook events are now found without scanning, and HOP_STORE_SWEEP_MS sets the slow safety-net sweep',
  HOP_OUTBOX_SCAN_MS:
    'was removed; visitor messages are now found without scanning, and HOP_STORE_SWEEP_MS sets the slow safety-net sweep',
}
