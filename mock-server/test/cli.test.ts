import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from '@jest/globals'
import { API_VERSION } from './support/raw-visitor.js'
import {
  listenersAtReadiness,
  SIGNAL_PROBE_MARKER_VARIABLE,
  SIGNAL_PROBE_NODE_ARGS,
} from '../../test-support/signal-probe.js'

const BIN = fileURLToPath(new URL('../bin/liveagent-mock.js', import.meta.url))
const BASE_URL_PREFIX = 'http://127.0.0.1:'

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string; stdout: string }> {
  let stderr = ''
  let stdout = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stderr, stdout }
}

describe('liveagent-mock bin', () => {
  let child: ChildProcess | undefined

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    child = undefined
  })

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints the base URL first, serves the API, and closes cleanly on %s',
    async (signal) => {
      child = run(['--port', '0', '--scenario', 'echo', '--hold-ms', '1000'])
      const lines = createInterface({ input: child.stdout! })
      const [firstLine] = (await once(lines, 'line')) as [string]
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

      const res = await fetch(`${firstLine}/chat/rest/System/SessionId`, {
        headers: { 'X-LIVEAGENT-API-VERSION': API_VERSION, 'X-LIVEAGENT-AFFINITY': 'null' },
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ clientPollTimeout: 40 })

      lines.close()
      const exited = once(child, 'exit')
      child.kill(signal)
      const [code] = (await exited) as [number | null]
      expect(code).toBe(0)
    }
  )

  it('can be stopped the instant it prints its base URL: its signal handlers are in place before that line', async () => {
    child = spawn(process.execPath, [...SIGNAL_PROBE_NODE_ARGS, BIN, '--port', '0'], {
      env: { ...process.env, [SIGNAL_PROBE_MARKER_VARIABLE]: BASE_URL_PREFIX },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = exitOf(child)
    const lines = createInterface({ input: child.stdout! })
    await once(lines, 'line')
    lines.close()
    child.kill('SIGTERM')
    const { code, stderr } = await exited
    // The probe wrote its line before the base URL reached stdout, so by the exit it is in stderr.
    expect(listenersAtReadiness(stderr)).toEqual({ SIGINT: 1, SIGTERM: 1 })
    expect(code).toBe(0)
  })

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be a whole number/],
    [['--scenario', 'party'], /--scenario is invalid/],
    [['--button-id', '123'], /--button-id is invalid/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--queue-info', 'sideways'], /--queue-info is invalid/],
    [['--es-developer-name', 'has space'], /--es-developer-name is invalid/],
    [['--sse-ping-ms', '0'], /--sse-ping-ms is invalid/],
    [['--prechat-fields', 'a,,b'], /--prechat-fields is invalid/],
  ])('exits with code 2 and one sentence on a bad flag: %j', async (args, message) => {
    child = run(args)
    const { code, stderr, stdout } = await exitOf(child)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(message)
  })

  it('prints the flags on --help', async () => {
    child = run(['--help'])
    const { code, stdout } = await exitOf(child)
    expect(code).toBe(0)
    expect(stdout).toContain('--hold-ms')
    expect(stdout).toContain('--lenient')
    expect(stdout).toContain('--es-developer-name')
    expect(stdout).toContain('--no-rate-limits')
  })
})
