// Runs the load scenario against one bridge, from fresh processes to figures: a new mock (strict for the hop
// server, --lenient for the baseline, which sends no sequence header), a new webhook receiver, the bridge itself,
// the /proc sampler, the load run, the checks.
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { JsonClient } from '../http/json-client.js'
import { TargetApi, type RetryPolicy } from '../http/target-api.js'
import { summarize, type LatencySummary, histogram, type Histogram } from '../measure/latency.js'
import { gcBetween, readHopMetrics, type GcFigures, type HopMetricsReading } from '../measure/hop-metrics.js'
import { ProcSampler, type WindowFigures } from '../measure/proc-sampler.js'
import type { ManagedProcess } from '../processes/child.js'
import { fdsNeeded, planFdLimit } from '../processes/fd-limits.js'
import type { HopRunsFrom } from '../processes/hop-build.js'
import { freePort } from '../processes/ports.js'
import { wallToMonotonicUs } from '../profile/clock.js'
import {
  analyseHopHeap,
  heapSnapshotNodeArgs,
  SNAPSHOT_TIMEOUT_MS,
  takeHeapSnapshot,
  type HopHeap,
} from '../profile/hop-heap.js'
import { analyseHopProfile, type HopCpuProfile } from '../profile/hop-profile.js'
import { cpuProfileNodeArgs } from '../profile/profile-files.js'
import { startBaseline, startHop, startMock, startRedis, type HopOptions } from '../processes/services.js'
import { ReceiverProcess } from '../receiver/receiver-process.js'
import type { ReceiverStats } from '../receiver/protocol.js'
import { agentConsoleFor, chatTargetFor, DEFAULT_BACKEND, type BackendName } from './backend.js'
import { Ledger } from './ledger.js'
import { LoadRun, type LoadRunOutcome, type Mark } from './load-run.js'
import { verify, type Integrity } from './verify.js'

export type TargetName = 'hop' | 'baseline'

export interface TargetRunOptions {
  target: TargetName
  /** The Salesforce backend the chats use (default live-agent; the baseline speaks Live Agent only). */
  backend?: BackendName
  /** Enhanced Chat: the simulator without Salesforce's per-org rate limits (default: with them). */
  noRateLimits?: boolean
  chats: number
  messages: number
  thinkMs: readonly [number, number]
  rampPerSec: number
  idleMs: number
  holdMs: number
  outDir: string
  progress: boolean
  /** The hop server's store: SQLite (its default) or Redis (a redis-server child is started). */
  store?: 'sqlite' | 'redis'
  /** Extra environment of the hop server process (HOP_SQLITE_SYNC=normal, NODE_OPTIONS=…). */
  hopEnv?: Record<string, string>
  /** Node options for the hop server process (profiling). */
  hopNodeArgs?: string[]
  /** Run the hop server under V8's CPU profiler and break its profile down (`cpuProfile` in the result). */
  profile?: boolean
  /** Take a heap snapshot of the hop server at the end of the idle window (`heap` in the result). */
  heap?: boolean
  /** The compiled hop server's bin (buildHop); without it the hop server runs from the TypeScript sources. */
  hopBin?: string
}

export interface ResourceFigures {
  /** The bridge right after start, before any chat. */
  rssEmptyKiB: number
  /** Median over the idle window, every chat open and idle. */
  rssIdleKiB?: number
  /** (idle − empty) / open chats */
  rssPerIdleChatKiB?: number
  /** The same for the anonymous part of RSS only (no file-backed or shared pages). */
  rssAnonPerIdleChatKiB?: number
  rssPeakKiB: number
  idle?: WindowFigures & { cpuUsPerChatPerSec: number; pollsPerSec: number }
  exchange?: WindowFigures & { cpuMsPerMessage: number; pollsPerSec: number; messagesPerSec: number }
}

export interface TargetResult {
  target: TargetName
  backend: BackendName
  /** The hop server's store and extra environment (what the figures were measured with). */
  setup: { store?: 'sqlite' | 'redis'; env?: Record<string, string>; runsFrom?: HopRunsFrom }
  mockMode: 'strict' | 'lenient'
  chats: { requested: number; created: number; joined: number; ended: number; endReasons: Record<string, number> }
  failures: Record<string, number>
  latencyMs: { agentToVisitor: LatencySummary; visitorToAgent: LatencySummary }
  histograms: { agentToVisitor: Histogram; visitorToAgent: Histogram }
  resources: ResourceFigures
  /**
   * The hop server's own metrics: JavaScript heap before the first chat and at the end of the idle window,
   * event-loop delay and garbage collection over the idle and the exchange windows.
   */
  hopInternals?: {
    heapUsedPerIdleChatKiB?: number
    heapTotalIdleMiB?: number
    heapUsedIdleMiB?: number
    loopDelayMs?: { idle?: HopMetricsReading['loopDelayMs']; exchange?: HopMetricsReading['loopDelayMs'] }
    gc?: { idle?: Record<string, GcFigures>; exchange?: Record<string, GcFigures> }
  }
  mockProcess?: { cpuPercentExchange?: number; rssPeakKiB: number }
  /**
   * With `profile`: the hop server's CPU profile (main thread), self time by area over its whole life and over the
   * idle and exchange windows, and the top functions; or why there is none.
   */
  cpuProfile?: HopCpuProfile
  /** With `heap`: retained size by constructor in a heap snapshot taken at the end of the idle window. */
  heap?: HopHeap
  integrity: Integrity
  mock: { conflicts409: number; violations: Record<string, number>; requests: Record<string, number> }
  receiver: ReceiverStats
  apiRetries: Record<string, number>
  fdLimit: { needed: number; granted: number }
  durationMs: number
  phasesMs: Record<string, number>
}

const TENANT = 'bench'
const SAMPLE_EVERY_MS = 1000
/** The bench's own retries: a few, quick; a run without faults should need none. */
const BENCH_RETRY: RetryPolicy = { budgetMs: 5_000, firstDelayMs: 50, maxDelayMs: 1_000 }
/** Sockets per open chat in a bridge: the long poll, plus room for posts and webhooks in flight. */
const SOCKETS_PER_CHAT = 1.5
/**
 * A profiled hop server writes its profile after its graceful stop; a long run's profile takes seconds to
 * serialise on a loaded machine. The hop's own HOP_SHUTDOWN_TIMEOUT_MS still bounds the stop itself.
 */
const PROFILED_STOP_GRACE_MS = 60_000

export async function runTarget(options: TargetRunOptions): Promise<TargetResult> {
  const started = Date.now()
  const logDir = join(options.outDir, 'logs')
  mkdirSync(logDir, { recursive: true })
  const secret = randomBytes(24).toString('hex')
  const lenient = options.target === 'baseline'
  const backend = options.backend ?? DEFAULT_BACKEND
  if (backend !== 'live-agent' && options.target === 'baseline')
    throw new Error('the naive baseline speaks Live Agent only')
  const fd = planFdLimit(fdsNeeded(options.chats, SOCKETS_PER_CHAT))
  const fdOption = fd.raise ? { fdLimit: fd.granted } : {}
  const ledger = new Ledger()
  const sampler = new ProcSampler(SAMPLE_EVERY_MS)
  const http = new JsonClient({ maxSockets: 1024 })
  const stoppers: (() => Promise<void>)[] = []
  const profileDir = options.profile && options.target === 'hop' ? join(options.outDir, 'profile') : undefined
  const toProfileClock = wallToMonotonicUs()
  const heapDir = options.heap && options.target === 'hop' ? join(options.outDir, 'heap') : undefined
  let heap: HopHeap | undefined
  let marks: LoadRunOutcome['marks'] = {}
  let result: TargetResult
  try {
    const mock = await startMock({
      logDir,
      holdMs: options.holdMs,
      lenient,
      ...(options.noRateLimits ? { rateLimits: false } : {}),
      ...fdOption,
    })
    stoppers.push(() => mock.process.stop())
    const receiver = await ReceiverProcess.start({
      logDir,
      tenant: TENANT,
      secret,
      onDeliveries: (deliveries) => ledger.record(deliveries),
    })
    stoppers.push(() => receiver.stop())
    const port = await freePort()
    let bridge: ManagedProcess
    if (options.target === 'hop') {
      const dataDir = join(options.outDir, 'hop-data')
      mkdirSync(dataDir, { recursive: true })
      let store: HopOptions['store'] = { kind: 'sqlite', dataDir }
      if (options.store === 'redis') {
        const redisPort = await freePort()
        const redis = await startRedis(logDir, redisPort)
        stoppers.push(() => redis.stop())
        store = { kind: 'redis', url: `redis://127.0.0.1:${redisPort}`, replicaId: 'bench' }
      }
      for (const dir of [profileDir, heapDir]) {
        if (!dir) continue
        rmSync(dir, { recursive: true, force: true })
        mkdirSync(dir, { recursive: true })
      }
      const nodeArgs = [
        ...(profileDir ? cpuProfileNodeArgs(profileDir) : []),
        ...(heapDir ? heapSnapshotNodeArgs(heapDir) : []),
        ...(options.hopNodeArgs ?? []),
      ]
      bridge = await startHop({
        name: 'hop',
        logDir,
        port,
        tenant: TENANT,
        secret,
        store,
        ...(options.hopEnv ? { env: options.hopEnv } : {}),
        ...(nodeArgs.length > 0 ? { nodeArgs } : {}),
        ...(profileDir ? { stopGraceMs: PROFILED_STOP_GRACE_MS } : {}),
        ...(options.hopBin ? { bin: options.hopBin } : {}),
        ...fdOption,
      })
    } else {
      bridge = await startBaseline({ logDir, port, tenant: TENANT, secret, ...fdOption })
    }
    stoppers.push(() => bridge.stop())
    sampler.watch('bridge', bridge.pid)
    sampler.watch('mock', mock.process.pid)
    sampler.start()

    const admin = agentConsoleFor(backend, mock.url)
    stoppers.push(async () => admin.close())
    const bridgeUrl = `http://127.0.0.1:${port}`
    const readings: Partial<Record<Mark, HopMetricsReading>> = {}
    const api = new TargetApi([bridgeUrl], TENANT, secret, http, BENCH_RETRY)
    const run = new LoadRun({
      label: options.target,
      chats: options.chats,
      messages: options.messages,
      thinkMs: options.thinkMs,
      rampPerSec: options.rampPerSec,
      idleMs: options.idleMs,
      runTag: `${options.target === 'hop' ? 'h' : 'b'}${randomBytes(3).toString('hex')}`,
      webhookUrl: receiver.url,
      targetFor: chatTargetFor(backend, mock.url),
      apiFor: () => api,
      admin,
      ledger,
      joinTimeoutMs: 60_000 + options.chats * 10,
      endTimeoutMs: 60_000,
      progress: options.progress,
      sampleAt: () => sampler.sampleAll(),
      onMark: async (mark) => {
        if (options.target !== 'hop') return
        const reading = await readHopMetrics(bridgeUrl)
        if (reading) readings[mark] = reading
        if (mark === 'idleEnd' && heapDir)
          heap = await snapshotHop(bridge.pid, heapDir, bridgeUrl, ledger.counts.joined)
      },
    })
    const outcome = await run.run()
    marks = outcome.marks
    const hopInternals = internals(readings, ledger.counts.joined)
    sampler.sampleAll()
    const receiverStats = await receiver.stats()
    const { integrity, latency } = verify(ledger.chats, outcome.mockChats, ledger.strayDeliveries)
    result = {
      target: options.target,
      backend,
      setup:
        options.target === 'hop'
          ? {
              store: options.store ?? 'sqlite',
              ...(options.hopEnv ? { env: options.hopEnv } : {}),
              runsFrom: options.hopBin ? 'compiled' : 'source',
            }
          : {},
      mockMode: lenient ? 'lenient' : 'strict',
      chats: {
        requested: options.chats,
        created: ledger.counts.created,
        joined: ledger.counts.joined,
        ended: ledger.counts.ended,
        endReasons: countBy(ledger.chats.map((chat) => chat.ended?.reason ?? 'not ended')),
      },
      failures: outcome.failures,
      latencyMs: {
        agentToVisitor: summarize(latency.agentToVisitor),
        visitorToAgent: summarize(latency.visitorToAgent),
      },
      histograms: {
        agentToVisitor: histogram(latency.agentToVisitor),
        visitorToAgent: histogram(latency.visitorToAgent),
      },
      resources: resources(sampler, outcome, ledger, started),
      ...(options.target === 'hop' ? { hopInternals } : {}),
      ...(heapDir ? { heap: heap ?? { errors: ['no idle window ended, so no heap snapshot was taken'] } } : {}),
      mockProcess: mockFigures(sampler, outcome),
      integrity,
      mock: {
        conflicts409: outcome.mockStats.conflicts409,
        violations: countBy(outcome.mockStats.violations.map((violation) => violation.rule)),
        requests: outcome.mockStats.requests,
      },
      receiver: receiverStats,
      apiRetries: Object.fromEntries(api.retries),
      fdLimit: { needed: fdsNeeded(options.chats, SOCKETS_PER_CHAT), granted: fd.granted },
      durationMs: Date.now() - started,
      phasesMs: phases(outcome),
    }
  } finally {
    sampler.stop()
    http.close()
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined)
  }
  // Node writes the profile as the hop server exits, so it is read once every process has stopped.
  if (profileDir) result.cpuProfile = analyseHopProfile(profileDir, profileWindows(marks, toProfileClock))
  if (result.heap?.file) result.heap = analyseHopHeap(result.heap.file, result.heap.openChats ?? 0)
  return result
}

/** The snapshot itself during the run; reading it (seconds of CPU) waits until every process has stopped. */
async function snapshotHop(pid: number, dir: string, bridgeUrl: string, openChats: number): Promise<HopHeap> {
  const probe = new JsonClient({ keepAlive: false, timeoutMs: SNAPSHOT_TIMEOUT_MS })
  try {
    const file = await takeHeapSnapshot(pid, dir, () => probe.request('GET', `${bridgeUrl}/readyz`))
    return { file, openChats }
  } catch (error) {
    return { errors: [`no heap snapshot: ${(error as Error).message}`] }
  } finally {
    probe.close()
  }
}

function profileWindows(
  marks: LoadRunOutcome['marks'],
  toProfileClock: (wallMs: number) => number
): Parameters<typeof analyseHopProfile>[1] {
  const window = (from?: number, to?: number): [number, number] | undefined =>
    from && to ? [toProfileClock(from), toProfileClock(to)] : undefined
  const idle = window(marks.idleStart, marks.idleEnd)
  const exchange = window(marks.exchangeStart, marks.exchangeEnd)
  return { ...(idle ? { idle } : {}), ...(exchange ? { exchange } : {}) }
}

function resources(sampler: ProcSampler, outcome: LoadRunOutcome, ledger: Ledger, started: number): ResourceFigures {
  const { marks, pollsAt } = outcome
  const open = ledger.counts.joined
  const empty = sampler.window('bridge', started, marks.start ?? Date.now())
  const whole = sampler.window('bridge', started, Date.now())
  const figures: ResourceFigures = { rssEmptyKiB: empty?.rssMedianKiB ?? NaN, rssPeakKiB: whole?.rssMaxKiB ?? NaN }
  if (marks.idleStart && marks.idleEnd) {
    const idle = sampler.window('bridge', marks.idleStart, marks.idleEnd)
    if (idle) {
      const seconds = idle.durationMs / 1000
      figures.rssIdleKiB = idle.rssMedianKiB
      figures.rssPerIdleChatKiB = open > 0 ? (idle.rssMedianKiB - figures.rssEmptyKiB) / open : NaN
      figures.rssAnonPerIdleChatKiB = open > 0 && empty ? (idle.rssAnonMedianKiB - empty.rssAnonMedianKiB) / open : NaN
      figures.idle = {
        ...idle,
        cpuUsPerChatPerSec: open > 0 && seconds > 0 ? (idle.cpuMs * 1000) / seconds / open : NaN,
        pollsPerSec: ((pollsAt.idleEnd ?? 0) - (pollsAt.idleStart ?? 0)) / ((marks.idleEnd - marks.idleStart) / 1000),
      }
    }
  }
  if (marks.exchangeStart && marks.exchangeEnd) {
    const exchange = sampler.window('bridge', marks.exchangeStart, marks.exchangeEnd)
    if (exchange) {
      const messages = ledger.counts.visitorSent + ledger.counts.agentSent
      const seconds = (marks.exchangeEnd - marks.exchangeStart) / 1000
      figures.exchange = {
        ...exchange,
        cpuMsPerMessage: messages > 0 ? exchange.cpuMs / messages : NaN,
        pollsPerSec: ((pollsAt.exchangeEnd ?? 0) - (pollsAt.exchangeStart ?? 0)) / seconds,
        messagesPerSec: messages / seconds,
      }
    }
  }
  return figures
}

const MIB = 1024 * 1024

function internals(readings: Partial<Record<Mark, HopMetricsReading>>, open: number): TargetResult['hopInternals'] {
  const { start, idleStart, idleEnd, exchangeStart, exchangeEnd } = readings
  return {
    ...(start && idleEnd && open > 0
      ? { heapUsedPerIdleChatKiB: (idleEnd.heapUsedBytes - start.heapUsedBytes) / 1024 / open }
      : {}),
    ...(idleEnd
      ? { heapTotalIdleMiB: idleEnd.heapTotalBytes / MIB, heapUsedIdleMiB: idleEnd.heapUsedBytes / MIB }
      : {}),
    // prom-client resets the loop histogram at each scrape, so a reading covers the window since the previous mark.
    loopDelayMs: {
      ...(idleEnd ? { idle: idleEnd.loopDelayMs } : {}),
      ...(exchangeEnd ? { exchange: exchangeEnd.loopDelayMs } : {}),
    },
    gc: {
      ...(idleStart && idleEnd ? { idle: gcBetween(idleStart, idleEnd) } : {}),
      ...(exchangeStart && exchangeEnd ? { exchange: gcBetween(exchangeStart, exchangeEnd) } : {}),
    },
  }
}

function mockFigures(sampler: ProcSampler, outcome: LoadRunOutcome): TargetResult['mockProcess'] {
  const whole = sampler.window('mock', 0, Date.now())
  if (!whole) return undefined
  const { exchangeStart, exchangeEnd } = outcome.marks
  const exchange = exchangeStart && exchangeEnd ? sampler.window('mock', exchangeStart, exchangeEnd) : undefined
  return { rssPeakKiB: whole.rssMaxKiB, ...(exchange ? { cpuPercentExchange: exchange.cpuPercent } : {}) }
}

function phases(outcome: LoadRunOutcome): Record<string, number> {
  const { marks } = outcome
  const span = (from?: number, to?: number) => (from && to ? to - from : NaN)
  return {
    ramp: span(marks.start, marks.rampEnd),
    join: span(marks.rampEnd, marks.joined),
    idle: span(marks.idleStart, marks.idleEnd),
    exchange: span(marks.exchangeStart, marks.exchangeEnd),
    end: span(marks.exchangeEnd, marks.ended),
  }
}

export function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}
