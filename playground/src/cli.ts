// `npm start`: parse the flags, start everything, print where to look, stop everything on Ctrl-C, SIGTERM, SIGHUP,
// or when the process that started this one is gone (see parent-watch.ts), however it went.
import { isAbsolute, join, relative, resolve } from 'node:path'
import type { ScenarioName } from '@liveagent-hop/mock-server'
import { parseCli, USAGE } from './cli-args.js'
import { DEFAULT_DATA_DIR } from './defaults.js'
import { PlaygroundUsageError } from './errors.js'
import { watchParent } from './parent-watch.js'
import { startPlayground, type Playground } from './playground.js'

const USAGE_EXIT_CODE = 2
const FAILURE_EXIT_CODE = 1
const PREFIX = 'playground:'
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

const HINTS: Record<ScenarioName, string> = {
  manual: 'Open the chat page and type "talk to a human", then accept the chat in the agent console and answer.',
  echo: 'Open the chat page and type "talk to a human": an automatic agent joins and echoes you; say "bye" to end.',
  queue:
    'Open the chat page and type "talk to a human": you wait in a queue (3, 2, 1), then an automatic agent echoes you.',
  unavailable:
    'Open the chat page and type "talk to a human": no agent is available, so the bot says so and carries on.',
}

async function main(): Promise<void> {
  let command
  try {
    command = parseCli(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof PlaygroundUsageError)) throw error
    process.stderr.write(`${PREFIX} ${error.message}\n`)
    process.exit(USAGE_EXIT_CODE)
  }
  if (command.help) {
    process.stdout.write(USAGE)
    return
  }

  const dataDir = resolve(command.dataDir ?? DEFAULT_DATA_DIR)
  const logDir = join(dataDir, 'logs')
  let playground: Playground | undefined
  let stopping = false
  const stop = async (exitCode: number): Promise<void> => {
    if (stopping) return
    stopping = true
    process.stdout.write('\nStopping…\n')
    await playground?.close()
    process.exit(exitCode)
  }
  // From the first moment: a stop during start-up waits for nothing (what started dies with this process, and the
  // integration's process sees its channel close).
  for (const signal of STOP_SIGNALS) process.once(signal, () => void stop(0))
  watchParent((reason) => {
    process.stderr.write(`${PREFIX} ${reason}; stopping.\n`)
    void stop(0)
  })
  // A closed terminal or pipe must not turn the orderly stop into a crash.
  process.stdout.on('error', () => undefined)
  process.stderr.on('error', () => undefined)

  process.stdout.write(`Starting the playground (${command.backend}, scenario ${command.scenario})…\n`)
  try {
    playground = await startPlayground({
      backend: command.backend,
      scenario: command.scenario,
      ports: command.ports,
      dataDir,
      logDir,
      onFailure: (reason) => {
        process.stderr.write(`${PREFIX} ${reason}; stopping.\n`)
        void stop(FAILURE_EXIT_CODE)
      },
    })
  } catch (error) {
    if (error instanceof PlaygroundUsageError) {
      process.stderr.write(`${PREFIX} ${error.message}\n`)
      process.exit(USAGE_EXIT_CODE)
    }
    throw error
  }

  // Relative to where the user stands when it is below it (npm start: playground/data), absolute otherwise.
  const shown = (path: string) => {
    const below = relative(process.cwd(), path)
    return below === '' ? '.' : below.startsWith('..') || isAbsolute(below) ? path : below
  }
  process.stdout.write(
    [
      '',
      `  Chat page       ${playground.urls.chat}`,
      `  Agent console   ${playground.urls.console}`,
      '',
      HINTS[command.scenario],
      `Data and logs in ${shown(dataDir)} (logs in ${shown(logDir)}). Press Ctrl-C to stop.`,
      '',
    ].join('\n')
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`${PREFIX} ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(FAILURE_EXIT_CODE)
})
