// `npm run bench` / `npm run chaos` / `npm run bench:mock-streams` started as a real process that a test can signal, and what it leaves behind:
// its child processes, found by parent pid in /proc (Linux), and whether each is still alive.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { BENCH_DIR } from '../../src/processes/workspace.js'

const POLL_MS = 100

export interface ProcessInfo {
  pid: number
  cmd: string
}

export interface CliProcess {
  process: ChildProcess
  pid: number
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** `fdLimit` starts the command under a lower open-file limit (`ulimit -n`, soft and hard; same pid after exec). */
export function startCli(
  cli: 'bench' | 'chaos' | 'mock-streams',
  args: string[],
  options: { fdLimit?: number } = {}
): CliProcess {
  const command = [process.execPath, join(BENCH_DIR, 'bin', `${cli}.js`), ...args]
  const child =
    options.fdLimit === undefined
      ? spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$@"`, ...command], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal }))
  )
  return { process: child, pid: child.pid!, output: () => output, exited }
}

/** /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: state!, ppid: Number(ppid) }
  } catch {
    return undefined
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

export function childrenOf(parent: number): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => stat(pid)?.ppid === parent)
    .map((pid) => ({ pid, cmd: cmdline(pid) }))
}

/** A zombie (exited, not yet reaped by whoever inherited it) holds no port, file or CPU: it counts as gone. */
export const isAlive = (pid: number): boolean => {
  const state = stat(pid)?.state
  return state !== undefined && state !== 'Z'
}

/** Polls the bench's children until `ready` accepts them; fails with what it saw when the bench exits first. */
export async function waitForChildren(
  cli: CliProcess,
  ready: (children: ProcessInfo[]) => boolean,
  timeoutMs: number
): Promise<ProcessInfo[]> {
  let exited = false
  void cli.exited.then(() => (exited = true))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const children = childrenOf(cli.pid)
    if (ready(children)) return children
    if (exited || Date.now() > deadline)
      throw new Error(`the children never matched; saw ${JSON.stringify(children)}; output:\n${cli.output()}`)
    await sleep(POLL_MS)
  }
}

/** Polls the bench's output until it matches `pattern`; fails with the output when the bench exits first. */
export async function waitForOutput(cli: CliProcess, pattern: RegExp): Promise<void> {
  let exited = false
  void cli.exited.then(() => (exited = true))
  while (!pattern.test(cli.output())) {
    if (exited) throw new Error(`the output never matched ${pattern}:\n${cli.output()}`)
    await sleep(POLL_MS)
  }
}

/** Those of `children` still alive once `graceMs` has passed (the processes' own exits are waited for, not slept). */
export async function survivors(children: ProcessInfo[], graceMs: number): Promise<ProcessInfo[]> {
  const deadline = Date.now() + graceMs
  for (;;) {
    const alive = children.filter((child) => isAlive(child.pid))
    if (alive.length === 0 || Date.now() > deadline) return alive
    await sleep(POLL_MS)
  }
}

/** Kills what a failed test left alive, so that one failure does not leave ports and files held. */
export function killAll(children: ProcessInfo[]): void {
  for (const child of children) {
    if (isAlive(child.pid)) process.kill(child.pid, 'SIGKILL')
  }
}

/** Whether one of `children` runs a command containing `fragment`. */
export const has = (fragment: string) => (children: ProcessInfo[]) =>
  children.some((child) => child.cmd.includes(fragment))

/** tsx's esbuild service is not the command's to stop: it exits by itself once its stdin closes. */
const TSX_SERVICE_EXIT_MS = 3000

/** Those of `children` still alive after the command's exit (tsx's esbuild service given its own short exit). */
export async function leftAlive(children: ProcessInfo[]): Promise<ProcessInfo[]> {
  const isTsxService = (child: ProcessInfo) => child.cmd.includes('esbuild')
  return [
    ...(await survivors(
      children.filter((child) => !isTsxService(child)),
      0
    )),
    ...(await survivors(children.filter(isTsxService), TSX_SERVICE_EXIT_MS)),
  ]
}

/**
 * One CLI run per test, with its own `--out` folder and the children it was seen to start: after each test the run
 * is killed if still alive, those children too, and the folder removed, whatever the test got to.
 */
export function cliRunPerTest(outPrefix: string) {
  let out: string | undefined
  let cli: CliProcess | undefined
  let seen: ProcessInfo[] = []
  afterEach(() => {
    if (cli && cli.process.exitCode === null) cli.process.kill('SIGKILL')
    killAll(seen)
    if (out) rmSync(out, { recursive: true, force: true })
    out = cli = undefined
    seen = []
  })
  return {
    /** Starts the command with a fresh `--out` folder. */
    start(command: Parameters<typeof startCli>[0], args: string[], options?: { fdLimit?: number }): CliProcess {
      out = mkdtempSync(join(tmpdir(), outPrefix))
      cli = startCli(command, [...args, '--out', out], options)
      return cli
    },
    /** Waits for the children `ready` describes, and remembers them for the clean-up. */
    async children(ready: (children: ProcessInfo[]) => boolean, timeoutMs: number): Promise<ProcessInfo[]> {
      if (!cli) throw new Error('start the run first')
      seen = await waitForChildren(cli, ready, timeoutMs)
      return seen
    },
    /** The run's `--out` folder. */
    get out(): string {
      if (!out) throw new Error('start the run first')
      return out
    },
    /** The files the run wrote to its `--out` folder whose names match. */
    written(pattern: RegExp): string[] {
      return out ? readdirSync(out).filter((name) => pattern.test(name)) : []
    },
  }
}
