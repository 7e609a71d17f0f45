// The Salesforce side of the integration's end-to-end tests, on either backend: the simulator (manual scenario, its
// admin API plays the agent) and the real hop server (SQLite in a temp folder) allowed to call it; and, for the
// tests that run the integration behind the SDK's dispatcher, that integration configured for the backend.
import type { Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startHopServer, type HopServer } from '@liveagent-hop/hop-server'
import { ephemeralLoopbackTargets } from '@liveagent-hop/hop-server/testing'
import { afterAll, beforeAll } from '@jest/globals'
import { SAMPLE_IDS, startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import type { ConfigurationInput } from '../../src/definitions/configuration.js'
import { testConfiguration, TEST_SECRET, TEST_TENANT } from './fakes.js'
import { IntegrationServer } from './integration-server.js'

export type Backend = 'live-agent' | 'enhanced-chat'

/** How long the mock holds a Live Agent long poll open. */
const MOCK_HOLD_MS = 300
/** How long the simulator waits before an Enhanced Chat accept takes effect. */
const MOCK_ACCEPT_DELAY_MS = 20
/** Short leases, back-offs and pacing, so that a hand-off settles in well under a second. */
const FAST_HOP = {
  leases: { ttlMs: 1500, renewMs: 400, scanMs: 250 },
  webhooks: { backoffBaseMs: 50, backoffMaxMs: 400, timeoutMs: 2000 },
  pump: { transcriptPaceMs: 30, visitorMessageGapMs: 10, liveAgentRetryBudgetMs: 2000 },
}
const SETTLE_TIMEOUT_MS = 10_000
const POLL_MS = 25

export interface HopStack {
  readonly mock: MockServer
  readonly hop: HopServer
  close(): Promise<void>
}

export interface EndToEnd extends HopStack {
  readonly bp: IntegrationServer
}

/** The simulator for `backend` and a hop server that may call it; `fast` shortens its timings (FAST_HOP). */
export async function startHopStack(backend: Backend, options: { fast?: boolean } = {}): Promise<HopStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `integration-${backend}-`))
  const mock = await startMockServer(
    backend === 'live-agent'
      ? { scenario: 'manual', holdMs: MOCK_HOLD_MS, logLevel: 'silent' }
      : { scenario: 'manual', acceptDelayMs: MOCK_ACCEPT_DELAY_MS, logLevel: 'silent' }
  )
  const hop = await startHopServer({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    dataDir,
    tenants: { [TEST_TENANT]: TEST_SECRET },
    // The mock and the local Botpress take their ports from the OS.
    security: { loopbackTargets: ephemeralLoopbackTargets() },
    ...(options.fast ? FAST_HOP : {}),
  })
  return {
    mock,
    hop,
    async close() {
      await hop.close()
      await mock.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The integration settings that point it at the stack's simulator on `backend`. */
export function backendSettings(backend: Backend, mock: MockServer): Partial<ConfigurationInput> {
  return backend === 'live-agent'
    ? {
        liveAgentEndpoint: `${mock.url}/chat`,
        organizationId: SAMPLE_IDS.orgId,
        deploymentId: SAMPLE_IDS.deploymentId,
        buttonId: SAMPLE_IDS.buttonId,
      }
    : {
        backend: 'enhanced-chat',
        liveAgentEndpoint: undefined,
        deploymentId: undefined,
        buttonId: undefined,
        scrtUrl: mock.url,
        organizationId: mock.options.orgId,
        esDeveloperName: mock.options.esDeveloperName,
      }
}

/**
 * The whole path on `backend`: a fast hop stack and the integration behind the SDK's dispatcher and a fake Botpress,
 * configured for it (plus `settings`). `listen` serves another handler (the bundle test's built one).
 */
export async function startEndToEnd(
  backend: Backend,
  settings: Partial<ConfigurationInput> = {},
  listen?: () => Promise<Server>
): Promise<EndToEnd> {
  const stack = await startHopStack(backend, { fast: true })
  const configuration = testConfiguration(stack.hop.url, { ...backendSettings(backend, stack.mock), ...settings })
  const bp = await IntegrationServer.start(configuration, listen).catch(async (error: unknown) => {
    await stack.close()
    throw error
  })
  return {
    ...stack,
    bp,
    async close() {
      await bp.close()
      await stack.close()
    },
  }
}

/**
 * startEndToEnd before the describe's tests and close after (registers its beforeAll and afterAll); the returned
 * fields are there once beforeAll has run.
 */
export function useEndToEnd(backend: Backend, settings: Partial<ConfigurationInput> = {}): Omit<EndToEnd, 'close'> {
  let stack: EndToEnd | undefined
  beforeAll(async () => {
    stack = await startEndToEnd(backend, settings)
  })
  afterAll(() => stack?.close())
  const started = (): EndToEnd => {
    if (!stack) throw new Error('the end-to-end stack is not started: use it inside a test of this describe')
    return stack
  }
  return {
    get mock() {
      return started().mock
    },
    get hop() {
      return started().hop
    },
    get bp() {
      return started().bp
    },
  }
}

/** Polls `probe` until it gives a value (not undefined or false); throws naming `what` once it has waited too long. */
export async function eventually<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(POLL_MS)
  }
}

/** An action's output, from the fake Botpress's answer. */
export const output = <T>(response: { body: unknown }): T => (response.body as { output: T }).output

/** The customer writes `text` in the hitl conversation (Botpress calls the integration's channel handler). */
export const customerSays = (bp: IntegrationServer, ids: { conversationId: string; userId: string }, text: string) =>
  bp.botpress.sendOutgoingMessage({ ...ids, type: 'text', payload: { text, userId: ids.userId } })

/** A conversation's stored transcript as `author: text` lines. */
export const transcriptOf = (bp: IntegrationServer, conversationId: string): string[] =>
  bp.botpress.store.transcript(conversationId).map((line) => `${line.user}: ${line.text}`)

/** createUser then startHitl with a short bot conversation, as the HITL plugin does; the ids it gives. */
export async function startHitlFor(
  bp: IntegrationServer,
  name: string
): Promise<{ userId: string; conversationId: string }> {
  const { userId } = output<{ userId: string }>(await bp.botpress.callAction('createUser', { name }))
  const started = await bp.botpress.callAction('startHitl', {
    userId,
    title: 'Late parcel',
    messageHistory: [
      { source: { type: 'user', userId }, type: 'text', payload: { text: 'Where is my order?' } },
      { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me check.' } },
      { source: { type: 'user', userId }, type: 'text', payload: { text: 'I want to talk to a human' } },
    ],
  })
  if (started.status !== 200) throw new Error(`startHitl answered ${started.status}: ${JSON.stringify(started.body)}`)
  return { userId, conversationId: output<{ conversationId: string }>(started).conversationId }
}
