// Pact Broker client for CI: publish the pact files of this run, ask can-i-deploy. Configured only by environment
// variables; with no PACT_BROKER_BASE_URL every command is skipped with a message (local runs need no broker).
// Uses the broker's HTTP API directly (POST /contracts/publish, GET /can-i-deploy), so no CLI has to be installed.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { HOP_SERVER, INTEGRATION } from './participants.js'
import { readPact } from './pact-files.js'

export const BROKER_ENV = {
  baseUrl: 'PACT_BROKER_BASE_URL',
  token: 'PACT_BROKER_TOKEN',
  username: 'PACT_BROKER_USERNAME',
  password: 'PACT_BROKER_PASSWORD',
  version: 'PACT_PACTICIPANT_VERSION',
  branch: 'PACT_PACTICIPANT_BRANCH',
  environment: 'PACT_BROKER_ENVIRONMENT',
} as const

/** The pacticipants this repository deploys (Live Agent is Salesforce's). */
export const DEPLOYABLE_PACTICIPANTS = [HOP_SERVER, INTEGRATION] as const

const DEFAULT_ENVIRONMENT = 'production'
const REQUEST_TIMEOUT_MS = 30_000

/** A configuration problem: the CLI prints the sentence and exits 2. */
export class BrokerConfigError extends Error {
  override name = 'BrokerConfigError'
}

export type BrokerCredentials = { token: string } | { username: string; password: string } | undefined

export interface BrokerConfig {
  baseUrl: string
  credentials: BrokerCredentials
  /** The version of this repository's pacticipants: the commit being tested. */
  version: string
  branch: string | undefined
  /** Where can-i-deploy asks about. */
  environment: string
}

/** Reads the broker settings; undefined when PACT_BROKER_BASE_URL is not set (the caller skips). */
export function brokerConfig(env: NodeJS.ProcessEnv, git: (args: string[]) => string | undefined = gitOutput) {
  const baseUrl = env[BROKER_ENV.baseUrl]?.trim()
  if (!baseUrl) return undefined
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new BrokerConfigError(`${BROKER_ENV.baseUrl} is not a URL: ${baseUrl}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new BrokerConfigError(`${BROKER_ENV.baseUrl} must be an http(s) URL`)
  const token = env[BROKER_ENV.token]
  const username = env[BROKER_ENV.username]
  const password = env[BROKER_ENV.password]
  if ((username === undefined) !== (password === undefined))
    throw new BrokerConfigError(`set both ${BROKER_ENV.username} and ${BROKER_ENV.password}, or neither`)
  const credentials: BrokerCredentials = token
    ? { token }
    : username !== undefined && password !== undefined
      ? { username, password }
      : undefined
  const version = env[BROKER_ENV.version] || git(['rev-parse', 'HEAD'])
  if (!version) throw new BrokerConfigError(`set ${BROKER_ENV.version} (no git commit to use instead)`)
  const branch = env[BROKER_ENV.branch] || git(['rev-parse', '--abbrev-ref', 'HEAD'])
  return {
    baseUrl: url.href.replace(/\/+$/, ''),
    credentials,
    version,
    branch: branch && branch !== 'HEAD' ? branch : undefined,
    environment: env[BROKER_ENV.environment] || DEFAULT_ENVIRONMENT,
  } satisfies BrokerConfig
}

function gitOutput(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

function authorizationHeader(credentials: BrokerCredentials): { authorization?: string } {
  if (!credentials) return {}
  if ('token' in credentials) return { authorization: `Bearer ${credentials.token}` }
  return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` }
}

async function call(config: BrokerConfig, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${config.baseUrl}${path}`, {
    method,
    headers: {
      accept: 'application/hal+json, application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...authorizationHeader(config.credentials),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`)
  return text ? (JSON.parse(text) as unknown) : {}
}

/**
 * Publishes the pact files, one request per consumer (each consumer version owns its pacts), tagged with this
 * version and branch. Returns one line per published pact.
 */
export async function publishPacts(config: BrokerConfig, files: string[]): Promise<string[]> {
  const byConsumer = new Map<string, { file: string; consumer: string; provider: string }[]>()
  for (const file of files) {
    const pact = readPact(file)
    const list = byConsumer.get(pact.consumer.name) ?? []
    list.push({ file, consumer: pact.consumer.name, provider: pact.provider.name })
    byConsumer.set(pact.consumer.name, list)
  }
  const published: string[] = []
  for (const [consumer, pacts] of byConsumer) {
    await call(config, 'POST', '/contracts/publish', {
      pacticipantName: consumer,
      pacticipantVersionNumber: config.version,
      ...(config.branch ? { branch: config.branch } : {}),
      contracts: pacts.map((p) => ({
        consumerName: p.consumer,
        providerName: p.provider,
        specification: 'pact',
        contentType: 'application/json',
        content: readFileSync(p.file).toString('base64'),
      })),
    })
    published.push(...pacts.map((p) => `${p.consumer} → ${p.provider} (version ${config.version})`))
  }
  return published
}

export interface DeployVerdict {
  pacticipant: string
  deployable: boolean
  reason: string
}

/** can-i-deploy for each pacticipant this repository deploys, at this version, to the configured environment. */
export async function canIDeploy(config: BrokerConfig): Promise<DeployVerdict[]> {
  const verdicts: DeployVerdict[] = []
  for (const pacticipant of DEPLOYABLE_PACTICIPANTS) {
    const query = new URLSearchParams({ pacticipant, version: config.version, environment: config.environment })
    const answer = (await call(config, 'GET', `/can-i-deploy?${query.toString()}`)) as {
      summary?: { deployable?: boolean | null; reason?: string }
    }
    verdicts.push({
      pacticipant,
      deployable: answer.summary?.deployable === true,
      reason: answer.summary?.reason ?? 'the broker gave no reason',
    })
  }
  return verdicts
}
