// npm run chaos [-- flags]: see bench/README.md. Exit code 1 when a message was lost, duplicated or reordered,
// the mock answered a 409, a chat did not end as planned or a send was given up.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { chaosTable } from '../report/chaos-report.js'
import { BENCH_DIR } from '../processes/workspace.js'
import { runChaos } from '../run/chaos-main.js'
import { backendFlag, count, parseFlags, rangeMs, runCli } from './args.js'
import { runStamp } from './stamp.js'
import { stopOnSignals, unlessStopping } from './stop-on-signal.js'

const USAGE = `npm run chaos -- [flags]

During a run of N chats: kill -9 the hop server at random moments and restart it (part "crash", SQLite),
then two hop replicas on a real redis-server with one killed for good (part "replicas"); with Live Agent the mock injects
503 hand-overs, connection resets, 500s and delays all along. Reports chats completed and messages lost,
duplicated, reordered, and 409s.

  --backend NAME     the Salesforce backend of the chats: live-agent (default) or enhanced-chat (faults: 5xx,
                     broken and ended event streams, late events; every 10th chat ends by its token expiring)
  --chats N          chats per part (default 200, at least 200 for a valid chaos run)
  --messages M       messages each way per chat (default 20)
  --think-ms A-B     think time before each message (default 500-1500)
  --kills K          kill -9 of the hop server in the crash part (default 5)
  --down-ms A-B      downtime after each kill before the restart (default 200-2000)
  --hold-ms N        the mock's long-poll hold (default 5000: more poll cycles per minute than 30 s)
  --fault-every-ms N one injected fault every N ms (default 300; 0: none)
  --part NAME        crash or replicas (default: both)
  --end-unread       whoever ends a chat does not wait for the other side's last message
  --out DIR          results folder (default bench/results)
  --keep-data        keep the hop server's SQLite file
  --quiet            no progress bar
  --help`

const schema = z.object({
  backend: backendFlag(),
  chats: count('chats', 1, 20_000).default(200),
  messages: count('messages', 1, 1000).default(20),
  'think-ms': rangeMs('think-ms').default([500, 1500]),
  kills: count('kills', 0, 100).default(5),
  'down-ms': rangeMs('down-ms').default([200, 2000]),
  'hold-ms': count('hold-ms', 100, 120_000).default(5000),
  'fault-every-ms': count('fault-every-ms', 0, 60_000).default(300),
  part: z.enum(['crash', 'replicas'], { error: '--part must be crash or replicas' }).optional(),
  'end-unread': z.boolean().default(false),
  out: z.string().min(1).optional(),
  'keep-data': z.boolean().default(false),
  quiet: z.boolean().default(false),
  help: z.boolean().default(false),
})

const FLAGS = {
  backend: { type: 'string' },
  chats: { type: 'string' },
  messages: { type: 'string' },
  'think-ms': { type: 'string' },
  kills: { type: 'string' },
  'down-ms': { type: 'string' },
  'hold-ms': { type: 'string' },
  'fault-every-ms': { type: 'string' },
  part: { type: 'string' },
  'end-unread': { type: 'boolean' },
  out: { type: 'string' },
  'keep-data': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

/** The run's folder, once made: a stop keeps the logs written there so far. */
let stem: string | undefined
stopOnSignals('npm run chaos', () => stem && `logs so far in ${stem}`)

await runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, schema)
  if (flags.help) {
    console.log(USAGE)
    return 0
  }
  const resultsDir = resolve(flags.out ?? join(BENCH_DIR, 'results'))
  stem = join(resultsDir, `${runStamp()}-chaos-${flags.backend === 'enhanced-chat' ? 'ec-' : ''}${flags.chats}`)
  mkdirSync(stem, { recursive: true })
  const results = await runChaos(
    {
      backend: flags.backend,
      chats: flags.chats,
      messages: flags.messages,
      thinkMs: flags['think-ms'],
      kills: flags.kills,
      downMs: flags['down-ms'],
      holdMs: flags['hold-ms'],
      faultEveryMs: flags['fault-every-ms'],
      parts: flags.part ? [flags.part] : ['crash', 'replicas'],
      endUnread: flags['end-unread'],
      outDir: stem,
      progress: !flags.quiet,
    },
    (message) => console.error(message)
  )
  await unlessStopping()
  if (!flags['keep-data']) rmSync(join(stem, 'crash', 'hop-data'), { recursive: true, force: true })
  writeFileSync(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\n${chaosTable(results)}\n`)
  console.log(
    results.passed
      ? 'PASS: nothing lost, duplicated or reordered; no 409; every chat completed.'
      : 'FAIL: see the table above.'
  )
  console.log(`logs: ${stem}`)
  console.log(`wrote ${stem}.json`)
  return results.passed ? 0 : 1
})
