// The system programs the tests (and the bench) start for real, and one check for each: a missing program fails
// at once with one sentence naming the Debian package, instead of a spawn error, a hang or a timeout later.
// Dependency-free on purpose: every workspace imports it by relative path.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

export interface SystemProgram {
  /** What the sentence calls it. */
  readonly name: string
  /** The Debian package that installs it. */
  readonly debianPackage: string
  /** A command looked up in PATH, or an absolute path. */
  readonly command: string
  /** Environment variable that overrides `command`. */
  readonly envVar: string
}

export const REDIS_SERVER: SystemProgram = {
  name: 'redis-server',
  debianPackage: 'redis-server',
  command: 'redis-server',
  envVar: 'REDIS_SERVER_BIN',
}

export const CHROMIUM: SystemProgram = {
  name: 'Chromium',
  debianPackage: 'chromium',
  command: '/usr/bin/chromium',
  envVar: 'CHROMIUM_BIN',
}

/** Headless flags for the Debian chromium (no sandbox in containers, no network chatter, no GPU). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

export class MissingProgramError extends Error {
  constructor(readonly program: SystemProgram) {
    super(missingProgramSentence(program))
    this.name = 'MissingProgramError'
  }
}

export function missingProgramSentence(program: SystemProgram): string {
  return (
    `${program.name} is not installed: run \`apt-get install ${program.debianPackage}\` ` +
    `(or set ${program.envVar} to its path), then run the tests again.`
  )
}

/** The executable's path, or undefined when it is not there. Looks only at the file system; spawns nothing. */
export function locateProgram(program: SystemProgram, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = env[program.envVar] || program.command
  if (isAbsolute(command) || command.includes('/')) return isExecutableFile(command) ? command : undefined
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    if (isExecutableFile(candidate)) return candidate
  }
  return undefined
}

/** The executable's path; throws MissingProgramError (the one-sentence message) when it is not installed. */
export function requireProgram(program: SystemProgram, env: NodeJS.ProcessEnv = process.env): string {
  const path = locateProgram(program, env)
  if (!path) throw new MissingProgramError(program)
  return path
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
