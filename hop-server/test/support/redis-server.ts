// A real Redis for the tests: Debian's redis-server as a child process on a free loopback port, no persistence.
// Without redis-server it fails at once with the sentence naming the package (test-support/system-programs.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { REDIS_SERVER, requireProgram } from '../../../test-support/system-programs.js'
import { freePort } from './ports.js'

const READY_LINE = /Ready to accept connections/
const START_TIMEOUT_MS = 10_000

export interface RedisServer {
  url: string
  port: number
  stop(): Promise<void>
}

/** `env` is where the program is looked for (PATH, REDIS_SERVER_BIN); the test's own environment by default. */
export async function startRedisServer(env: NodeJS.ProcessEnv = process.env): Promise<RedisServer> {
  const binary = requireProgram(REDIS_SERVER, env)
  const port = await freePort()
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  await waitForReady(child)
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
  }
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`))
    }, START_TIMEOUT_MS)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (READY_LINE.test(output)) {
        clearTimeout(timer)
        child.stdout?.removeAllListeners('data')
        child.stdout?.resume()
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${output}`))
    })
  })
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}
