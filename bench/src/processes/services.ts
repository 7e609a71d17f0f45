// The real processes a run needs: the Live Agent mock, the hop server (SQLite or Redis), redis-server, the naive
// baseline and the webhook receiver. Each is started with `node <bin>` exactly as a user would start it.
import { ephemeralLoopbackTargets } from '@liveagent-hop/hop-server/testing'
import { join } from 'node:path'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { REDIS_SERVER, requireProgram } from '../../../test-support/system-programs.js'
import { JsonClient } from '../http/json-client.js'
import { ManagedProcess } from './child.js'
import { benchBin, packageBin } from './workspace.js'

const READY_TIMEOUT_MS = 60_000
const READY_POLL_MS = 100
const HTTP_OK = 200

/** The mock's sample ids (its defaults), which the create-chat requests name. */
export const MOCK_IDS = {
  organizationId: '00D5g000004AbCd',
  deploymentId: '5725g000000AbCd',
  buttonId: '5735g000000AbCd',
} as const

export interface MockOptions {
  logDir: string
  holdMs: number
  lenient: boolean
  fdLimit?: number
  sessionTimeoutMs?: number
  /** Enhanced Chat: false lifts Salesforce's per-org limits (200 guest tokens a minute), as several orgs would. */
  rateLimits?: boolean
}

export interface RunningMock {
  process: ManagedProcess
  url: string
}

export async function startMock(options: MockOptions): Promise<RunningMock> {
  const args = [packageBin('@liveagent-hop/mock-server', 'liveagent-mock'), '--port', '0', '--scenario', 'manual']
  args.push('--hold-ms', String(options.holdMs))
  if (options.sessionTimeoutMs !== undefined) args.push('--session-timeout-ms', String(options.sessionTimeoutMs))
  if (options.lenient) args.push('--lenient')
  if (options.rateLimits === false) args.push('--no-rate-limits')
  const process = new ManagedProcess({
    name: 'mock',
    command: globalThis.process.execPath,
    args,
    logFile: join(options.logDir, options.lenient ? 'mock-lenient.log' : 'mock.log'),
    ...(options.fdLimit !== undefined ? { fdLimit: options.fdLimit } : {}),
  })
  const url = await process.waitForLine((line) => /^https?:\/\//.test(line), READY_TIMEOUT_MS)
  return { process, url: url.trim() }
}

export interface HopOptions {
  name: string
  logDir: string
  port: number
  tenant: string
  secret: string
  /** SQLite data folder, or a Redis URL. */
  store: { kind: 'sqlite'; dataDir: string } | { kind: 'redis'; url: string; replicaId: string }
  fdLimit?: number
  /** Extra HOP_* variables (lease timings for the replica test, log level). */
  env?: Record<string, string>
  /** Node options before the bin (e.g. --cpu-prof, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[]
  /** How long a stop waits after SIGTERM before SIGKILL (a profiled process writes its profile on the way out). */
  stopGraceMs?: number
  /** The bin to start (a compiled build's, see hop-build.ts); default: the workspace's, which runs the sources. */
  bin?: string
}

/** Starts `liveagent-hop` and resolves once /readyz answers 200 (the store is reachable, the port is open). */
export async function startHop(options: HopOptions): Promise<ManagedProcess> {
  const env: Record<string, string> = {
    HOP_PORT: String(options.port),
    HOP_HOST: '127.0.0.1',
    HOP_LOG_LEVEL: 'warn',
    HOP_TENANTS: `${options.tenant}:${options.secret}`,
    // The mock, the receivers and Redis take their ports from the OS's ephemeral range.
    HOP_LOOPBACK_TARGETS: ephemeralLoopbackTargets().join(','),
    ...(options.store.kind === 'sqlite'
      ? { HOP_STORE: 'sqlite', HOP_DATA_DIR: options.store.dataDir }
      : { HOP_STORE: 'redis', HOP_REDIS_URL: options.store.url, HOP_REPLICA_ID: options.store.replicaId }),
    ...options.env,
  }
  const process = new ManagedProcess({
    name: options.name,
    command: globalThis.process.execPath,
    args: [...(options.nodeArgs ?? []), options.bin ?? packageBin('@liveagent-hop/hop-server', 'liveagent-hop')],
    env,
    logFile: join(options.logDir, `${options.name}.log`),
    ...(options.fdLimit !== undefined ? { fdLimit: options.fdLimit } : {}),
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
  })
  await waitUntil(
    async (timeoutMs) => (await httpStatus(`http://127.0.0.1:${options.port}/readyz`, timeoutMs)) === HTTP_OK,
    process,
    `${options.name} did not become ready`
  )
  return process
}

export interface BaselineOptions {
  logDir: string
  port: number
  tenant: string
  secret: string
  fdLimit?: number
}

export async function startBaseline(options: BaselineOptions): Promise<ManagedProcess> {
  const process = new ManagedProcess({
    name: 'baseline',
    command: globalThis.process.execPath,
    args: [benchBin('baseline')],
    env: {
      BASELINE_PORT: String(options.port),
      BASELINE_TENANT: options.tenant,
      BASELINE_SECRET: options.secret,
    },
    logFile: join(options.logDir, 'baseline.log'),
    ...(options.fdLimit !== undefined ? { fdLimit: options.fdLimit } : {}),
  })
  await waitUntil(
    async (timeoutMs) => (await httpStatus(`http://127.0.0.1:${options.port}/healthz`, timeoutMs)) === HTTP_OK,
    process,
    'the baseline did not become ready'
  )
  return process
}

/**
 * A throwaway redis-server (no persistence: the test kills hop replicas, never Redis). Without redis-server it
 * throws at once with the sentence naming the Debian package.
 */
export async function startRedis(logDir: string, port: number): Promise<ManagedProcess> {
  const command = requireProgram(REDIS_SERVER)
  const process = new ManagedProcess({
    name: 'redis',
    command,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    logFile: join(logDir, 'redis.log'),
  })
  await waitUntil(() => redisPong(port), process, 'redis-server did not answer PING')
  return process
}

/**
 * Probes until `ready` says yes, for READY_TIMEOUT_MS in all. A probe may take the whole remaining time: a hop
 * server restarted under a burst of clients' retries answers late, not never, and a short per-probe timeout
 * would count a slow answer as no answer forever (the chaos run saw a listening hop "not ready" for 60 s).
 */
async function waitUntil(
  ready: (timeoutMs: number) => Promise<boolean>,
  process: ManagedProcess,
  what: string
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let lastProbe = 'no probe answered'
  let probes = 0
  while (Date.now() < deadline) {
    if (!process.isRunning) throw new Error(`${what}: ${process.name} exited (see its log)`)
    probes += 1
    const answer = await ready(Math.max(1, deadline - Date.now())).then(
      (ok) => (ok ? undefined : 'not ready'),
      (error: unknown) => (error instanceof Error ? error.message : String(error))
    )
    if (answer === undefined) return
    lastProbe = answer
    await sleep(READY_POLL_MS)
  }
  await process.stop()
  throw new Error(`${what} within ${READY_TIMEOUT_MS} ms (${probes} probes, the last: ${lastProbe})`)
}

const probe = new JsonClient({ keepAlive: false })

async function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return (await probe.request('GET', url, undefined, {}, timeoutMs)).status
}

function redisPong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.setTimeout(1000, () => socket.destroy())
    socket.once('error', () => resolve(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'))
      socket.end()
    })
    socket.once('close', () => resolve(false))
  })
}
