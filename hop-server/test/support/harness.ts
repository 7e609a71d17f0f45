// Shared pieces of the hop-server tests: short timings, a temp data dir, chat bodies aimed at the mock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SAMPLE_IDS } from '@liveagent-hop/mock-server'
import type { HopConfigInput } from '../../src/config.js'
import { ephemeralLoopbackTargets } from '../../src/testing/index.js'

export const TENANT = 'tenantA'
export const SECRET = 'tenant-a-secret-0123456789'
export const OTHER_TENANT = 'tenantB'
export const OTHER_SECRET = 'tenant-b-secret-0123456789'
export const TENANTS = { [TENANT]: SECRET, [OTHER_TENANT]: OTHER_SECRET }

/** Short lease, backoff and scan times so the suite stays fast; all named, all configurable in production. */
export const FAST_TIMINGS = {
  leases: { ttlMs: 1500, renewMs: 400, scanMs: 250 },
  webhooks: { backoffBaseMs: 50, backoffMaxMs: 400, timeoutMs: 2000 },
  pump: { transcriptPaceMs: 30, visitorMessageGapMs: 10, liveAgentRetryBudgetMs: 2000 },
} satisfies HopConfigInput

export const MOCK_HOLD_MS = 300

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export function hopConfig(dataDir: string, overrides: HopConfigInput = {}): HopConfigInput {
  return {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    dataDir,
    tenants: TENANTS,
    ...FAST_TIMINGS,
    ...overrides,
    security: { loopbackTargets: ephemeralLoopbackTargets(), ...overrides.security },
  }
}

let conversations = 0

export function chatBody(mockUrl: string, webhookUrl: string, overrides: Record<string, unknown> = {}) {
  conversations += 1
  return {
    conversationId: `conv_${Date.now()}_${conversations}`,
    webhookUrl,
    liveAgent: {
      endpoint: `${mockUrl}/chat`,
      organizationId: SAMPLE_IDS.orgId,
      deploymentId: SAMPLE_IDS.deploymentId,
      buttonId: SAMPLE_IDS.buttonId,
      apiVersion: '63',
    },
    visitor: { name: 'Ada', language: 'en-US' },
    ...overrides,
  }
}

export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(25)
  }
}
