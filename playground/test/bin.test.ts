// The real `npm start` entry point (bin/playground.js) as a user runs it: it prints URLs that answer, Ctrl-C stops
// it and every process it started, and mistakes end with one sentence and exit code 2.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'

const BIN = fileURLToPath(new URL('../bin/playground.js', import.meta.url))
const EPHEMERAL_FLAGS = ['--port', '0', '--console-port', '0', '--hop-port', '0', '--botpress-port', '0']
const START_TIMEOUT_MS = 60_000
const TEST_TIMEOUT_MS = 90_000
const USAGE_EXIT_CODE = 2

type Run = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
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
    expect(running.stdout()).toContain('--console-port N')
  })
})
