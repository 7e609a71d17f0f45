// Configuration: one typed object (HopConfig), filled from environment variables by `loadConfigFromEnv`
// or from code by `resolveConfig` (tests, the playground). Every environment variable is validated with zod
// on start; a bad value raises ConfigError naming the variable, which the bin turns into exit code 2.
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { DEFAULTS, DEFAULT_LIVE_AGENT_ALLOWLIST, DEFAULT_WEBHOOK_ALLOWLIST, DEV_TENANT } from './constants.js'
import { parseHostPatterns, parseLoopbackTargets } from './security/allowlist.js'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export type StoreConfig =
  { kind: 'sqlite'; file: string; synchronous: 'full' | 'normal' } | { kind: 'redis'; url: string; keyPrefix: string }

export interface HopConfig {
  port: number
  host: string
  logLevel: LogLevel
  /** Identifies this process as a lease owner; unique per process. */
  replicaId: string
  store: StoreConfig
  /** tenant id → shared secret */
  tenants: ReadonlyMap<string, string>
  /** True when no tenant was configured and the documented development tenant is in use. */
  usingDevTenant: boolean
  security: {
    liveAgentAllowlist: string[]
    webhookAllowlist: string[]
    /**
     * Loopback `host:port` targets (or `host:low-high`) that Live Agent endpoints and webhooks may use over http:
     * the playground and tests. Empty by default; never the hop server's own port.
     */
    loopbackTargets: string[]
    /** Accept the deprecated v1 signature (timestamp and body only) from clients not yet upgraded. Off by default. */
    acceptV1Signatures: boolean
    bodyLimitBytes: number
    signatureWindowMs: number
  }
  leases: { ttlMs: number; renewMs: number; scanMs: number; acquireBatch: number }
  webhooks: {
    timeoutMs: number
    backoffBaseMs: number
    backoffMaxMs: number
    deadLetterMs: number
    concurrency: number
    scanMs: number
  }
  retention: { retentionMs: number; sweepMs: number }
  pump: {
    outboxScanMs: number
    liveAgentRetryBudgetMs: number
    visitorMessageGapMs: number
    transcriptPaceMs: number
    chatMessageMaxChars: number
    transcriptFieldMaxChars: number
  }
  shutdownTimeoutMs: number
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K]
}

/** What `startHopServer` accepts: any subset; `tenants` may be a plain object. `dataDir` places the SQLite file. */
export type HopConfigInput = Omit<DeepPartial<HopConfig>, 'tenants' | 'store'> & {
  tenants?: ReadonlyMap<string, string> | Record<string, string>
  store?: StoreConfig
  dataDir?: string
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string
  ) {
    super(`${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}

/**
 * SQLite: one process owns the file, so the id is stable and a restart reclaims its chats at once. Redis: unique
 * per process unless HOP_REPLICA_ID names it (a stable name per replica, e.g. the pod name, resumes at once too).
 */
const defaultReplicaId = (store: StoreConfig) =>
  store.kind === 'sqlite' ? `sqlite-${hostname()}` : `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`

/** Fills every missing value with its default. Throws ConfigError for values that cannot work together. */
export function resolveConfig(input: HopConfigInput = {}, env: NodeJS.ProcessEnv = process.env): HopConfig {
  const tenants = input.tenants instanceof Map ? input.tenants : new Map(Object.entries(input.tenants ?? {}))
  const usingDevTenant = tenants.size === 0
  if (usingDevTenant) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError('HOP_TENANTS', 'no tenant is configured (required when NODE_ENV=production)')
    }
    tenants.set(DEV_TENANT.id, DEV_TENANT.secret)
  }
  const dataDir = resolve(input.dataDir ?? DEFAULTS.dataDir)
  const store = input.store ?? { kind: 'sqlite', file: join(dataDir, DEFAULTS.sqliteFileName), synchronous: 'full' }
  const config: HopConfig = {
    port: input.port ?? DEFAULTS.port,
    host: input.host ?? DEFAULTS.host,
    logLevel: input.logLevel ?? DEFAULTS.logLevel,
    replicaId: input.replicaId ?? defaultReplicaId(store),
    store,
    tenants,
    usingDevTenant,
    security: {
      liveAgentAllowlist: input.security?.liveAgentAllowlist ?? [...DEFAULT_LIVE_AGENT_ALLOWLIST],
      webhookAllowlist: input.security?.webhookAllowlist ?? [...DEFAULT_WEBHOOK_ALLOWLIST],
      loopbackTargets: input.security?.loopbackTargets ?? [],
      acceptV1Signatures: input.security?.acceptV1Signatures ?? false,
      bodyLimitBytes: input.security?.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
      signatureWindowMs: input.security?.signatureWindowMs ?? DEFAULTS.signatureWindowMs,
    },
    leases: {
      ttlMs: input.leases?.ttlMs ?? DEFAULTS.leaseTtlMs,
      renewMs: input.leases?.renewMs ?? DEFAULTS.leaseRenewMs,
      scanMs: input.leases?.scanMs ?? DEFAULTS.leaseScanMs,
      acquireBatch: input.leases?.acquireBatch ?? DEFAULTS.leaseAcquireBatch,
    },
    webhooks: {
      timeoutMs: input.webhooks?.timeoutMs ?? DEFAULTS.webhookTimeoutMs,
      backoffBaseMs: input.webhooks?.backoffBaseMs ?? DEFAULTS.webhookBackoffBaseMs,
      backoffMaxMs: input.webhooks?.backoffMaxMs ?? DEFAULTS.webhookBackoffMaxMs,
      deadLetterMs: input.webhooks?.deadLetterMs ?? DEFAULTS.webhookDeadLetterMs,
      concurrency: input.webhooks?.concurrency ?? DEFAULTS.webhookConcurrency,
      scanMs: input.webhooks?.scanMs ?? DEFAULTS.webhookScanMs,
    },
    retention: {
      retentionMs: input.retention?.retentionMs ?? DEFAULTS.retentionMs,
      sweepMs: input.retention?.sweepMs ?? DEFAULTS.retentionSweepMs,
    },
    pump: {
      outboxScanMs: input.pump?.outboxScanMs ?? DEFAULTS.outboxScanMs,
      liveAgentRetryBudgetMs: input.pump?.liveAgentRetryBudgetMs ?? DEFAULTS.liveAgentRetryBudgetMs,
      visitorMessageGapMs: input.pump?.visitorMessageGapMs ?? DEFAULTS.visitorMessageGapMs,
      transcriptPaceMs: input.pump?.transcriptPaceMs ?? DEFAULTS.transcriptPaceMs,
      chatMessageMaxChars: input.pump?.chatMessageMaxChars ?? DEFAULTS.chatMessageMaxChars,
      transcriptFieldMaxChars: input.pump?.transcriptFieldMaxChars ?? DEFAULTS.transcriptFieldMaxChars,
    },
    shutdownTimeoutMs: input.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs,
  }
  const ownTarget = config.security.loopbackTargets.find((target) => target.endsWith(`:${config.port}`))
  if (config.port !== 0 && ownTarget) {
    throw new ConfigError('HOP_LOOPBACK_TARGETS', `${ownTarget} is the hop server's own port (HOP_PORT); remove it`)
  }
  if (config.leases.renewMs >= config.leases.ttlMs) {
    throw new ConfigError('HOP_LEASE_RENEW_MS', `must be shorter than HOP_LEASE_TTL_MS (${config.leases.ttlMs})`)
  }
  if (config.webhooks.backoffBaseMs > config.webhooks.backoffMaxMs) {
    throw new ConfigError('HOP_WEBHOOK_BACKOFF_BASE_MS', 'must not exceed HOP_WEBHOOK_BACKOFF_MAX_MS')
  }
  return config
}

// ---------------------------------------------------------------------------------------------------------
// Environment variables

const positiveInt = z.coerce.number().int('must be a whole number').positive('must be greater than 0')
const port = z.coerce.number().int('must be a whole number').min(0).max(65535, 'must be a port (0-65535)')
const bool = z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] })
const hostList = z.string().transform((value, ctx) => {
  try {
    return parseHostPatterns(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
    return z.NEVER
  }
})
const loopbackList = z.string().transform((value, ctx) => {
  try {
    return parseLoopbackTargets(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
    return z.NEVER
  }
})
/** Replaced by HOP_LOOPBACK_TARGETS: refused with a sentence saying so, so an old setup does not silently change. */
const removedLoopbackSwitch = z.string().transform((_, ctx) => {
  ctx.addIssue({
    code: 'custom',
    message: 'was removed; list the loopback targets as host:port pairs in HOP_LOOPBACK_TARGETS instead',
  })
  return z.NEVER
})
const tenantId = /^[A-Za-z0-9._-]{1,64}$/
const MIN_SECRET_LENGTH = 16

/** `tenantA:secretA,tenantB:secretB` */
const tenantList = z.string().transform((value, ctx) => {
  const tenants = new Map<string, string>()
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':')
    if (separator < 0) {
      ctx.addIssue({ code: 'custom', message: 'an entry has no ":" (expected id:secret,id:secret)' })
      return z.NEVER
    }
    const id = entry.slice(0, separator)
    const secret = entry.slice(separator + 1)
    const problem = tenantProblem(id, secret, tenants)
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${problem} (expected id:secret,id:secret)` })
      return z.NEVER
    }
    tenants.set(id, secret)
  }
  if (tenants.size === 0) {
    ctx.addIssue({ code: 'custom', message: 'lists no tenant (expected id:secret,id:secret)' })
    return z.NEVER
  }
  return tenants
})

function tenantProblem(id: string, secret: string, known: ReadonlyMap<string, string>): string | undefined {
  if (!tenantId.test(id)) return `tenant id "${id}" must be 1-64 letters, digits, dot, dash or underscore`
  if (secret.length < MIN_SECRET_LENGTH)
    return `the secret of tenant "${id}" must be at least ${MIN_SECRET_LENGTH} characters`
  if (known.has(id)) return `tenant "${id}" is listed twice`
  return undefined
}

const ENV = {
  HOP_PORT: port,
  HOP_HOST: z.string().min(1),
  HOP_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  HOP_REPLICA_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits or . _ : -'),
  HOP_DATA_DIR: z.string().min(1),
  HOP_STORE: z.enum(['sqlite', 'redis']),
  HOP_SQLITE_FILE: z.string().min(1),
  HOP_SQLITE_SYNC: z.enum(['full', 'normal']),
  HOP_REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'),
  HOP_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9._:-]{1,50}$/, 'must be 1-50 letters, digits or . _ : -'),
  HOP_TENANTS: tenantList,
  HOP_TENANTS_FILE: z.string().min(1),
  HOP_LIVEAGENT_ALLOWLIST: hostList,
  HOP_WEBHOOK_ALLOWLIST: hostList,
  HOP_LOOPBACK_TARGETS: loopbackList,
  HOP_ALLOW_LOOPBACK: removedLoopbackSwitch,
  HOP_ACCEPT_V1_SIGNATURES: bool,
  HOP_BODY_LIMIT_BYTES: positiveInt,
  HOP_SIGNATURE_WINDOW_MS: positiveInt,
  HOP_LEASE_TTL_MS: positiveInt,
  HOP_LEASE_RENEW_MS: positiveInt,
  HOP_LEASE_SCAN_MS: positiveInt,
  HOP_WEBHOOK_TIMEOUT_MS: positiveInt,
  HOP_WEBHOOK_BACKOFF_BASE_MS: positiveInt,
  HOP_WEBHOOK_BACKOFF_MAX_MS: positiveInt,
  HOP_WEBHOOK_DEAD_LETTER_MS: positiveInt,
  HOP_WEBHOOK_CONCURRENCY: positiveInt,
  HOP_RETENTION_MS: positiveInt,
  HOP_LIVEAGENT_RETRY_BUDGET_MS: positiveInt,
  HOP_TRANSCRIPT_PACE_MS: z.coerce.number().int().min(0),
  HOP_VISITOR_MESSAGE_GAP_MS: z.coerce.number().int().min(0),
  HOP_SHUTDOWN_TIMEOUT_MS: positiveInt,
} satisfies Record<string, z.ZodType>

type EnvName = keyof typeof ENV
type EnvValues = { [K in EnvName]?: z.output<(typeof ENV)[K]> }

const REMOVED_VARIABLES: readonly EnvName[] = ['HOP_ALLOW_LOOPBACK']
/** The names of every variable the hop server reads (the README table lists the same), without removed ones. */
export const ENV_VARIABLES = (Object.keys(ENV) as EnvName[]).filter((name) => !REMOVED_VARIABLES.includes(name))

function readEnv(env: NodeJS.ProcessEnv): EnvValues {
  const values: Record<string, unknown> = {}
  for (const name of Object.keys(ENV) as EnvName[]) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const parsed = ENV[name].safeParse(raw)
    if (!parsed.success) throw new ConfigError(name, parsed.error.issues[0]?.message ?? 'invalid value')
    values[name] = parsed.data
  }
  return values as EnvValues
}

/** `{ "tenantA": "secretA" }` or `[{ "id": "tenantA", "secret": "secretA" }]` */
function readTenantsFile(file: string): Map<string, string> {
  const variable = 'HOP_TENANTS_FILE'
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ConfigError(variable, `cannot read ${file} as JSON (${(error as Error).message})`)
  }
  const entries: [string, unknown][] = Array.isArray(parsed)
    ? parsed.map((item: { id?: unknown; secret?: unknown }) => [String(item?.id ?? ''), item?.secret])
    : parsed !== null && typeof parsed === 'object'
      ? Object.entries(parsed)
      : []
  const tenants = new Map<string, string>()
  for (const [id, secret] of entries) {
    const problem = tenantProblem(id, typeof secret === 'string' ? secret : '', tenants)
    if (problem) throw new ConfigError(variable, problem)
    tenants.set(id, secret as string)
  }
  if (tenants.size === 0) throw new ConfigError(variable, `${file} lists no tenant`)
  return tenants
}

/** Reads and validates the environment. Throws ConfigError (the bin exits with code 2). */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HopConfig {
  const v = readEnv(env)
  if (v.HOP_TENANTS && v.HOP_TENANTS_FILE) {
    throw new ConfigError('HOP_TENANTS_FILE', 'set either HOP_TENANTS or HOP_TENANTS_FILE, not both')
  }
  const tenants = v.HOP_TENANTS ?? (v.HOP_TENANTS_FILE ? readTenantsFile(v.HOP_TENANTS_FILE) : new Map())
  const dataDir = resolve(v.HOP_DATA_DIR ?? DEFAULTS.dataDir)
  let store: StoreConfig
  if (v.HOP_STORE === 'redis') {
    if (!v.HOP_REDIS_URL) throw new ConfigError('HOP_REDIS_URL', 'is required when HOP_STORE=redis')
    store = { kind: 'redis', url: v.HOP_REDIS_URL, keyPrefix: v.HOP_REDIS_PREFIX ?? DEFAULTS.redisKeyPrefix }
  } else {
    store = {
      kind: 'sqlite',
      file: resolve(dataDir, v.HOP_SQLITE_FILE ?? DEFAULTS.sqliteFileName),
      synchronous: v.HOP_SQLITE_SYNC ?? 'full',
    }
  }
  return resolveConfig(
    {
      port: v.HOP_PORT,
      host: v.HOP_HOST,
      logLevel: v.HOP_LOG_LEVEL,
      replicaId: v.HOP_REPLICA_ID,
      store,
      tenants,
      security: {
        liveAgentAllowlist: v.HOP_LIVEAGENT_ALLOWLIST,
        webhookAllowlist: v.HOP_WEBHOOK_ALLOWLIST,
        loopbackTargets: v.HOP_LOOPBACK_TARGETS,
        acceptV1Signatures: v.HOP_ACCEPT_V1_SIGNATURES,
        bodyLimitBytes: v.HOP_BODY_LIMIT_BYTES,
        signatureWindowMs: v.HOP_SIGNATURE_WINDOW_MS,
      },
      leases: { ttlMs: v.HOP_LEASE_TTL_MS, renewMs: v.HOP_LEASE_RENEW_MS, scanMs: v.HOP_LEASE_SCAN_MS },
      webhooks: {
        timeoutMs: v.HOP_WEBHOOK_TIMEOUT_MS,
        backoffBaseMs: v.HOP_WEBHOOK_BACKOFF_BASE_MS,
        backoffMaxMs: v.HOP_WEBHOOK_BACKOFF_MAX_MS,
        deadLetterMs: v.HOP_WEBHOOK_DEAD_LETTER_MS,
        concurrency: v.HOP_WEBHOOK_CONCURRENCY,
      },
      retention: { retentionMs: v.HOP_RETENTION_MS },
      pump: {
        transcriptPaceMs: v.HOP_TRANSCRIPT_PACE_MS,
        visitorMessageGapMs: v.HOP_VISITOR_MESSAGE_GAP_MS,
        liveAgentRetryBudgetMs: v.HOP_LIVEAGENT_RETRY_BUDGET_MS,
      },
      shutdownTimeoutMs: v.HOP_SHUTDOWN_TIMEOUT_MS,
      dataDir,
    },
    env
  )
}
