// The end of `npm run bench`: the summary table on stdout, the JSON results, the latency picture (SVG, and PNG
// when chromium is there).
import { writeFileSync } from 'node:fs'
import type { LatencySummary } from '../measure/latency.js'
import type { BenchResults } from '../run/bench-main.js'
import type { TargetResult } from '../run/target-run.js'
import { integrityProblems } from '../run/verify.js'
import { svgToPng } from './png.js'
import { latencySvg, type Series } from './svg-histogram.js'
import { fmt, ratio, table } from './table.js'

const COLORS = { hop: '#1f6fb4', baseline: '#e8822a' } as const
const KIB_PER_MIB = 1024

function latencyRows(name: string, pick: (r: TargetResult) => LatencySummary, hop?: TargetResult, base?: TargetResult) {
  const rows: string[][] = []
  for (const key of ['p50', 'p95', 'p99', 'max'] as const) {
    const ours = hop ? pick(hop)[key] : undefined
    const theirs = base ? pick(base)[key] : undefined
    rows.push([`${name} ${key} (ms)`, fmt(ours, 0), fmt(theirs, 0), ratio(theirs, ours)])
  }
  return rows
}

export function summaryTable(results: BenchResults): string {
  const hop = results.results.hop
  const base = results.results.baseline
  const row = (label: string, pick: (r: TargetResult) => number | undefined, digits = 1, withRatio = true) => {
    const ours = hop ? pick(hop) : undefined
    const theirs = base ? pick(base) : undefined
    return [label, fmt(ours, digits), fmt(theirs, digits), withRatio ? ratio(theirs, ours) : '']
  }
  const problems = (r: TargetResult) => integrityProblems(r.integrity)
  const enhanced = results.options.backend === 'enhanced-chat'
  const rows = [
    row('chats opened / joined', (r) => r.chats.joined, 0, false),
    row('chats ended', (r) => r.chats.ended, 0, false),
    ...latencyRows('agent→visitor', (r) => r.latencyMs.agentToVisitor, hop, base),
    ...latencyRows('visitor→agent', (r) => r.latencyMs.visitorToAgent, hop, base),
    row('RSS empty (MiB)', (r) => r.resources.rssEmptyKiB / KIB_PER_MIB, 1, false),
    row('RSS idle, all open (MiB)', (r) => (r.resources.rssIdleKiB ?? NaN) / KIB_PER_MIB, 1, false),
    row('RSS per idle chat (KiB)', (r) => r.resources.rssPerIdleChatKiB, 1),
    row('  anonymous memory (KiB)', (r) => r.resources.rssAnonPerIdleChatKiB, 1, false),
    row('  JS heap used (KiB, incl. garbage)', (r) => r.hopInternals?.heapUsedPerIdleChatKiB, 1, false),
    row('RSS peak (MiB)', (r) => r.resources.rssPeakKiB / KIB_PER_MIB, 1),
    row('CPU idle (% of a core)', (r) => r.resources.idle?.cpuPercent, 1),
    row('CPU per idle chat (µs/s)', (r) => r.resources.idle?.cpuUsPerChatPerSec, 2),
    row('CPU exchange (% of a core)', (r) => r.resources.exchange?.cpuPercent, 1),
    row('CPU per message (ms)', (r) => r.resources.exchange?.cpuMsPerMessage, 3),
    row('messages/s (both ways)', (r) => r.resources.exchange?.messagesPerSec, 1, false),
    row('event-loop delay max, exchange (ms)', (r) => r.hopInternals?.loopDelayMs?.exchange?.max, 0, false),
    row('major GC time, exchange (ms)', (r) => r.hopInternals?.gc?.exchange?.major?.totalMs, 0, false),
    row('major GC pauses > 100 ms', (r) => r.hopInternals?.gc?.exchange?.major?.over100ms, 0, false),
    // Enhanced Chat holds one event stream per chat: there are no polls to count.
    ...(enhanced
      ? []
      : [
          row('polls/s idle', (r) => r.resources.idle?.pollsPerSec, 1),
          row('polls/s exchange', (r) => r.resources.exchange?.pollsPerSec, 1),
        ]),
    row('lost v→a / a→v', (r) => r.integrity.visitorToAgent.lost + r.integrity.agentToVisitor.lost, 0, false),
    row(
      'duplicated (both ways)',
      (r) => r.integrity.visitorToAgent.duplicated + r.integrity.agentToVisitor.duplicated,
      0,
      false
    ),
    row(
      'reordered (both ways)',
      (r) => r.integrity.visitorToAgent.reordered + r.integrity.agentToVisitor.reordered,
      0,
      false
    ),
    row('all integrity problems', problems, 0, false),
    row(enhanced ? 'conversations created twice or reopened' : 'mock 409s', (r) => r.mock.conflicts409, 0, false),
    row('mock protocol violations', (r) => Object.values(r.mock.violations).reduce((a, b) => a + b, 0), 0, false),
  ]
  const runsFrom = hop?.setup.runsFrom === 'compiled' ? ', compiled' : hop ? ', from source' : ''
  const hopColumn = `hop server (${enhanced ? 'Enhanced Chat' : 'Live Agent'}${runsFrom})`
  return table(['', hopColumn, 'baseline', 'baseline÷hop'], rows)
}

export async function writeBenchFiles(
  results: BenchResults,
  stem: string
): Promise<{ files: string[]; notes: string[] }> {
  const files: string[] = []
  const notes: string[] = []
  writeFileSync(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`)
  files.push(`${stem}.json`)
  const series = (direction: 'agentToVisitor' | 'visitorToAgent'): Series[] =>
    (['hop', 'baseline'] as const).flatMap((name) => {
      const result = results.results[name]
      return result
        ? [
            {
              name: name === 'hop' ? 'hop server' : 'naive baseline',
              color: COLORS[name],
              histogram: result.histograms[direction],
              summary: result.latencyMs[direction],
            },
          ]
        : []
    })
  const { chats, messages, thinkMs } = results.options
  const svg = latencySvg(
    `Relay latency, ${chats} concurrent chats, ${messages} messages each way, think ${thinkMs.join('–')} ms`,
    [
      {
        title: 'Agent → visitor (agent message in the mock → event at the webhook receiver)',
        series: series('agentToVisitor'),
      },
      {
        title: 'Visitor → agent (POST to the bridge API → ChatMessage applied by the mock)',
        series: series('visitorToAgent'),
      },
    ]
  )
  writeFileSync(`${stem}.svg`, svg)
  files.push(`${stem}.svg`)
  try {
    await svgToPng(`${stem}.svg`, `${stem}.png`)
    files.push(`${stem}.png`)
  } catch (error) {
    notes.push(`no PNG (${(error as Error).message.split('\n')[0]}); the SVG is there`)
  }
  return { files, notes }
}
