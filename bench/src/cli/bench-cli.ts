// npm run bench [-- flags]: see bench/README.md.
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { writeBenchFiles, summaryTable } from '../report/bench-report.js'
import { heapSummary, profileSummary, writeHeapMarkdown, writeProfileMarkdown } from '../report/profile-report.js'
import { buildHop, defaultHopBuildRoot, HopBuildError } from '../processes/hop-build.js'
import { BENCH_DIR } from '../processes/workspace.js'
import { runBench } from '../run/bench-main.js'
import { backendFlag, count, parseFlags, rangeMs, runCli, UsageError } from './args.js'
import { runStamp } from './stamp.js'
import { stopOnSignals, unlessStopping } from './stop-on-signal.js'

const USAGE = `npm run bench -- [flags]

Starts the Live Agent mock, the hop server and a webhook receiver as real processes, opens N concurrent
hand-offs, exchanges M messages both ways, and does the same against the naive baseline.

  --chats N          concurrent hand-offs (default 1000)
  --messages M       messages each way per chat (default 5)
  --think-ms A-B     think time before each message, uniform in [A, B] ms (default 5000-15000)
  --ramp N           new hand-offs per second while opening (default 200)
  --idle-ms N        how long all chats stay open and idle before the exchange (default 30000)
  --hold-ms N        the mock's long-poll hold before a 204 (default 30000, as Salesforce)
  --backend NAME     the Salesforce backend of the chats: live-agent (default) or enhanced-chat (hop server only:
                     the baseline speaks Live Agent only)
  --no-rate-limits   Enhanced Chat: lift the simulator's per-org limits (Salesforce allows 200 guest tokens a
                     minute per org, so one org opens at most 200 chats a minute); the figures then stand for
                     several orgs on one hop server
  --only NAME        hop or baseline (default: both, one after the other; hop only with --backend enhanced-chat)
  --store NAME       the hop server's store: sqlite (default) or redis (starts a redis-server)
  --hop-env K=V      extra environment for the hop server, repeatable (e.g. HOP_SQLITE_SYNC=normal)
  --hop-node-arg A   a node option for the hop server process, repeatable (e.g. --cpu-prof-interval=500)
  --from-source      run the hop server from its TypeScript sources through tsx, as in a clone; by default the
                     bench first compiles it as \`npm run build -w hop-server\` does and runs the build, as
                     production does
  --profile          run the hop server under V8's CPU profiler; the results get its self time by area (store,
                     HTTP out/in, logging, GC, own code by directory, packages) and its top 15 functions, and the
                     .cpuprofile itself (open it in Chrome DevTools or speedscope)
  --heap             take a heap snapshot of the hop server at the end of the idle window (every chat open); the
                     results get retained size by constructor, top 15 (the snapshot pauses the hop server for seconds
                     before the exchange and raises its peak RSS)
  --out DIR          results folder (default bench/results)
  --keep-data        keep the hop server's SQLite file
  --quiet            no progress bar
  --help`

const schema = z.object({
  chats: count('chats', 1, 20_000).default(1000),
  messages: count('messages', 1, 1000).default(5),
  'think-ms': rangeMs('think-ms').default([5000, 15_000]),
  ramp: count('ramp', 1, 10_000).default(200),
  'idle-ms': count('idle-ms', 0, 3_600_000).default(30_000),
  'hold-ms': count('hold-ms', 100, 120_000).default(30_000),
  backend: backendFlag(),
  'no-rate-limits': z.boolean().default(false),
  only: z.enum(['hop', 'baseline'], { error: '--only must be hop or baseline' }).optional(),
  store: z.enum(['sqlite', 'redis'], { error: '--store must be sqlite or redis' }).default('sqlite'),
  'hop-env': z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]*=.*$/, '--hop-env must be NAME=value'))
    .default([])
    .transform((pairs) =>
      Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
    ),
  'hop-node-arg': z.array(z.string().regex(/^--[a-z]/, '--hop-node-arg must be a node option (--…)')).default([]),
  'from-source': z.boolean().default(false),
  profile: z.boolean().default(false),
  heap: z.boolean().default(false),
  out: z.string().min(1).optional(),
  'keep-data': z.boolean().default(false),
  quiet: z.boolean().default(false),
  help: z.boolean().default(false),
})

const FLAGS = {
  chats: { type: 'string' },
  messages: { type: 'string' },
  'think-ms': { type: 'string' },
  ramp: { type: 'string' },
  'idle-ms': { type: 'string' },
  'hold-ms': { type: 'string' },
  backend: { type: 'string' },
  'no-rate-limits': { type: 'boolean' },
  only: { type: 'string' },
  store: { type: 'string' },
  'hop-env': { type: 'string', multiple: true },
  'hop-node-arg': { type: 'string', multiple: true },
  'from-source': { type: 'boolean' },
  profile: { type: 'boolean' },
  heap: { type: 'boolean' },
  out: { type: 'string' },
  'keep-data': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

/** The compiled build the bench should measure failed: no figures rather than figures of something else. */
const EXIT_BUILD_FAILED = 1

/** The run's folder, once made: a stop keeps the logs written there so far. */
let stem: string | undefined
stopOnSignals('npm run bench', () => stem && `logs so far in ${stem}`)

await runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, schema)
  if (flags.help) {
    console.log(USAGE)
    return 0
  }
  if (flags.backend !== 'live-agent' && flags.only === 'baseline')
    throw new UsageError('--only baseline needs --backend live-agent: the naive baseline speaks Live Agent only')
  if (flags.profile && flags.only === 'baseline')
    throw new UsageError('--profile profiles the hop server, which --only baseline leaves out')
  if (flags.heap && flags.only === 'baseline')
    throw new UsageError('--heap snapshots the hop server, which --only baseline leaves out')
  if (flags.heap && flags['idle-ms'] === 0)
    throw new UsageError('--heap takes its snapshot at the end of the idle window, which --idle-ms 0 leaves out')
  if (flags['from-source'] && flags.only === 'baseline')
    throw new UsageError('--from-source picks how the hop server runs, which --only baseline leaves out')
  const withHop = flags.only !== 'baseline'
  let hopBin: string | undefined
  if (withHop && !flags['from-source']) {
    try {
      hopBin = await buildHop({ outRoot: defaultHopBuildRoot(), progress: (line) => console.error(line) })
    } catch (error) {
      await unlessStopping()
      if (!(error instanceof HopBuildError)) throw error
      console.error(`${error.message}; the bench refuses to run (fix the build, or pass --from-source).`)
      return EXIT_BUILD_FAILED
    }
  }
  const resultsDir = resolve(flags.out ?? join(BENCH_DIR, 'results'))
  stem = join(resultsDir, `${runStamp()}-bench-${flags.backend === 'enhanced-chat' ? 'ec-' : ''}${flags.chats}`)
  mkdirSync(stem, { recursive: true })
  const results = await runBench(
    {
      chats: flags.chats,
      messages: flags.messages,
      thinkMs: flags['think-ms'],
      rampPerSec: flags.ramp,
      idleMs: flags['idle-ms'],
      holdMs: flags['hold-ms'],
      targets: flags.only ? [flags.only] : flags.backend === 'live-agent' ? ['hop', 'baseline'] : ['hop'],
      backend: flags.backend,
      noRateLimits: flags['no-rate-limits'],
      outDir: stem,
      progress: !flags.quiet,
      store: flags.store,
      hopEnv: flags['hop-env'],
      hopNodeArgs: flags['hop-node-arg'],
      profile: flags.profile,
      heap: flags.heap,
      ...(hopBin ? { hopBin } : {}),
    },
    (message) => console.error(message)
  )
  await unlessStopping()
  if (!flags['keep-data']) rmSync(join(stem, 'hop-data'), { recursive: true, force: true })
  const { files, notes } = await writeBenchFiles(results, stem)
  console.log(`\n${summaryTable(results)}\n`)
  const profile = results.results.hop?.cpuProfile
  if (profile) {
    writeProfileMarkdown(profile, `${stem}-profile.md`)
    files.push(`${stem}-profile.md`)
    console.log(`${profileSummary(profile)}\n`)
  }
  const heap = results.results.hop?.heap
  if (heap) {
    writeHeapMarkdown(heap, `${stem}-heap.md`)
    files.push(`${stem}-heap.md`)
    console.log(`${heapSummary(heap)}\n`)
  }
  for (const note of notes) console.log(`note: ${note}`)
  console.log(`logs: ${join(stem, 'logs')}`)
  for (const file of files) console.log(`wrote ${file}`)
  // The figures stand, but the profile that was asked for is missing: say so in the exit code too.
  return (flags.profile && !profile?.windows.whole) || (flags.heap && !heap?.summary) ? 1 : 0
})
