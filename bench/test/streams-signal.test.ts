// A signal to `npm run bench:mock-streams`'s own process stops the mock it started and exits with 128 + the signal's
// number, with no results file. Real runs, small ones, signalled while their streams are opened or held open.
import { describe, expect, it } from '@jest/globals'
import { cliRunPerTest, has, leftAlive, waitForOutput } from './support/cli-process.js'

const CHILDREN_UP_MS = 60_000
const TEST_TIMEOUT_MS = 120_000
const EXIT_SIGTERM = 143
const EXIT_SIGINT = 130
/** Held far longer than the test, so the signal always lands while the streams are open. */
const HOLD_FOREVER = ['--hold-ms', '3600000']
const EXIT_USAGE = 2
/** 200 streams need 1,224 descriptors (one socket each and a reserve of 1,024): above this limit. */
const LOW_FD_LIMIT = 1100

const run = cliRunPerTest('streams-signal-')
const resultFiles = () => run.written(/\.json$/)

describe('a signal to bench:mock-streams', () => {
  it(
    'SIGTERM while the streams are held stops the mock and exits 143, with no results file',
    async () => {
      const cli = run.start('mock-streams', ['--streams', '5', ...HOLD_FOREVER])
      const seen = await run.children(has('liveagent-mock'), CHILDREN_UP_MS)
      await waitForOutput(cli, /holding/)
      cli.process.kill('SIGTERM')
      const exit = await cli.exited

      expect(await leftAlive(seen)).toEqual([])
      expect({ code: exit.code, output: cli.output() }).toMatchObject({ code: EXIT_SIGTERM })
      expect(cli.output()).toMatch(/npm run bench:mock-streams stopped by SIGTERM: stopped mock \(pid \d+\)/)
      expect(resultFiles()).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'SIGINT while the streams are being opened stops the mock and exits 130, with no results file',
    async () => {
      // One guest opened at a time, so that the signal lands while they are still being opened.
      const cli = run.start('mock-streams', ['--streams', '10000', '--concurrency', '1', ...HOLD_FOREVER])
      const seen = await run.children(has('liveagent-mock'), CHILDREN_UP_MS)
      await waitForOutput(cli, /opening 10000 streams/)
      cli.process.kill('SIGINT')
      const exit = await cli.exited

      expect(await leftAlive(seen)).toEqual([])
      expect({ code: exit.code, output: cli.output() }).toMatchObject({ code: EXIT_SIGINT })
      expect(cli.output()).toMatch(/npm run bench:mock-streams stopped by SIGINT: stopped mock \(pid \d+\)/)
      expect(cli.output()).not.toMatch(/holding/)
      expect(resultFiles()).toEqual([])
    },
    TEST_TIMEOUT_MS
  )

  it(
    'more streams than the open-file limit allows exit 2 with one sentence, and start nothing',
    async () => {
      const cli = run.start('mock-streams', ['--streams', '200'], { fdLimit: LOW_FD_LIMIT })
      const exit = await cli.exited

      expect({ code: exit.code, output: cli.output() }).toMatchObject({ code: EXIT_USAGE })
      expect(cli.output()).toContain('--streams needs 1224 open files but this process may open 1100; lower --streams.')
      expect(cli.output()).not.toMatch(/liveagent-mock|opening/)
      expect(run.written(/./)).toEqual([])
    },
    TEST_TIMEOUT_MS
  )
})
