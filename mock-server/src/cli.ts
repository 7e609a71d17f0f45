// Entry point of the `liveagent-mock` bin: parse flags, start the server, print where it listens, stop on signals.
import { parseCli, UsageError, USAGE } from './cli-args.js'
import { startMockServer } from './server.js'

const USAGE_EXIT_CODE = 2
const FAILURE_EXIT_CODE = 1

async function main(): Promise<void> {
  let command
  try {
    command = parseCli(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`liveagent-mock: ${error.message}\n`)
    process.exit(USAGE_EXIT_CODE)
  }
  if (command.help) {
    process.stdout.write(USAGE)
    return
  }

  const server = await startMockServer(command.options)
  const { options } = server
  // Stoppable before the banner says how to stop it: a signal sent the moment it appears closes the mock cleanly.
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`liveagent-mock: could not close cleanly after ${signal}: ${String(error)}\n`)
        process.exit(FAILURE_EXIT_CODE)
      }
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  // The base URL comes first: scripts and tests read that line.
  process.stdout.write(
    [
      server.url,
      `  chasitor API   ${server.url}/chat/rest   (Live Agent)`,
      `  Enhanced Chat  ${server.url}/iamessage/api/v2   events ${server.url}/eventrouter/v1/sse`,
      `  agent console  ${server.url}/console`,
      `  admin API      ${server.url}/__admin`,
      `  orgId ${options.orgId}  deploymentId ${options.deploymentId}  buttonId ${options.buttonId}`,
      `  esDeveloperName ${options.esDeveloperName}  X-Org-Id ${options.orgId.slice(0, 15)}`,
      `  scenario ${options.scenario}, hold ${options.holdMs} ms, ${options.lenient ? 'lenient' : 'strict'} mode`,
      `  pid ${process.pid}: stop with Ctrl-C or kill ${process.pid}`,
      '',
    ].join('\n')
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`liveagent-mock: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(FAILURE_EXIT_CODE)
})
