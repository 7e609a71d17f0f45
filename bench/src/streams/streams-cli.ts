// npm run bench:mock-streams [-- flags]: holds N concurrent Enhanced Chat event streams open against one mock
// process and measures the mock's resident memory (target: 10,000 streams under 1 GiB). See BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { count, parseFlags, runCli, UsageError } from '../cli/args.js'
import { stopOnSignals, unlessStopping } from '../cli/stop-on-signal.js'
import { runStamp } from '../cli/stamp.js'
import { readProc } from '../measure/proc-sampler.js'
import { ManagedProcess } from '../processes/child.js'
import { currentFdLimits, fdsNeeded, planFdLimit } from '../processes/fd-limits.js'
import { BENCH_DIR, packageBin } from '../processes/workspace.js'
import { openGuestStream, type OpenStream } from './guest-stream.js'

const USAGE = `npm run bench:mock-streams -- [flags]

Starts the mock server (liveagent-mock) as a real process and opens N Enhanced Chat guests against it, each with
an access token, a conversation and its event stream, all held open at once. Reports the mock's resident memory
while every stream is open and its keep-alive pings flow.

  --streams N       concurrent streams (default 10000)
  --concurrency N   guests being opened at the same time (default 100)
  --hold-ms N       how long all streams stay open while memory is sampled (default 30000)
  --ping-ms N       the mock's keep-alive interval (default 5000, so every stream sees pings while held)
  --limit-mib N     the memory target: the run fails at or above it (default 1024)
  --out DIR         results folder (default bench/results)
  --help`

const schema = z.object({
  streams: count('streams', 1, 50_000).default(10_000),
  concurrency: count('concurrency', 1, 1000).default(100),
  'hold-ms': count('hold-ms', 1000, 3_600_000).default(30_000),
  'ping-ms': count('ping-ms', 100, 60_000).default(5000),
  'limit-mib': count('limit-mib', 1, 65_536).default(1024),
  out: z.string().min(1).optional(),
  help: z.boolean().default(false),
})

const FLAGS = {
  streams: { type: 'string' },
  concurrency: { type: 'string' },
  'hold-ms': { type: 'string' },
  'ping-ms': { type: 'string' },
  'limit-mib': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const

const READY_TIMEOUT_MS = 30_000
const OPEN_TIMEOUT_MS = 60_000
const SAMPLE_MS = 1000
const SETTLE_MS = 2000
const PROGRESS_EVERY = 1000
const KIB_PER_MIB = 1024
/** The mock's sample identity (its defaults). */
const ORG_ID_15 = '00D5g000004AbCd'
const ES_DEVELOPER_NAME = 'Mock_Custom_Client'
const SOCKETS_PER_STREAM = 1

/**
 * This process holds one socket per stream too. Node raises its own soft open-file limit to the hard limit when it
 * starts, so what is left to check is the hard limit.
 */
function checkOwnFdLimit(needed: number): void {
  const { soft } = currentFdLimits()
  if (soft < needed)
    throw new UsageError(`--streams needs ${needed} open files but this process may open ${soft}; lower --streams`)
}

interface Sample {
  at: number
  rssKiB: number
  rssAnonKiB: number
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), FLAGS, schema)
  if (flags.help) {
    console.log(USAGE)
    return 0
  }
  const needed = fdsNeeded(flags.streams, SOCKETS_PER_STREAM)
  checkOwnFdLimit(needed)

  const stamp = runStamp()
  const outDir = resolve(flags.out ?? join(BENCH_DIR, 'results'))
  mkdirSync(outDir, { recursive: true })
  const logFile = join(outDir, `mock-streams-${stamp}.log`)
  const fd = planFdLimit(needed)
  const mock = new ManagedProcess({
    name: 'mock',
    command: process.execPath,
    args: [
      packageBin('@liveagent-hop/mock-server', 'liveagent-mock'),
      ...['--port', '0', '--scenario', 'manual', '--no-rate-limits', '--sse-ping-ms', String(flags['ping-ms'])],
    ],
    logFile,
    ...(fd.raise ? { fdLimit: fd.granted } : {}),
  })
  const streams: OpenStream[] = []
  const restAgent = new Agent({ keepAlive: true, maxSockets: flags.concurrency })
  const samples: Sample[] = []
  let sampler: NodeJS.Timeout | undefined
  try {
    const url = (await mock.waitForLine((line) => /^https?:\/\//.test(line), READY_TIMEOUT_MS)).trim()
    const sample = () => {
      const reading = readProc(mock.pid)
      if (reading) samples.push({ at: Date.now(), rssKiB: reading.rssKiB, rssAnonKiB: reading.rssAnonKiB })
      return reading
    }
    await sleep(SETTLE_MS)
    const idle = sample()!
    sampler = setInterval(sample, SAMPLE_MS)

    console.log(`mock ${url} (pid ${mock.pid}), opening ${flags.streams} streams, ${flags.concurrency} at a time…`)
    const target = { url, orgId15: ORG_ID_15, esDeveloperName: ES_DEVELOPER_NAME, restAgent }
    const openStart = Date.now()
    let next = 0
    let failures = 0
    let firstError: string | undefined
    const worker = async () => {
      while (next < flags.streams) {
        next++
        try {
          streams.push(await openGuestStream(target, OPEN_TIMEOUT_MS))
        } catch (error) {
          failures++
          firstError ??= (error as Error).message
        }
        if (streams.length % PROGRESS_EVERY === 0) console.log(`  ${streams.length} open`)
      }
    }
    await Promise.all(Array.from({ length: flags.concurrency }, worker))
    const openMs = Date.now() - openStart
    restAgent.destroy() // only the streams' sockets stay open
    const openedAt = Date.now()
    const afterOpen = sample()!

    const admin = await fetch(`${url}/__admin/enhanced/streams`).then((res) => res.json() as Promise<{ open: number }>)
    console.log(`all opened in ${(openMs / 1000).toFixed(1)} s; the mock reports ${admin.open} open streams; holding…`)
    const pingsBefore = streams.reduce((sum, s) => sum + s.pings, 0)
    await sleep(flags['hold-ms'])
    clearInterval(sampler)
    sampler = undefined
    const end = sample()!

    const held = samples.filter((s) => s.at >= openedAt)
    const peakKiB = Math.max(...held.map((s) => s.rssKiB))
    const closed = streams.filter((s) => s.closed).length
    const withoutPing = streams.filter((s) => s.pings === 0).length
    const pingsDuringHold = streams.reduce((sum, s) => sum + s.pings, 0) - pingsBefore
    const mib = (kib: number) => Math.round((kib / KIB_PER_MIB) * 10) / 10
    const perStreamKiB = streams.length > 0 ? (peakKiB - idle.rssKiB) / streams.length : 0
    const passed =
      failures === 0 &&
      closed === 0 &&
      withoutPing === 0 &&
      admin.open === flags.streams &&
      mib(peakKiB) < flags['limit-mib']
    const result = {
      at: new Date().toISOString(),
      streams: flags.streams,
      opened: streams.length,
      failures,
      firstError,
      openSeconds: openMs / 1000,
      mockReportedOpen: admin.open,
      holdSeconds: flags['hold-ms'] / 1000,
      pingMs: flags['ping-ms'],
      pingsDuringHold,
      streamsClosedDuringHold: closed,
      streamsWithoutPing: withoutPing,
      mockRssMiB: {
        idle: mib(idle.rssKiB),
        afterOpen: mib(afterOpen.rssKiB),
        peakWhileHeld: mib(peakKiB),
        end: mib(end.rssKiB),
      },
      mockRssAnonMiB: { afterOpen: mib(afterOpen.rssAnonKiB), end: mib(end.rssAnonKiB) },
      perStreamKiB: Math.round(perStreamKiB * 10) / 10,
      limitMiB: flags['limit-mib'],
      passed,
      fdLimitMock: fd.granted,
    }
    await unlessStopping()
    const file = join(outDir, `mock-streams-${stamp}.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
    console.log(
      [
        '',
        `streams open        ${streams.length}/${flags.streams} (${failures} failed${firstError ? `: ${firstError}` : ''})`,
        `open time           ${result.openSeconds.toFixed(1)} s`,
        `mock RSS idle       ${result.mockRssMiB.idle} MiB`,
        `mock RSS all open   ${result.mockRssMiB.afterOpen} MiB (anonymous ${result.mockRssAnonMiB.afterOpen} MiB)`,
        `mock RSS peak held  ${result.mockRssMiB.peakWhileHeld} MiB over ${result.holdSeconds} s, ~${result.perStreamKiB} KiB per stream`,
        `pings while held    ${pingsDuringHold}; streams closed ${closed}, streams without a ping ${withoutPing}`,
        `target              < ${flags['limit-mib']} MiB: ${passed ? 'met' : 'NOT met'}`,
        `results             ${file}`,
      ].join('\n')
    )
    return passed ? 0 : 1
  } finally {
    if (sampler) clearInterval(sampler)
    restAgent.destroy()
    for (const stream of streams) stream.close()
    await mock.stop()
  }
}

stopOnSignals('npm run bench:mock-streams', () => undefined)

await runCli(main)
