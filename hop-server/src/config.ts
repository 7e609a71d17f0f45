// Configuration: one typed object (HopConfig), filled from environment variables by `loadConfigFromEnv` or from
// code by `resolveConfig` (tests, the playground). Every setting, its variable, kind, default and meaning is written
// once, in config/settings.ts; the types below, the loader, `--help` and the README table are derived from it.
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { DEV_TENANT } from './constants.js'
import { ConfigError } from './config/config-error.js'
import { envVariables } from './config/describe.js'
import { readEnv } from './config/from-env.js'
import { type DeepPartial, type ValuesOf, withDefaults } from './config/setting.js'
import { CONFIG_SETTINGS, SOURCE_SETTINGS } from './config/settings.js'
import { readTenantsFile } from './config/tenants.js'

export { ConfigError }

type SettingValues = ValuesOf<typeof CONFIG_SETTINGS>
export type LogLevel = SettingValues['logLevel']

export type StoreConfig =
  | { kind: 'sqlite'; file: string; synchronous: 'full' | 'normal'; commitThread?: 'worker' | 'main' }
  | { kind: 'redis'; url: string; keyPrefix: string }

export type HopConfig = SettingValues & {
  /** Identifies this process as a lease owner; unique per process. */
  replicaId: string
  store: StoreConfig
  /** tenant id → shared secret */
  tenants: ReadonlyMap<string, string>
  /** True when no tenant was configured and the documented development tenant is in use. */
  usingDevTenant: boolean
}

/** The default of each setting (`replicaId` is computed from the store). */
export const DEFAULTS = withDefaults(CONFIG_SETTINGS)
const STORAGE_DEFAULTS = withDefaults(SOURCE_SETTINGS.storage)

/** What `startHopServer` accepts: any subset; `tenants` may be a plain object. `dataDir` places the SQLite file. */
export type HopConfigInput = DeepPartial<SettingValues> & {
  tenants?: ReadonlyMap<string, string> | Record<string, string>
  store?: StoreConfig
  dataDir?: string
}

/** The names of every variable the hop server reads, in the order of the README table. */
export const ENV_VARIABLES = envVariables()

const defaultReplicaId = (store: StoreConfig) =>
  store.kind === 'sqlite' ? `sqlite-${hostname()}` : `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`

/** Fills every missing value with its default. Throws ConfigError for values that cannot work together. */
export function resolveConfig(input: HopConfigInput = {}, env: NodeJS.ProcessEnv = process.env): HopConfig {
  const { tenants: givenTenants, store: givenStore, dataDir: givenDataDir, ...given } = input
  const tenants = givenTenants instanceof Map ? new Map(givenTenants) : new Map(Object.entries(givenTenants ?? {}))
  const usingDevTenant = tenants.size === 0
  if (usingDevTenant) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError('HOP_TENANTS', 'no tenant is configured (required when NODE_ENV=production)')
    }
    tenants.set(DEV_TENANT.id, DEV_TENANT.secret)
  }
  const dataDir = resolve(givenDataDir ?? STORAGE_DEFAULTS.dataDir)
  const store = givenStore ?? {
    kind: 'sqlite',
    file: join(dataDir, STORAGE_DEFAULTS.sqliteFile),
    synchronous: STORAGE_DEFAULTS.sqliteSync,
  }
  const values = withDefaults(CONFIG_SETTINGS, given)
  const config: HopConfig = {
    ...values,
    replicaId: values.replicaId ?? defaultReplicaId(store),
    store,
    tenants,
    usingDevTenant,
  }
  checkTogether(config)
  return config
}

/** Values that are each valid but cannot work together. */
function checkTogether(config: HopConfig): void {
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
}

/** Reads and validates the environment. Throws ConfigError (the bin exits with code 2). */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HopConfig {
  const { tenants: tenantSources = {}, storage = {}, ...values } = readEnv(env)
  if (tenantSources.list && tenantSources.file) {
    throw new ConfigError('HOP_TENANTS_FILE', 'set either HOP_TENANTS or HOP_TENANTS_FILE, not both')
  }
  let tenants = tenantSources.list ?? new Map<string, string>()
  if (tenantSources.file) {
    try {
      tenants = readTenantsFile(tenantSources.file)
    } catch (error) {
      throw new ConfigError('HOP_TENANTS_FILE', (error as Error).message)
    }
  }
  const { kind, dataDir, sqliteFile, sqliteSync, sqliteCommit, redisUrl, redisPrefix } = withDefaults(
    SOURCE_SETTINGS.storage,
    storage
  )
  let store: StoreConfig
  if (kind === 'redis') {
    if (!redisUrl) throw new ConfigError('HOP_REDIS_URL', 'is required when HOP_STORE=redis')
    store = { kind: 'redis', url: redisUrl, keyPrefix: redisPrefix }
  } else {
    store = {
      kind: 'sqlite',
      file: resolve(dataDir, sqliteFile),
      synchronous: sqliteSync,
      commitThread: sqliteCommit,
    }
  }
  return resolveConfig({ ...values, store, tenants, dataDir }, env)
}
