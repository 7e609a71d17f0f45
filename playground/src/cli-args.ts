// The playground's command line. Every mistake is one sentence (the CLI exits with code 2).
import { parseArgs } from 'node:util'
import { SCENARIOS, type ScenarioName } from '@liveagent-hop/mock-server'
import { BACKENDS, type Backend } from '@liveagent-hop/integration'
import { DEFAULT_PORTS, DEFAULT_SCENARIO, type PortName } from './defaults.js'
import { PlaygroundUsageError } from './errors.js'

export const USAGE = `Usage: npm start -- [options]   (or: node playground/bin/playground.js [options])

Starts the whole hand-off on this machine: a chat page with a demo bot, the Botpress integration, the hop server
and a mock Salesforce Live Agent with its agent console. Prints the two URLs to open. Ctrl-C stops everything.

  --backend NAME           the Salesforce chat product the hand-off uses (default live-agent):
                             live-agent     legacy Chat (Live Agent), long polling
                             enhanced-chat  Messaging for In-App and Web (Enhanced Chat), REST and an event stream
  --scenario NAME          what the Live Agent side does (default ${DEFAULT_SCENARIO}):
                             manual       you are the agent, in the agent console
                             echo         an automatic agent accepts and echoes; say "bye" and it ends the chat
                             queue        you wait in a queue (3, 2, 1), then the automatic agent answers
                             unavailable  no agent is available; the bot says so and takes over again
  --port N                 the chat page (default ${DEFAULT_PORTS.chat})
  --console-port N         the mock Live Agent and its agent console (default ${DEFAULT_PORTS.console})
  --hop-port N             the hop server (default ${DEFAULT_PORTS.hop})
  --botpress-port N        the local Botpress API and webhook relay (default ${DEFAULT_PORTS.botpress})
  --integration-port N     the integration (default ${DEFAULT_PORTS.integration})
                           (0 picks a free port, for any of them)
  --data-dir DIR           the hop server's database and the logs (default playground/data)
  --help                   show this help
`

const PORT_FLAGS: Record<string, PortName> = {
  port: 'chat',
  'console-port': 'console',
  'hop-port': 'hop',
  'botpress-port': 'botpress',
  'integration-port': 'integration',
}
const MAX_PORT = 65_535

export type CliCommand =
  | { help: true }
  | { help: false; backend: Backend; scenario: ScenarioName; ports: Record<PortName, number>; dataDir?: string }

/** parseArgs messages can run to several sentences; the CLI promises one. */
const firstSentence = (message: string): string => message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')

export function parseCli(argv: string[]): CliCommand {
  const spec = {
    help: { type: 'boolean' },
    scenario: { type: 'string' },
    backend: { type: 'string' },
    'data-dir': { type: 'string' },
    ...Object.fromEntries(Object.keys(PORT_FLAGS).map((flag) => [flag, { type: 'string' }])),
  } as const
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new PlaygroundUsageError(`${firstSentence((error as Error).message)}; see --help.`)
  }
  if (values.help) return { help: true }

  const scenario = values.scenario ?? DEFAULT_SCENARIO
  if (typeof scenario !== 'string' || !(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new PlaygroundUsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${String(scenario)}".`)
  }

  const backend = values.backend ?? 'live-agent'
  if (typeof backend !== 'string' || !(BACKENDS as readonly string[]).includes(backend)) {
    throw new PlaygroundUsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${String(backend)}".`)
  }

  const ports: Record<PortName, number> = { ...DEFAULT_PORTS }
  for (const [flag, name] of Object.entries(PORT_FLAGS)) {
    const raw = values[flag]
    if (typeof raw !== 'string') continue
    if (!/^\d+$/.test(raw) || Number(raw) > MAX_PORT) {
      throw new PlaygroundUsageError(`--${flag} must be a port number from 0 to ${MAX_PORT}, got "${raw}".`)
    }
    ports[name] = Number(raw)
  }
  const taken = new Map<number, string>()
  for (const [flag, name] of Object.entries(PORT_FLAGS)) {
    const port = ports[name]
    if (port === 0) continue
    const other = taken.get(port)
    if (other) throw new PlaygroundUsageError(`--${flag} and --${other} cannot both be ${port}.`)
    taken.set(port, flag)
  }

  const dataDir = values['data-dir']
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir.trim() === '')) {
    throw new PlaygroundUsageError('--data-dir must name a directory.')
  }
  return {
    help: false,
    backend: backend as Backend,
    scenario: scenario as ScenarioName,
    ports,
    ...(dataDir ? { dataDir } : {}),
  }
}
