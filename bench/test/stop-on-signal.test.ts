// A signal to the bench's own process (as a supervisor, `timeout` or `kill <pid>` sends it, not to the whole
// process group as Ctrl-C does) stops every child the bench spawned and exits with 128 + the signal's number, with
// no results file. Real runs of `npm run bench` / `npm run chaos`, tiny ones, signalled once their children are up.
import { existsSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import {
  cliRunPerTest,
  has,
  leftAlive,
  waitForOutput,
  type CliProcess,
  type ProcessInfo,
} from './support/cli-process.js'

/** The bench's children, the slowest first start included (tsx, the hop server's readiness on a busy machine). */
const CHILDREN_UP_MS = 90_000
const TEST_TIMEOUT_MS = 150_000
const EXIT_SIGTERM = 143
const EXIT_SIGINT = 130
const EXIT_SIGHUP = 129

const TINY_BENCH = ['--chats', '5', '--messages', '1', '--hold-ms', '1000', '--quiet']
/** Long enough that the run is still on when the signal comes, whatever the machine's speed. */
const LONG_IDLE = ['--idle-ms', '600000']

const hasAll =
  (...fragments: string[]) =>
  (children: ProcessInfo[]) =>
    fragments.every((fragment) => has(fragment)(children))

const cliRun = cliRunPerTest('bench-signal-')

/** Starts the command, waits for `ready` children, sends `signal`, and returns the exit and what survived. */
async function signalled(
  command: 'bench' | 'chaos',
  args: string[],
  ready: (children: ProcessInfo[]) => boolean,
  signal: (cli: CliProcess, children: ProcessInfo[]) => Promise<void> | void
) {
  const cli = cliRun.start(command, args)
  const seen = await cliRun.children(ready, CHILDREN_UP_MS)
  await signal(cli, seen)
  const exit = await cli.exited
  const alive = await leftAlive(seen)
  const results = cliRun.written(/\.(json|md|svg|png)$/)
  return { exit, alive, output: cli.output(), results }
}

describe('a signal to the bench process', () => {
  it(
    'SIGTERM during the hop server build stops tsc and exits 143',
    async () => {
      const run = await signalled(
        'bench',
        [...TINY_BENCH, ...LONG_IDLE],
        has('typescript/bin/tsc'),
        (bench) => void bench.process.kill('SIGTERM')
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGTERM })
      expect(run.output).toMatch(
        /npm run bench stopped by SIGTERM: stopped tsc \(@liveagent-hop\/[a-z-]+\) \(pid \d+\)/
      )
      expect(run.results).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'SIGTERM during the run stops the mock, the receiver and the hop server and exits 143, with no results file',
    async () => {
      const run = await signalled(
        'bench',
        [...TINY_BENCH, ...LONG_IDLE, '--from-source', '--only', 'hop'],
        hasAll('liveagent-mock', 'receiver.js', 'liveagent-hop'),
        (bench) => void bench.process.kill('SIGTERM')
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGTERM })
      for (const name of ['mock', 'receiver', 'hop'])
        expect(run.output).toMatch(new RegExp(`stopped by SIGTERM: stopped .*\\b${name} \\(pid \\d+\\)`))
      expect(run.output).toContain(`logs so far in ${cliRun.out}`)
      expect(run.results).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'SIGINT during the run stops the naive baseline and exits 130',
    async () => {
      const run = await signalled(
        'bench',
        [...TINY_BENCH, ...LONG_IDLE, '--only', 'baseline'],
        hasAll('liveagent-mock', 'receiver.js', 'baseline.js'),
        (bench) => void bench.process.kill('SIGINT')
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGINT })
      expect(run.output).toMatch(/npm run bench stopped by SIGINT: stopped .*\bbaseline \(pid \d+\)/)
      expect(run.results).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'a second SIGTERM while stopping kills what remains at once',
    async () => {
      const run = await signalled(
        'bench',
        [...TINY_BENCH, ...LONG_IDLE, '--from-source', '--only', 'hop'],
        hasAll('liveagent-mock', 'receiver.js', 'liveagent-hop'),
        async (bench, children) => {
          // A hop server that cannot act on its SIGTERM (stopped by the test) holds the stop for its whole grace.
          for (const child of children.filter((child) => child.cmd.includes('liveagent-hop')))
            process.kill(child.pid, 'SIGSTOP')
          bench.process.kill('SIGTERM')
          await waitForOutput(bench, /stopping \d+ child processes/)
          bench.process.kill('SIGTERM')
        }
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGTERM })
      expect(run.output).toMatch(
        /stopped by a second signal \(SIGTERM\) while stopping: killed .*\bhop \(pid \d+\) at once/
      )
      expect(run.results).toEqual([])
    },
    TEST_TIMEOUT_MS
  )
})

describe('a signal to the chaos process', () => {
  it(
    'SIGHUP during the crash part stops the hop server, the mock and the receiver and exits 129',
    async () => {
      const run = await signalled(
        'chaos',
        ['--chats', '5', '--messages', '1', '--think-ms', '600000', '--kills', '0', '--part', 'crash', '--quiet'],
        hasAll('liveagent-mock', 'receiver.js', 'liveagent-hop'),
        (chaos) => void chaos.process.kill('SIGHUP')
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGHUP })
      expect(run.output).toMatch(/npm run chaos stopped by SIGHUP: stopped .*\bhop\b.* \(pid \d+\)/)
      expect(run.results).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'SIGTERM during the replicas part stops redis-server, the hop replicas, the mock and the receiver and exits 143',
    async () => {
      const run = await signalled(
        'chaos',
        ['--chats', '5', '--messages', '1', '--think-ms', '600000', '--part', 'replicas', '--quiet'],
        hasAll('redis-server', 'liveagent-mock', 'receiver.js', 'liveagent-hop'),
        (bench) => void bench.process.kill('SIGTERM')
      )
      expect(run.alive).toEqual([])
      expect({ code: run.exit.code, output: run.output }).toMatchObject({ code: EXIT_SIGTERM })
      expect(run.output).toMatch(/npm run chaos stopped by SIGTERM: stopped .*\bredis \(pid \d+\)/)
      expect(run.results).toEqual([])
      expect(existsSync(cliRun.out)).toBe(true)
    },
    TEST_TIMEOUT_MS
  )
})
