// `npm run bench`: the hop server, then the naive baseline, each under the same load on fresh processes (one
// after the other, never at once: they would share the two cores), and the ratios between them.
import { loadavg } from 'node:os'
import type { BackendName } from './backend.js'
import { machineInfo, type MachineInfo } from './machine.js'
import { runTarget, type TargetName, type TargetResult } from './target-run.js'

export interface BenchOptions {
  chats: number
  messages: number
  thinkMs: readonly [number, number]
  rampPerSec: number
  idleMs: number
  holdMs: number
  targets: TargetName[]
  /** The Salesforce backend the chats use (default live-agent). */
  backend?: BackendName
  /** Enhanced Chat: the simulator without Salesforce's per-org rate limits. */
  noRateLimits?: boolean
  outDir: string
  progress: boolean
  store?: 'sqlite' | 'redis'
  hopEnv?: Record<string, string>
  hopNodeArgs?: string[]
  /** The hop server under V8's CPU profiler, its profile broken down in the results. */
  profile?: boolean
  /** A heap snapshot of the hop server at the end of the idle window, retained size by constructor in the results. */
  heap?: boolean
  /** The compiled hop server's bin (buildHop); without it the hop server runs from the TypeScript sources. */
  hopBin?: string
}

export interface BenchResults {
  kind: 'bench'
  startedAt: string
  finishedAt: string
  machine: MachineInfo
  loadAverageAtEnd: number[]
  options: BenchOptions
  results: Partial<Record<TargetName, TargetResult>>
  /** baseline ÷ hop for each figure where lower is better: above 1 means the hop server does better. */
  ratios: Record<string, number>
}

/** Seconds between the two bridges, so the first one's leftovers (sockets in TIME_WAIT, CPU) settle. */
const PAUSE_BETWEEN_TARGETS_MS = 5_000

export async function runBench(
  options: BenchOptions,
  note: (message: string) => void = () => {}
): Promise<BenchResults> {
  const startedAt = new Date().toISOString()
  const machine = machineInfo()
  const results: BenchResults['results'] = {}
  for (const [index, target] of options.targets.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_TARGETS_MS))
    note(
      `${target} (${options.backend ?? 'live-agent'}): ${options.chats} chats, ${options.messages} messages each way`
    )
    results[target] = await runTarget({ ...options, target, outDir: options.outDir })
  }
  return {
    kind: 'bench',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
    options,
    results,
    ratios: results.hop && results.baseline ? ratios(results.hop, results.baseline) : {},
  }
}

function ratios(hop: TargetResult, baseline: TargetResult): Record<string, number> {
  const pairs: Record<string, [number | undefined, number | undefined]> = {
    'agentToVisitor.p50': [baseline.latencyMs.agentToVisitor.p50, hop.latencyMs.agentToVisitor.p50],
    'agentToVisitor.p99': [baseline.latencyMs.agentToVisitor.p99, hop.latencyMs.agentToVisitor.p99],
    'visitorToAgent.p50': [baseline.latencyMs.visitorToAgent.p50, hop.latencyMs.visitorToAgent.p50],
    'visitorToAgent.p99': [baseline.latencyMs.visitorToAgent.p99, hop.latencyMs.visitorToAgent.p99],
    rssPerIdleChat: [baseline.resources.rssPerIdleChatKiB, hop.resources.rssPerIdleChatKiB],
    idleCpuPerChat: [baseline.resources.idle?.cpuUsPerChatPerSec, hop.resources.idle?.cpuUsPerChatPerSec],
    cpuPerMessage: [baseline.resources.exchange?.cpuMsPerMessage, hop.resources.exchange?.cpuMsPerMessage],
    idlePollsPerSec: [baseline.resources.idle?.pollsPerSec, hop.resources.idle?.pollsPerSec],
  }
  const out: Record<string, number> = {}
  for (const [name, [base, ours]] of Object.entries(pairs)) {
    if (base !== undefined && ours !== undefined && ours > 0) out[name] = Math.round((base / ours) * 100) / 100
  }
  return out
}
