import { z } from 'zod'

/** Well-formed sample ids (prefixes 00D / 572 / 573, 15 characters), used when nothing else is configured. */
export const SAMPLE_IDS = {
  orgId: '00D5g000004AbCd',
  deploymentId: '5725g000000AbCd',
  buttonId: '5735g000000AbCd',
  esDeveloperName: 'Mock_Custom_Client',
} as const

export const SCENARIOS = ['echo', 'queue', 'unavailable', 'manual'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

const ORG_ID = /^00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/
const DEPLOYMENT_ID = /^572[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/
const BUTTON_ID = /^573[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/
const AGENT_ID = /^005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/

export const ID_SHAPES = { orgId: ORG_ID, deploymentId: DEPLOYMENT_ID, buttonId: BUTTON_ID, agentId: AGENT_ID } as const

const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const ms = z.number().int().nonnegative()

/** Options of startMockServer; every field mirrors a CLI flag (see README). */
export const mockServerOptionsSchema = z.strictObject({
  /** TCP port; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  /** How long a Messages poll with nothing to send is held before it is answered 204 (real servers: ~30 s). */
  holdMs: ms.default(30_000),
  /** clientPollTimeout returned by SessionId, in seconds. */
  clientPollTimeout: z.number().int().positive().default(40),
  /** A session whose client stops polling for longer than this expires (403 afterwards). */
  sessionTimeoutMs: z.number().int().positive().default(150_000),
  scenario: z.enum(SCENARIOS).default('echo'),
  /** Accept clients that send no ack and no X-LIVEAGENT-SEQUENCE header. */
  lenient: z.boolean().default(false),
  orgId: z.string().regex(ORG_ID, 'orgId must be 15 or 18 characters starting with 00D').default(SAMPLE_IDS.orgId),
  deploymentId: z
    .string()
    .regex(DEPLOYMENT_ID, 'deploymentId must be 15 or 18 characters starting with 572')
    .default(SAMPLE_IDS.deploymentId),
  buttonId: z
    .string()
    .regex(BUTTON_ID, 'buttonId must be 15 or 18 characters starting with 573')
    .default(SAMPLE_IDS.buttonId),
  /** Name the scripted agents (and the console's default agent) use. */
  agentName: z.string().min(1).default('Alex Rivera'),
  /** echo/queue: delay before the agent accepts. */
  acceptDelayMs: ms.default(100),
  /** echo: delay before the agent answers a visitor message. */
  replyDelayMs: ms.default(100),
  /** queue: delay between two QueueUpdate events. */
  queueStepMs: ms.default(1000),
  logLevel: z.enum(LOG_LEVELS).default('silent'),
  // ---- Enhanced Chat (Messaging for In-App and Web); orgId, scenario and the agent options apply to it too ----
  /** API name of the Custom Client deployment (Enhanced Chat's counterpart of the deployment id). */
  esDeveloperName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'esDeveloperName must be an API name (letters, digits, underscores)')
    .default(SAMPLE_IDS.esDeveloperName),
  /** Lifetime of a guest access token; continuation tokens keep the first token's expiry. */
  tokenTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(6 * 60 * 60),
  /** Interval of the `ping` keep-alive on event streams. */
  ssePingMs: z.number().int().positive().default(15_000),
  /** Events kept per identity for Last-Event-Id replay. */
  sseBufferEvents: z.number().int().positive().default(500),
  /** An org shows either queue positions (QUEUE_POSITION events) or an estimated wait time (in ROUTING_RESULT). */
  queueInfo: z.enum(['position', 'waitTime']).default('position'),
  /** Enforce Salesforce's rate limits (tokens, renewals, conversation starts, messages); off for load benches. */
  rateLimits: z.boolean().default(true),
  /** Pre-chat field API names of the deployment; routingAttributes with other names are dropped silently. */
  prechatFields: z
    .array(z.string().min(1))
    .default(['_firstName', '_lastName', '_email', '_subject', 'Bot_Transcript', 'Chat_Origin']),
})

export type MockServerOptions = z.input<typeof mockServerOptionsSchema>
export type ResolvedOptions = z.output<typeof mockServerOptionsSchema>

/** Validates options; throws an Error with one readable sentence on bad input. */
export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  const parsed = mockServerOptionsSchema.safeParse(options)
  if (!parsed.success) throw new Error(`Invalid mock server options: ${describeZodError(parsed.error)}`)
  return parsed.data
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
