// Shared plumbing of the provider verifications.
import type { IncomingMessage } from 'node:http'
import type { VerifierOptions } from '@pact-foundation/pact'
import { BrokerConfigError, brokerConfig } from './broker.js'

/** Set to `true` in CI to verify the pacts in the broker (and publish the results) instead of the local files. */
export const VERIFY_FROM_BROKER = 'PACT_VERIFY_FROM_BROKER'

/**
 * Which pacts to verify. By default the file the consumer phase just wrote. With PACT_VERIFY_FROM_BROKER=true: the
 * broker's pacts for this provider (the consumers' main branch, the same branch, and what is deployed or released)
 * and the results are published with this commit as the provider version, which is what can-i-deploy reads.
 */
export function pactSource(localFile: string, env: NodeJS.ProcessEnv = process.env): Partial<VerifierOptions> {
  if (env[VERIFY_FROM_BROKER] !== 'true') return { pactUrls: [localFile] }
  const config = brokerConfig(env)
  if (!config) throw new BrokerConfigError(`${VERIFY_FROM_BROKER}=true needs PACT_BROKER_BASE_URL`)
  const credentials = config.credentials
  return {
    pactBrokerUrl: config.baseUrl,
    ...(credentials && 'token' in credentials ? { pactBrokerToken: credentials.token } : {}),
    ...(credentials && 'username' in credentials
      ? { pactBrokerUsername: credentials.username, pactBrokerPassword: credentials.password }
      : {}),
    consumerVersionSelectors: [{ mainBranch: true }, { matchingBranch: true }, { deployedOrReleased: true }],
    publishVerificationResult: true,
    providerVersion: config.version,
    ...(config.branch ? { providerVersionBranch: config.branch } : {}),
  }
}

export type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>

/** The proxy's request filter: an express middleware, typed here without express's types. */
export type RequestFilter = (
  req: IncomingMessage & { body?: unknown; path?: string },
  res: unknown,
  next: () => void
) => void

/** The verifier's own calls to set up and tear down provider states go through the request filter too. */
export const STATE_SETUP_PATH = '/_pactSetup'

/** One mismatch of a failed verification, as the verifier reports it. */
export interface VerificationMismatch {
  interaction: string
  mismatch: string
}

/**
 * The mismatches of a failed verification. `verifyProvider()` rejects with an Error whose message is the
 * verifier's JSON report; anything else (a missing pact file, a crash) is rethrown, so a test that expects a
 * mismatch cannot pass for the wrong reason.
 */
export function mismatchesOf(error: unknown): VerificationMismatch[] {
  const message = error instanceof Error ? error.message : String(error)
  let report: { errors?: { interaction: string; mismatch?: { mismatches?: { mismatch: string }[] } }[] }
  try {
    report = JSON.parse(message) as typeof report
  } catch {
    throw error
  }
  const found = (report.errors ?? []).flatMap((e) =>
    (e.mismatch?.mismatches ?? []).map((m) => ({ interaction: e.interaction, mismatch: m.mismatch }))
  )
  if (found.length === 0) throw error
  return found
}

/** Runs `verify` with PACT_DESCRIPTION set: the verifier then checks only the interactions whose description matches. */
export async function onlyInteractions<T>(descriptionPattern: string, verify: () => Promise<T>): Promise<T> {
  const previous = process.env.PACT_DESCRIPTION
  process.env.PACT_DESCRIPTION = descriptionPattern
  try {
    return await verify()
  } finally {
    if (previous === undefined) delete process.env.PACT_DESCRIPTION
    else process.env.PACT_DESCRIPTION = previous
  }
}
