// `--backend` of `npm run bench` and `npm run chaos`: a bad value is one sentence and exit code 2, nothing started.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from '@jest/globals'
import { BENCH_DIR } from '../src/processes/workspace.js'

const run = promisify(execFile)
const USAGE_EXIT = 2

async function cli(bin: 'bench' | 'chaos', args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(BENCH_DIR, 'bin', `${bin}.js`), ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('--backend', () => {
  it.each(['bench', 'chaos'] as const)(
    '%s refuses an unknown backend with one sentence and exit code 2',
    async (bin) => {
      const result = await cli(bin, ['--backend', 'lightning'])
      expect(result.code).toBe(USAGE_EXIT)
      expect(result.stdout).toBe('')
      expect(result.stderr.trim()).toBe('--backend must be live-agent or enhanced-chat. See --help.')
    }
  )

  it('bench refuses the baseline with Enhanced Chat, which the baseline does not speak', async () => {
    const result = await cli('bench', ['--backend', 'enhanced-chat', '--only', 'baseline'])
    expect(result.code).toBe(USAGE_EXIT)
    expect(result.stderr.trim()).toBe(
      '--only baseline needs --backend live-agent: the naive baseline speaks Live Agent only. See --help.'
    )
  })

  it.each(['bench', 'chaos'] as const)('%s --help lists the flag', async (bin) => {
    const result = await cli(bin, ['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('--backend NAME')
  })
})
