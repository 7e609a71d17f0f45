// Runs `npm run bench`'s entry as a child process and returns its exit code and output, failed runs included, so
// flag tests can check the sentence and the exit code a user would see.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BENCH_DIR } from '../../src/processes/workspace.js'

const run = promisify(execFile)

/** The exit code of a refused command line. */
export const USAGE_EXIT = 2

export async function bench(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(BENCH_DIR, 'bin', 'bench.js'), ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}
