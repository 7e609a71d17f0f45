import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError, DEFAULTS, loadConfigFromEnv } from '../src/config.js'
import { DEV_TENANT } from '../src/constants.js'

const dir = mkdtempSync(join(tmpdir(), 'hop-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECRET_A = 'secret-a-0123456789'
const SECRET_B = 'secret-b-0123456789'

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfigFromEnv(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('configuration from the environment', () => {
  it('runs with no setup: SQLite under ./data and the documented development tenant', () => {
    const config = loadConfigFromEnv({})
    expect(config.store).toEqual({
      kind: 'sqlite',
      file: resolve('data', 'hop.sqlite'),
      synchronous: 'full',
      commitThread: 'main',
    })
    expect(config.port).toBe(DEFAULTS.port)
    expect(config.usingDevTenant).toBe(true)
    expect(config.tenants.get(DEV_TENANT.id)).toBe(DEV_TENANT.secret)
    expect(config.security.loopbackTargets).toEqual([])
    expect(config.security.acceptV1Signatures).toBe(false)
    expect(config.security.liveAgentAllowlist).toEqual(['*.salesforceliveagent.com', '*.my.salesforce-scrt.com'])
  })

  it('reads tenants, the data directory, Redis and timings', () => {
    const config = loadConfigFromEnv({
      HOP_TENANTS: `tenantA:${SECRET_A}, tenantB:${SECRET_B}`,
      HOP_DATA_DIR: dir,
      HOP_PORT: '0',
      HOP_LOOPBACK_TARGETS: '127.0.0.1:3001, LOCALHOST:3002,[::1]:3003,127.0.0.1:40000-40100',
      HOP_ACCEPT_V1_SIGNATURES: 'true',
      HOP_LIVEAGENT_ALLOWLIST: '*.salesforceliveagent.com,la.proxy.example.com:8443',
      HOP_LEASE_TTL_MS: '3000',
      HOP_LEASE_RENEW_MS: '1000',
      HOP_WEBHOOK_ALLOWLIST: 'hooks.example.com,*.example.org',
    })
    expect([...config.tenants]).toEqual([
      ['tenantA', SECRET_A],
      ['tenantB', SECRET_B],
    ])
    expect(config.usingDevTenant).toBe(false)
    expect(config.store).toMatchObject({ kind: 'sqlite', file: join(dir, 'hop.sqlite') })
    expect(config.port).toBe(0)
    expect(config.security.loopbackTargets).toEqual([
      '127.0.0.1:3001',
      'localhost:3002',
      '[::1]:3003',
      '127.0.0.1:40000-40100',
    ])
    expect(config.security.acceptV1Signatures).toBe(true)
    expect(config.security.liveAgentAllowlist).toEqual(['*.salesforceliveagent.com', 'la.proxy.example.com:8443'])
    expect(config.leases).toMatchObject({ ttlMs: 3000, renewMs: 1000 })
    expect(config.security.webhookAllowlist).toEqual(['hooks.example.com', '*.example.org'])

    const redis = loadConfigFromEnv({ HOP_STORE: 'redis', HOP_REDIS_URL: 'redis://127.0.0.1:6379' })
    expect(redis.store).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'hop:' })
  })

  it('reads the settings that once had no variable', () => {
    const config = loadConfigFromEnv({
      HOP_LEASE_ACQUIRE_BATCH: '50',
      HOP_LEASE_FENCE_MARGIN: '0.4',
      HOP_STORE_SWEEP_MS: '45000',
      HOP_RETENTION_SWEEP_MS: '60000',
      HOP_CHAT_MESSAGE_MAX_CHARS: '2000',
      HOP_TRANSCRIPT_FIELD_MAX_CHARS: '10000',
    })
    expect(config.leases).toMatchObject({ acquireBatch: 50, fenceMarginFraction: 0.4 })
    expect(config.storeSweepMs).toBe(45_000)
    expect(config.retention.sweepMs).toBe(60_000)
    expect(config.pump).toMatchObject({ chatMessageMaxChars: 2000, transcriptFieldMaxChars: 10_000 })
  })

  it('reads tenants from a JSON file, as an object or a list', () => {
    const objectFile = join(dir, 'tenants.json')
    writeFileSync(objectFile, JSON.stringify({ tenantA: SECRET_A }))
    expect([...loadConfigFromEnv({ HOP_TENANTS_FILE: objectFile }).tenants]).toEqual([['tenantA', SECRET_A]])
    const listFile = join(dir, 'tenants-list.json')
    writeFileSync(listFile, JSON.stringify([{ id: 'tenantB', secret: SECRET_B }]))
    expect([...loadConfigFromEnv({ HOP_TENANTS_FILE: listFile }).tenants]).toEqual([['tenantB', SECRET_B]])
  })

  it.each([
    [{ HOP_PORT: 'eighty' }, 'HOP_PORT', /number/],
    [{ HOP_PORT: '70000' }, 'HOP_PORT', /port/],
    [{ HOP_STORE: 'postgres' }, 'HOP_STORE', /sqlite|redis/],
    [{ HOP_STORE: 'redis' }, 'HOP_REDIS_URL', /required when HOP_STORE=redis/],
    [{ HOP_REDIS_URL: 'http://x' }, 'HOP_REDIS_URL', /redis:\/\//],
    [{ HOP_TENANTS: 'tenantA' }, 'HOP_TENANTS', /id:secret/],
    [{ HOP_TENANTS: 'tenantA:short' }, 'HOP_TENANTS', /at least 16 characters/],
    [{ HOP_TENANTS: `a:${SECRET_A},a:${SECRET_B}` }, 'HOP_TENANTS', /listed twice/],
    [{ HOP_TENANTS: `a b:${SECRET_A}` }, 'HOP_TENANTS', /tenant id/],
    [{ HOP_TENANTS_FILE: '/nonexistent/tenants.json' }, 'HOP_TENANTS_FILE', /cannot read/],
    [{ HOP_TENANTS: `a:${SECRET_A}`, HOP_TENANTS_FILE: 'x.json' }, 'HOP_TENANTS_FILE', /not both/],
    [{ HOP_LIVEAGENT_ALLOWLIST: 'not a host' }, 'HOP_LIVEAGENT_ALLOWLIST', /not a host name/],
    [
      { HOP_ALLOW_LOOPBACK: 'true' },
      'HOP_ALLOW_LOOPBACK',
      /removed; list the loopback targets .* HOP_LOOPBACK_TARGETS/,
    ],
    [{ HOP_WEBHOOK_SCAN_MS: '1000' }, 'HOP_WEBHOOK_SCAN_MS', /removed; .* HOP_STORE_SWEEP_MS/],
    [{ HOP_OUTBOX_SCAN_MS: '1000' }, 'HOP_OUTBOX_SCAN_MS', /removed; .* HOP_STORE_SWEEP_MS/],
    [{ HOP_LOOPBACK_TARGETS: '127.0.0.1' }, 'HOP_LOOPBACK_TARGETS', /names no port/],
    [{ HOP_LOOPBACK_TARGETS: '10.0.0.1:80' }, 'HOP_LOOPBACK_TARGETS', /not a loopback host:port/],
    [{ HOP_LOOPBACK_TARGETS: '0.0.0.0:80' }, 'HOP_LOOPBACK_TARGETS', /not a loopback host:port/],
    [{ HOP_LOOPBACK_TARGETS: '127.0.0.1:99999' }, 'HOP_LOOPBACK_TARGETS', /invalid port/],
    [{ HOP_LOOPBACK_TARGETS: '127.0.0.1:5000-4000' }, 'HOP_LOOPBACK_TARGETS', /empty port range/],
    [{ HOP_PORT: '8787', HOP_LOOPBACK_TARGETS: 'localhost:8787' }, 'HOP_LOOPBACK_TARGETS', /own port/],
    [{ HOP_LIVEAGENT_ALLOWLIST: 'la.example.com:http' }, 'HOP_LIVEAGENT_ALLOWLIST', /invalid port/],
    [{ HOP_ACCEPT_V1_SIGNATURES: 'maybe' }, 'HOP_ACCEPT_V1_SIGNATURES', /./],
    [{ HOP_LEASE_TTL_MS: '-5' }, 'HOP_LEASE_TTL_MS', /greater than 0/],
    [{ HOP_LEASE_TTL_MS: '1000', HOP_LEASE_RENEW_MS: '2000' }, 'HOP_LEASE_RENEW_MS', /shorter than/],
    [{ HOP_LOG_LEVEL: 'loud' }, 'HOP_LOG_LEVEL', /./],
    [{ NODE_ENV: 'production' }, 'HOP_TENANTS', /no tenant is configured/],
    [{ HOP_PORT: '80.5' }, 'HOP_PORT', /must be a whole number/],
    [{ HOP_LEASE_ACQUIRE_BATCH: '0' }, 'HOP_LEASE_ACQUIRE_BATCH', /greater than 0/],
    [{ HOP_LEASE_FENCE_MARGIN: '1' }, 'HOP_LEASE_FENCE_MARGIN', /less than 1/],
    [{ HOP_LEASE_FENCE_MARGIN: 'quarter' }, 'HOP_LEASE_FENCE_MARGIN', /between 0 and 1/],
    [{ HOP_STORE_SWEEP_MS: 'soon' }, 'HOP_STORE_SWEEP_MS', /whole number/],
    [{ HOP_RETENTION_SWEEP_MS: '-1' }, 'HOP_RETENTION_SWEEP_MS', /greater than 0/],
    [{ HOP_STORE_SWEEP_MS: '0' }, 'HOP_STORE_SWEEP_MS', /greater than 0/],
    [{ HOP_CHAT_MESSAGE_MAX_CHARS: '4k' }, 'HOP_CHAT_MESSAGE_MAX_CHARS', /whole number/],
    [{ HOP_TRANSCRIPT_FIELD_MAX_CHARS: '0' }, 'HOP_TRANSCRIPT_FIELD_MAX_CHARS', /greater than 0/],
    [{ HOP_TRANSCRIPT_PACE_MS: '-1' }, 'HOP_TRANSCRIPT_PACE_MS', /at least 0/],
    [{ HOP_SQLITE_SYNC: 'off' }, 'HOP_SQLITE_SYNC', /one of full, normal/],
    [
      { HOP_WEBHOOK_BACKOFF_BASE_MS: '9000', HOP_WEBHOOK_BACKOFF_MAX_MS: '10' },
      'HOP_WEBHOOK_BACKOFF_BASE_MS',
      /exceed/,
    ],
  ])('refuses %j naming %s', (env, variable, problem) => {
    const error = configError(env as NodeJS.ProcessEnv)
    expect(error.variable).toBe(variable)
    expect(error.message).toMatch(new RegExp(`^${variable}: `))
    expect(error.message).toMatch(problem)
  })
})
