// Child processes of the smoke test (npm, the installed bins), each tracked until it has exited, so that a failed
// assertion, a timeout or the worker's exit never leaves one running.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

export { freePort } from '../../../test-support/ports.js'

const running = new Set<ChildProcess>()
const killAll = () => running.forEach((child) => child.kill('SIGKILL'))
process.once('exit', killAll)

/** The environment a user's shell would give: none of the npm script variables or jest's NODE_OPTIONS of this run. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle|config_(workspace|workspaces|include_workspace_root))/i.test(key)) continue
    if (key === 'NODE_OPTIONS' || key === 'INIT_CWD') continue
    env[key] = value
  }
  return { ...env, ...extra }
}

export interface Service {
  child: ChildProcess
  /** stdout and stderr so far. */
  output(): string
  /** stdout alone so far. */
  stdout(): string
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function start(command: string, args: string[], options: SpawnOptions = {}): Service {
  const child = spawn(command, args, { env: userEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let output = ''
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      output += `\n${error.message}`
      running.delete(child)
      resolve({ code: null, signal: null })
    })
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  })
  return { child, output: () => output, stdout: () => stdout, exited }
}

/** Runs to completion and resolves with its stdout; rejects with all its output when the exit code is not 0. */
export async function run(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  const service = start(command, args, options)
  const { code, signal } = await service.exited
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${service.output()}`)
  }
  return service.stdout()
}

/** Stops a service with a signal and resolves with how it exited; SIGKILL after `graceMs` if it hangs. */
export async function stop(service: Service, signal: NodeJS.Signals, graceMs: number) {
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill(signal)
  const killer = setTimeout(() => service.child.kill('SIGKILL'), graceMs)
  try {
    return await service.exited
  } finally {
    clearTimeout(killer)
  }
}

export function stopAll(): Promise<unknown> {
  const exits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)))
  killAll()
  return Promise.all(exits)
}

/** Polls `probe` until it returns a value; throws with `describe()` after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  describe: () => string
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
