import { parseArgs } from 'node:util'
import { mockServerOptionsSchema, type MockServerOptions } from './config.js'

export const USAGE = `Usage: liveagent-mock [options]

A mock Salesforce chat server: Live Agent (Chat REST API) and Enhanced Chat (Messaging for In-App and Web). The first line printed is its base URL.

  --port N                   TCP port, 0 for a free one (default 0)
  --host H                   interface (default 127.0.0.1)
  --hold-ms N                hold of an empty Messages poll before 204 (default 30000)
  --client-poll-timeout S    clientPollTimeout returned by SessionId, seconds (default 40)
  --session-timeout-ms N     expire a session after this long without a poll (default 150000)
  --scenario NAME            echo | queue | unavailable | manual (default echo)
  --lenient                  accept clients that send no ack and no sequence header
  --org-id ID                org id, 00D… (default: a sample id, printed at start)
  --deployment-id ID         deployment id, 572… (default: a sample id)
  --button-id ID             button id, 573… (default: a sample id)
  --agent-name NAME          name of the scripted agent (default "Alex Rivera")
  --accept-delay-ms N        echo/queue: delay before the agent accepts (default 100)
  --reply-delay-ms N         echo/queue: delay before the agent answers (default 100)
  --queue-step-ms N          queue: delay between QueueUpdate events (default 1000)
  --es-developer-name NAME   Enhanced Chat deployment API name (default Mock_Custom_Client)
  --token-ttl-s S            Enhanced Chat access token lifetime, seconds (default 21600)
  --sse-ping-ms N            Enhanced Chat stream keep-alive interval (default 15000)
  --sse-buffer N             Enhanced Chat events kept per identity for Last-Event-Id (default 500)
  --queue-info KIND          Enhanced Chat: position | waitTime (default position)
  --prechat-fields A,B       Enhanced Chat pre-chat field names (default _firstName,_lastName,_email,_subject,
                             Bot_Transcript,Chat_Origin)
  --no-rate-limits           Enhanced Chat: do not enforce Salesforce's rate limits (for load benches)
  --log-level L              silent | fatal | error | warn | info | debug | trace (default silent)
  --help                     show this help
`

/** A bad command line: the CLI prints the message (one sentence) and exits with code 2. */
export class UsageError extends Error {}

const NUMERIC_FLAGS = {
  port: 'port',
  'hold-ms': 'holdMs',
  'client-poll-timeout': 'clientPollTimeout',
  'session-timeout-ms': 'sessionTimeoutMs',
  'accept-delay-ms': 'acceptDelayMs',
  'reply-delay-ms': 'replyDelayMs',
  'queue-step-ms': 'queueStepMs',
  'token-ttl-s': 'tokenTtlSeconds',
  'sse-ping-ms': 'ssePingMs',
  'sse-buffer': 'sseBufferEvents',
} as const

const STRING_FLAGS = {
  host: 'host',
  scenario: 'scenario',
  'org-id': 'orgId',
  'deployment-id': 'deploymentId',
  'button-id': 'buttonId',
  'agent-name': 'agentName',
  'log-level': 'logLevel',
  'es-developer-name': 'esDeveloperName',
  'queue-info': 'queueInfo',
} as const

const LIST_FLAGS = { 'prechat-fields': 'prechatFields' } as const

/** parseArgs messages can run to several sentences; the CLI promises one. */
const firstSentence = (message: string): string => message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')

export type CliCommand = { help: true } | { help: false; options: MockServerOptions }

/** Turns argv (without node and the script) into server options; throws UsageError on anything wrong. */
export function parseCli(argv: string[]): CliCommand {
  const spec = {
    help: { type: 'boolean' },
    lenient: { type: 'boolean' },
    'no-rate-limits': { type: 'boolean' },
    ...Object.fromEntries(
      Object.keys({ ...NUMERIC_FLAGS, ...STRING_FLAGS, ...LIST_FLAGS }).map((flag) => [flag, { type: 'string' }])
    ),
  } as const
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError(`${firstSentence((error as Error).message)}; see --help.`)
  }
  if (values.help) return { help: true }

  const options: Record<string, unknown> = {}
  if (values.lenient) options.lenient = true
  if (values['no-rate-limits']) options.rateLimits = false
  for (const [flag, key] of Object.entries(NUMERIC_FLAGS)) {
    const raw = values[flag]
    if (typeof raw !== 'string') continue
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag} must be a whole number, got "${raw}".`)
    options[key] = Number(raw)
  }
  for (const [flag, key] of Object.entries(STRING_FLAGS)) {
    const raw = values[flag]
    if (typeof raw === 'string') options[key] = raw
  }
  for (const [flag, key] of Object.entries(LIST_FLAGS)) {
    const raw = values[flag]
    if (typeof raw === 'string') options[key] = raw.split(',').map((name) => name.trim())
  }
  const parsed = mockServerOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const key = String(issue.path[0] ?? '')
    const flag =
      Object.entries({ ...NUMERIC_FLAGS, ...STRING_FLAGS, ...LIST_FLAGS }).find(([, k]) => k === key)?.[0] ?? key
    throw new UsageError(`--${flag} is invalid: ${issue.message.replace(/\.$/, '')}.`)
  }
  return { help: false, options: options as MockServerOptions }
}
