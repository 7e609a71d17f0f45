import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { ENV_VARIABLES } from '../../src/config.js'
import { DEV_TENANT } from '../../src/constants.js'
import { runHopProcess } from '../support/hop-process.js'
import { freePort } from '../support/ports.js'
import { tempDir } from '../support/harness.js'
import {
  listenersAtReadiness,
  SIGNAL_PROBE_MARKER_VARIABLE,
  SIGNAL_PROBE_NODE_ARGS,
} from '../../../test-support/signal-probe.js'

const BIN = fileURLToPath(new URL('../../bin/liveagent-hop.js', import.meta.url))
const SCRIPT = '/usr/bin/script'
const OUTPUT_TIMEOUT_MS = 20_000
const POLL_MS = 50

describe('liveagent-hop bin', () => {
  it('exits 2 naming the variable when the configuration is bad', async () => {
    const result = await runHopProcess({ HOP_PORT: 'eighty' })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^liveagent-hop: invalid configuration: HOP_PORT: /)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it.each([
    ['HOP_PORT', 'eighty'],
    ['HOP_STORE', 'postgres'],
    ['HOP_LEASE_FENCE_MARGIN', '1.5'],
    ['HOP_STORE_SWEEP_MS', '0'],
    ['HOP_ACCEPT_V1_SIGNATURES', 'maybe'],
  ])('refuses %s=%s with one sentence naming it, before anything is written', async (variable, value) => {
    const dir = tempDir('hop-bin-bad-')
    try {
      const dataDir = join(dir.path, 'data')
      const result = await runHopProcess({ HOP_DATA_DIR: dataDir, HOP_PORT: '0', [variable]: value })
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(new RegExp(`^liveagent-hop: invalid configuration: ${variable}: \\S`))
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(existsSync(dataDir)).toBe(false)
    } finally {
      dir.remove()
    }
  })

  it('--help lists every variable with its meaning and exits 0', () => {
    const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })
    expect(result.status).toBe(0)
    for (const variable of ENV_VARIABLES) expect(result.stdout).toContain(variable)
    expect(result.stdout).toContain('one webhook delivery attempt')
  })

  it('exits 2 on an unknown argument', async () => {
    const result = await runHopProcess({}, ['--port', '1'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown argument --port/)
  })
})

// No configuration at all: run in an empty directory (data goes to ./data) with only a free port, since the default
// port may be taken on a shared machine.
describe('liveagent-hop with no configuration', () => {
  const dirs: { remove(): void }[] = []
  afterAll(() => dirs.forEach((dir) => dir.remove()))

  async function unconfigured() {
    const dir = tempDir('hop-bin-')
    dirs.push(dir)
    const port = await freePort()
    return {
      cwd: dir.path,
      port,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOP_PORT: String(port) },
    }
  }

  /** Collects the child's stdout until `done(output)` holds; throws with what it got after a while. */
  async function waitForOutput(child: ChildProcess, done: (output: string) => boolean): Promise<string> {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const deadline = Date.now() + OUTPUT_TIMEOUT_MS
    while (!done(output)) {
      if (child.exitCode !== null) throw new Error(`liveagent-hop exited with ${child.exitCode}:\n${output}`)
      if (Date.now() > deadline) throw new Error(`liveagent-hop did not print what was expected:\n${output}`)
      await sleep(POLL_MS)
    }
    return output
  }

  async function stop(child: ChildProcess, pid = child.pid): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    if (pid) process.kill(pid, 'SIGTERM')
    return exited
  }

  it('writes JSON log lines when stdout is not a terminal, with a warning naming HOP_TENANTS and the file', async () => {
    const { cwd, port, env } = await unconfigured()
    const child = spawn(process.execPath, [BIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const output = await waitForOutput(child, (text) => text.includes('liveagent-hop listening'))
      const lines = output.trim().split('\n')
      const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string; url?: string })
      const warning = entries.find((entry) => entry.msg.startsWith('no tenant configured'))
      expect(warning?.level).toBe(40)
      expect(warning?.msg).toMatch(/HOP_TENANTS=id:secret/)
      expect(warning?.msg).toMatch(/HOP_TENANTS_FILE=/)
      expect(warning?.msg).toMatch(/hop-server\/README\.md/)
      expect(entries.find((entry) => entry.msg === 'liveagent-hop listening')?.url).toBe(`http://127.0.0.1:${port}`)
      expect(output).not.toContain(DEV_TENANT.secret)
    } finally {
      expect(await stop(child)).toBe(0)
    }
  })

  it('can be stopped the instant it says it is listening: its signal handlers are in place before that line', async () => {
    const { cwd, env } = await unconfigured()
    const marker = 'liveagent-hop listening'
    const child = spawn(process.execPath, [...SIGNAL_PROBE_NODE_ARGS, BIN], {
      cwd,
      env: { ...env, [SIGNAL_PROBE_MARKER_VARIABLE]: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    try {
      await waitForOutput(child, (text) => text.includes(marker))
      // The probe writes to stderr before the line reaches stdout; the two pipes may still deliver in either order.
      while (listenersAtReadiness(stderr) === undefined && child.exitCode === null) await sleep(POLL_MS)
      expect(listenersAtReadiness(stderr)).toEqual({ SIGINT: 1, SIGTERM: 1 })
    } finally {
      expect(await stop(child)).toBe(0)
    }
  })

  it('prints a readable start-up summary when stdout is a terminal (a pseudo-terminal from script)', async () => {
    if (!existsSync(SCRIPT)) {
      throw new Error(`${SCRIPT} is missing: install the Debian package bsdutils (util-linux's script).`)
    }
    expect(spawnSync(SCRIPT, ['--version']).status).toBe(0)
    const { cwd, port, env } = await unconfigured()
    // `exec` makes the hop server script's own child, so it can be stopped by its pid.
    const child = spawn(SCRIPT, ['-qfec', `exec "${process.execPath}" "${BIN}"`, '/dev/null'], {
      cwd,
      env: { ...env, SHELL: '/bin/sh', TERM: 'dumb' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let hopPid: number | undefined
    try {
      const output = await waitForOutput(child, (text) => text.includes('Ctrl-C stops the server'))
      const text = output.replace(/\r/g, '')
      expect(text).toContain('liveagent-hop 0.1.0 is running')
      expect(text).toMatch(new RegExp(`Listening +http://127\\.0\\.0\\.1:${port} `))
      expect(text).toMatch(/Tenants +dev \(development tenant, see below\)/)
      expect(text).toContain(`Data        SQLite file ${cwd}/data/hop.sqlite`)
      expect(text).toMatch(/Configure +environment variables: liveagent-hop --help lists them/)
      expect(text).toMatch(/Before real use:\n {2}- no tenant configured: .*HOP_TENANTS=id:secret.*HOP_TENANTS_FILE=/)
      expect(text).not.toMatch(/^\{/m)
      expect(text).not.toContain(DEV_TENANT.secret)
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()
      hopPid = Number(children.split(' ')[0])
    } finally {
      const code = await stop(child, hopPid ?? child.pid)
      if (hopPid) expect(code).toBe(0)
    }
  })
})
