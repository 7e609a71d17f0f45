// Where `node --cpu-prof --cpu-prof-dir=DIR` leaves its profiles: one file per thread of each process that exited
// normally (process.exit or an empty event loop; never after kill -9), named
// CPU.<yyyymmdd>.<hhmmss>.<pid>.<thread>.<seq>.cpuprofile. Thread 0 is the main thread: the hop server's work.
// The others (the TypeScript loader's hooks thread when it runs from source) are left out.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { CpuProfileError } from './cpu-profile.js'

const PROFILE_NAME = /^CPU\.\d{8}\.\d{6}\.(\d+)\.(\d+)\.(\d+)\.cpuprofile$/
const MAIN_THREAD = 0

/** Node options that make a process write its CPU profile into `dir` when it exits. */
export function cpuProfileNodeArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`]
}

/** The main-thread profiles in `dir`, oldest first. Throws CpuProfileError when there is none. */
export function mainThreadProfiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw new CpuProfileError(`no CPU profile folder ${dir} (${(error as NodeJS.ErrnoException).code ?? error})`)
  }
  const found = names
    .map((name) => ({ name, match: PROFILE_NAME.exec(name) }))
    .filter(({ match }) => match && Number(match[2]) === MAIN_THREAD)
    .sort((a, b) => Number(a.match![3]) - Number(b.match![3]) || a.name.localeCompare(b.name))
    .map(({ name }) => join(dir, name))
  if (found.length === 0)
    throw new CpuProfileError(
      `no main-thread CPU profile in ${dir}: the process did not exit normally (killed, or stopped by SIGKILL ` +
        'after the grace period), so Node wrote none'
    )
  return found
}
