// The `liveagent-hop` process: read the environment, start, stop cleanly on SIGINT/SIGTERM.
// Exit codes: 0 after a graceful stop, 2 for bad configuration or arguments (one sentence on stderr),
// 1 when the server cannot start or does not stop within HOP_SHUTDOWN_TIMEOUT_MS.
import { ConfigError, loadConfigFromEnv } from './config.js'
import { helpText } from './config/describe.js'
import { formatStartupSummary } from './cli/startup-summary.js'
import { terminalLogStream } from './cli/terminal-log.js'
import { startHopServer } from './server.js'

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

let server
try {
  server = await startHopServer(
    config,
    interactive ? { logDestination: terminalLogStream(process.stdout), startupLog: false } : {}
  )
} catch (error) {
  console.error(`liveagent-hop: cannot start: ${(error as Error).message}`)
  process.exit(EXIT_FAILURE)
}

if (interactive) process.stdout.write(formatStartupSummary(server.config, server.url))

let stopping = false
const stop = (signal: NodeJS.Signals) => {
  if (stopping) {
    server.logger.warn({ signal }, 'second signal: exiting at once')
    process.exit(EXIT_FAILURE)
  }
  stopping = true
  server.logger.info({ signal }, 'shutting down')
  const timer = setTimeout(() => {
    server.logger.error('graceful shutdown took too long; exiting')
    process.exit(EXIT_FAILURE)
  }, config.shutdownTimeoutMs)
  timer.unref()
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed')
      process.exit(EXIT_FAILURE)
    }
  )
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
