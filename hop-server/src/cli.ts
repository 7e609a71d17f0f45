// The `liveagent-hop` process: read the environment, start, stop cleanly on SIGINT/SIGTERM.
// Exit codes: 0 after a graceful stop, 2 for bad configuration or arguments (one sentence on stderr),
// 1 when the server cannot start or does not stop within HOP_SHUTDOWN_TIMEOUT_MS.
import { ConfigError, loadConfigFromEnv } from './config.js'
import { helpText } from './config/describe.js'
import { formatStartupSummary } from './cli/startup-summary.js'
import { terminalLogStream } from './cli/terminal-log.js'
import { startHopServer, type HopServer } from './server.js'

const EXIT_FAILURE = 1
const EXIT_USAGE = 2

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(helpText())
  process.exit(0)
}
if (args.length > 0) {
  console.error(`liveagent-hop: unknown argument ${args[0]}; it is configured by environment variables (see --help).`)
  process.exit(EXIT_USAGE)
}

let config
try {
  config = loadConfigFromEnv(process.env)
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`liveagent-hop: invalid configuration: ${error.message}`)
    process.exit(EXIT_USAGE)
  }
  throw error
}

// A person at a terminal gets a readable summary and readable log lines; a process manager, a container or a pipe
// gets JSON lines.
const interactive = process.stdout.isTTY === true

// The signal handlers come first: the start-up summary and the "listening" line tell a person or a supervisor that
// the server can be stopped, so a signal sent the moment they appear must already stop it cleanly, and one sent while
// it starts stops it as soon as it has started.
let server: HopServer | undefined
let stopSignal: NodeJS.Signals | undefined
const stop = (signal: NodeJS.Signals) => {
  if (stopSignal) {
    if (server) server.logger.warn({ signal }, 'second signal: exiting at once')
    else console.error(`liveagent-hop: second signal (${signal}) while starting: exiting at once`)
    process.exit(EXIT_FAILURE)
  }
  stopSignal = signal
  if (server) shutDown(server, signal)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

function shutDown(running: HopServer, signal: NodeJS.Signals) {
  running.logger.info({ signal }, 'shutting down')
  const timer = setTimeout(() => {
    running.logger.error('graceful shutdown took too long; exiting')
    process.exit(EXIT_FAILURE)
  }, running.config.shutdownTimeoutMs)
  timer.unref()
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      running.logger.error({ err: error }, 'shutdown failed')
      process.exit(EXIT_FAILURE)
    }
  )
}

try {
  server = await startHopServer(
    config,
    interactive ? { logDestination: terminalLogStream(process.stdout), startupLog: false } : {}
  )
} catch (error) {
  console.error(`liveagent-hop: cannot start: ${(error as Error).message}`)
  process.exit(EXIT_FAILURE)
}

if (stopSignal) shutDown(server, stopSignal)
else if (interactive) process.stdout.write(formatStartupSummary(server.config, server.url))
