// `--profile` and `--heap` of `npm run bench`: listed in --help, and refused with one sentence (exit code 2,
// nothing started) where there is no hop server to profile or no idle window to snapshot.
import { describe, expect, it } from '@jest/globals'
import { bench, USAGE_EXIT } from './support/bench-cli.js'

describe('bench --profile and --heap', () => {
  it('is listed by --help', async () => {
    const result = await bench(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("--profile          run the hop server under V8's CPU profiler")
    expect(result.stdout).toContain('--heap             take a heap snapshot of the hop server')
  })

  it('refuses --only baseline, which has no hop server to profile', async () => {
    const result = await bench(['--profile', '--only', 'baseline'])
    expect(result.code).toBe(USAGE_EXIT)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim()).toBe(
      '--profile profiles the hop server, which --only baseline leaves out. See --help.'
    )
  })

  it.each([
    [['--heap', '--only', 'baseline'], '--heap snapshots the hop server, which --only baseline leaves out'],
    [
      ['--heap', '--idle-ms', '0'],
      '--heap takes its snapshot at the end of the idle window, which --idle-ms 0 leaves out',
    ],
  ])('refuses %j with one sentence', async (args, sentence) => {
    const result = await bench(args)
    expect(result.code).toBe(USAGE_EXIT)
    expect(result.stderr.trim()).toBe(`${sentence}. See --help.`)
  })
})
