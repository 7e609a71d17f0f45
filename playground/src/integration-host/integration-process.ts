// Starts and stops the integration host process (bin/integration-host.js) and tells when it listens.
import { fork, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isHostMessage, PORT_VARIABLE } from './protocol.js'
import { PORT_LABELS } from '../defaults.js'
import { PortInUseError } from '../errors.js'

const HOST_SCRIPT = fileURLToPath(new URL('../../bin/integration-host.js', import.meta.url))
/** Loading the integration through tsx takes a few seconds on a busy machine. */
const START_TIMEOUT_MS = 60_000
/** After SIGTERM, how long the host has to close its server before it is killed. */
const STOP_TIMEOUT_MS = 5_000

export type IntegrationProcessOptions = {
  port: number
  /** Botpress's API (BP_API_URL) and webhook base (BP_WEBHOOK_URL) as the integration must see them. */
  apiUrl: string
  webhookBaseUrl: string
  /** Where the integration's console output goes; dropped when absent. */
  logFile?: string
  /** Called when the process ends without being asked to. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

export class IntegrationProcess {
  private _stopping = false

  private constructor(
    private readonly _child: ChildProcess,
    public readonly url: string,
    private readonly _exited: Promise<void>,
    private readonly _log: WriteStream | undefined
  ) {}

  public static async start(options: IntegrationProcessOptions): Promise<IntegrationProcess> {
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined
    const child = fork(HOST_SCRIPT, [], {
      env: {
        ...process.env,
        BP_API_URL: options.apiUrl,
        BP_WEBHOOK_URL: options.webhookBaseUrl,
        [PORT_VARIABLE]: String(options.port),
      },
      execArgv: [],
      stdio: ['ignore', log ? 'pipe' : 'ignore', log ? 'pipe' : 'ignore', 'ipc'],
    })
    if (log) {
      child.stdout?.pipe(log, { end: false })
      child.stderr?.pipe(log, { end: false })
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

    let port: number
    try {
      port = await waitUntilListening(child, options.port)
    } catch (error) {
      child.kill('SIGKILL')
      await exited
      log?.end()
      throw error
    }
    const host = new IntegrationProcess(child, `http://127.0.0.1:${port}`, exited, log)
    child.once('exit', (code, signal) => {
      if (!host._stopping) options.onUnexpectedExit?.(code, signal)
    })
    return host
  }

  public get pid(): number | undefined {
    return this._child.pid
  }

  public async close(): Promise<void> {
    this._stopping = true
    if (this._child.exitCode === null && this._child.signalCode === null) {
      this._child.kill('SIGTERM')
      const killer = setTimeout(() => this._child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await this._exited
      clearTimeout(killer)
    }
    if (this._log) {
      await new Promise<void>((resolve) => this._log!.end(resolve))
    }
  }
}

function waitUntilListening(child: ChildProcess, requestedPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish()
      reject(new Error(`the integration did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    const onMessage = (message: unknown) => {
      if (!isHostMessage(message)) return
      finish()
      if (message.type === 'listening') {
        resolve(message.port)
      } else if (message.code === 'EADDRINUSE') {
        reject(new PortInUseError(PORT_LABELS.integration.what, requestedPort, PORT_LABELS.integration.flag))
      } else {
        reject(new Error(`the integration could not start: ${message.message}`))
      }
    }
    const onExit = (code: number | null) => {
      finish()
      reject(new Error(`the integration process exited (code ${code}) before it listened`))
    }
    const finish = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}
