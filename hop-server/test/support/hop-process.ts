// The real `liveagent-hop` bin as a child process, for the kill -9 and replica tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './ports.js'
import { FAST_TIMINGS, TENANTS } from './harness.js'
import { ephemeralLoopbackTargets } from '../../src/testing/index.js'

const BIN = fileURLToPath(new URL('../../bin/liveagent-hop.js', import.meta.url))
const READY_TIMEOUT_MS = 20_000
const READY_POLL_MS = 50

export interface HopProcess {
  url: string
  port: number
  child: ChildProcess
  /** stderr and stdout so far (pino logs), for failure messages. */
  output(): string
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Environment for fast tests: short leases, scans and backoffs, loopback allowed, the test tenants. */
export function fastEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOP_TENANTS: Object.entries(TENANTS)
      .map(([id, secret]) => `${id}:${secret}`)
      .join(','),
    HOP_LOOPBACK_TARGETS: ephemeralLoopbackTargets().join(','),
    HOP_LOG_LEVEL: 'warn',
    HOP_LEASE_TTL_MS: String(FAST_TIMINGS.leases.ttlMs),
    HOP_LEASE_RENEW_MS: String(FAST_TIMINGS.leases.renewMs),
    HOP_LEASE_SCAN_MS: String(FAST_TIMINGS.leases.scanMs),
    HOP_WEBHOOK_BACKOFF_BASE_MS: String(FAST_TIMINGS.webhooks.backoffBaseMs),
    HOP_WEBHOOK_BACKOFF_MAX_MS: String(FAST_TIMINGS.webhooks.backoffMaxMs),
    HOP_VISITOR_MESSAGE_GAP_MS: String(FAST_TIMINGS.pump.visitorMessageGapMs),
    HOP_LIVEAGENT_RETRY_BUDGET_MS: String(FAST_TIMINGS.pump.liveAgentRetryBudgetMs),
    ...extra,
  }
}

export async function startHopProcess(env: Record<string, string>): Promise<HopProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, HOP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null) throw new Error(`liveagent-hop exited with ${child.exitCode}:\n${output}`)
    try {
      if ((await fetch(`${url}/readyz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`liveagent-hop did not become ready:\n${output}`)
    }
    await sleep(READY_POLL_MS)
  }
  return {
    url,
    port,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Runs the bin to completion (for configuration errors). */
export function runHopProcess(
  env: Record<string, string>,
  args: string[] = []
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => resolve({ code, stderr }))
  })
}
