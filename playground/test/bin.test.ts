// The real `npm start` entry point (bin/playground.js) as a user runs it: it prints URLs that answer, Ctrl-C stops
// it and every process it started, and mistakes end with one sentence and exit code 2. Then the whole chain
// (npm → scripts/start.js → bin/playground.js → the integration's process) stopped in every way it can be: a stop
// signal to any of them, or kill -9 of a parent; afterwards no process of it is left and every port is free.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { freePorts } from '../../test-support/ports.js'

const BIN = fileURLToPath(new URL('../bin/playground.js', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const START_SCRIPT = join(REPO_ROOT, 'scripts', 'start.js')
/** Every process of a stopped playground is gone well within this (the parent watch polls every 250 ms). */
const GONE_TIMEOUT_MS = 30_000
const PORT_FLAGS = ['--port', '--console-port', '--hop-port', '--botpress-port', '--integration-port'] as const
const EPHEMERAL_FLAGS = ['--port', '0', '--console-port', '0', '--hop-port', '0', '--botpress-port', '0']
const START_TIMEOUT_MS = 60_000
const TEST_TIMEOUT_MS = 90_000
const USAGE_EXIT_CODE = 2

type Run = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function run(
  args: string[],
  command: { file: string; args: string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {
    file: process.execPath,
    args: [BIN],
  }
): Run {
  const child = spawn(command.file, [...command.args, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(command.cwd ? { cwd: command.cwd } : {}),
    ...(command.env ? { env: command.env } : {}),
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** Resolves with the printed URLs once both lines are out; rejects if the process exits first. */
async function printedUrls(running: Run): Promise<{ chat: string; console: string }> {
  const deadline = Date.now() + START_TIMEOUT_MS
  let exited = false
  void running.exited.then(() => (exited = true))
  while (Date.now() < deadline && !exited) {
    const chat = /Chat page\s+(http:\/\/\S+)/.exec(running.stdout())?.[1]
    const agentConsole = /Agent console\s+(http:\/\/\S+)/.exec(running.stdout())?.[1]
    if (chat && agentConsole) return { chat, console: agentConsole }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no URLs printed; stdout: ${running.stdout()} stderr: ${running.stderr()}`)
}

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0)
  } catch {
    return [] // ps exits 1 when there is none
  }
}

/** This test's environment without what an outer `npm test -w …` set (it would point the inner npm elsewhere). */
const withoutNpmSettings = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')))

/** Every process below `pid`, children first. */
const descendantsOf = (pid: number): number[] => childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)])

const commandLineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** Nothing listens on the port: it can be bound again. */
const isPortFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

async function waitUntilGone(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + GONE_TIMEOUT_MS
  for (;;) {
    const left = pids.filter(isRunning)
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Alive and not a zombie. tsx's esbuild helper exits with its parent; where PID 1 does not reap orphans (some
 * containers), it lingers as a zombie: exited, but still listed.
 */
const isRunning = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

describe('bin/playground.js', () => {
  const dataDirs: string[] = []
  const runs: Run[] = []
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'playground-bin-'))
    dataDirs.push(dir)
    return dir
  }
  const start = (args: string[]) => {
    const running = run(args)
    runs.push(running)
    return running
  }

  afterEach(async () => {
    // A failed assertion must not leave a playground running.
    for (const running of runs.splice(0)) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL')
      await running.exited
    }
  })

  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'prints the chat page and agent console URLs, which answer; SIGINT stops every process and keeps the data',
    async () => {
      const dataDir = newDataDir()
      const running = start([...EPHEMERAL_FLAGS, '--integration-port', '0', '--data-dir', dataDir])
      const urls = await printedUrls(running)

      const chatPage = await fetch(urls.chat)
      expect(chatPage.status).toBe(200)
      expect(await chatPage.text()).toContain('Acme Support')
      const agentConsole = await fetch(urls.console)
      expect(agentConsole.status).toBe(200)
      expect(await agentConsole.text()).toContain('Agent Console')
      const children = childrenOf(running.child.pid!)
      expect(children.length).toBeGreaterThan(0) // the integration's own process

      running.child.kill('SIGINT')
      expect(await running.exited).toBe(0)
      expect(running.stderr()).toBe('')
      for (const pid of children) expect(isRunning(pid)).toBe(false)
      await expect(fetch(urls.chat)).rejects.toThrow()
      expect(existsSync(join(dataDir, 'hop.sqlite'))).toBe(true)
      expect(existsSync(join(dataDir, 'logs', 'integration.log'))).toBe(true)
    },
    TEST_TIMEOUT_MS
  )

  it(
    'stops everything with exit code 1 when the integration process dies under it',
    async () => {
      const running = start([...EPHEMERAL_FLAGS, '--integration-port', '0', '--data-dir', newDataDir()])
      const urls = await printedUrls(running)
      const [host] = childrenOf(running.child.pid!).filter((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('integration-host')
      )
      expect(host).toBeDefined()

      process.kill(host!, 'SIGKILL')
      expect(await running.exited).toBe(1)
      expect(running.stderr()).toBe('playground: the integration process stopped on its own (SIGKILL); stopping.\n')
      await expect(fetch(urls.chat)).rejects.toThrow()
    },
    TEST_TIMEOUT_MS
  )

  describe('with a port already taken', () => {
    let blocker: Server

    beforeAll(async () => {
      blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    })

    afterAll(async () => {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    })

    it(
      'says which port in one sentence, stops what it started and exits with code 2',
      async () => {
        const taken = (blocker.address() as AddressInfo).port
        const running = start([...EPHEMERAL_FLAGS, '--integration-port', String(taken), '--data-dir', newDataDir()])
        expect(await running.exited).toBe(USAGE_EXIT_CODE)
        expect(running.stderr()).toBe(
          `playground: Port ${taken} (the integration) is already in use; stop what uses it or pick another port with --integration-port.\n`
        )
      },
      TEST_TIMEOUT_MS
    )
  })

  it.each([
    [
      ['--scenario', 'nobody'],
      'playground: --scenario must be one of echo, queue, unavailable, manual, got "nobody".\n',
    ],
    [['--backend', 'pigeon'], 'playground: --backend must be one of live-agent, enhanced-chat, got "pigeon".\n'],
    [['--port', 'abc'], 'playground: --port must be a port number from 0 to 65535, got "abc".\n'],
    [['--hop-port', '3000'], 'playground: --hop-port and --port cannot both be 3000.\n'],
    [['--colour'], "playground: Unknown option '--colour'; see --help.\n"],
  ])('refuses %j with one sentence and exit code 2', async (args, message) => {
    const running = start(args)
    expect(await running.exited).toBe(USAGE_EXIT_CODE)
    expect(running.stderr()).toBe(message)
    expect(running.stdout()).toBe('')
  })

  it('prints the flags with --help', async () => {
    const running = start(['--help'])
    expect(await running.exited).toBe(0)
    expect(running.stdout()).toContain('--scenario NAME')
    expect(running.stdout()).toContain('--backend NAME')
    expect(running.stdout()).toContain('--console-port N')
  })

  describe('stopped in every way, through npm start', () => {
    type Launcher = 'npm' | 'start.js'
    type Target = 'npm' | 'start.js' | 'playground'
    const launch = (launcher: Launcher, args: string[]): Run =>
      launcher === 'npm'
        ? // npm runs `node scripts/start.js` through a shell: npm → sh → start.js → playground → integration
          run(['--', ...args], { file: 'npm', args: ['start', '--silent'], cwd: REPO_ROOT, env: withoutNpmSettings() })
        : run(args, { file: process.execPath, args: [START_SCRIPT] })

    it.each<[string, Launcher, Target, NodeJS.Signals]>([
      ['SIGTERM to npm (a process manager)', 'npm', 'npm', 'SIGTERM'],
      ['SIGINT to npm', 'npm', 'npm', 'SIGINT'],
      ['SIGHUP to npm', 'npm', 'npm', 'SIGHUP'],
      ['kill -9 of npm', 'npm', 'npm', 'SIGKILL'],
      ['SIGINT to start.js', 'start.js', 'start.js', 'SIGINT'],
      ['SIGTERM to start.js', 'start.js', 'start.js', 'SIGTERM'],
      ['SIGHUP to start.js', 'start.js', 'start.js', 'SIGHUP'],
      ['kill -9 of start.js', 'start.js', 'start.js', 'SIGKILL'],
      ['kill -9 of the playground process', 'start.js', 'playground', 'SIGKILL'],
    ])(
      '%s: no process is left and every port is free',
      async (_, launcher, target, signal) => {
        const ports = await freePorts(PORT_FLAGS.length)
        const flags = PORT_FLAGS.flatMap((flag, index) => [flag, String(ports[index])])
        const running = launch(launcher, [...flags, '--data-dir', newDataDir()])
        runs.push(running)
        const urls = await printedUrls(running)
        expect((await fetch(urls.chat)).status).toBe(200)

        const root = running.child.pid!
        const tree = [root, ...descendantsOf(root)]
        const playground = tree.find((pid) => commandLineOf(pid).includes('playground/bin/playground.js'))
        const startScript = tree.find((pid) => commandLineOf(pid).includes('scripts/start.js'))
        const host = tree.find((pid) => commandLineOf(pid).includes('integration-host'))
        expect({ playground, startScript, host }).toEqual({
          playground: expect.any(Number),
          startScript: expect.any(Number),
          host: expect.any(Number),
        })
        for (const port of ports) expect(await isPortFree(port)).toBe(false)

        const victim = target === 'npm' ? root : target === 'start.js' ? startScript! : playground!
        process.kill(victim, signal)

        expect(await waitUntilGone(tree)).toEqual([])
        for (const port of ports) expect(await isPortFree(port)).toBe(true)
      },
      TEST_TIMEOUT_MS
    )
  })
})
