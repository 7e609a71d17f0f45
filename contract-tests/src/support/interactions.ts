// Several interactions in one consumer test: PactV4 keeps every interaction registered until `executeTest` runs, so
// the test can play a whole conversation against one mock server and the client can carry its state (cursor,
// ack, sequence) from one interaction to the next.
import { setTimeout as sleep } from 'node:timers/promises'
import type { PactV4 } from '@pact-foundation/pact'
import { getFfiLib } from '@pact-foundation/pact-core'
import type { V4InteractionWithResponse } from '@pact-foundation/pact/src/v4/http/types.js'

/** Registers one HTTP interaction on a pact. */
export type Interaction = (pact: PactV4) => V4InteractionWithResponse

/** Longest wait for the mock server to book the last request (a failing test waits this long, a passing one not). */
const SETTLE_TIMEOUT_MS = 1000
const SETTLE_PROBE_MS = 5

/**
 * Waits until the Pact mock server on `port` has booked every expected request as matched, or the timeout ran out.
 * Pact 16.3+ books matches asynchronously, after the answer went out; under CPU load `executeTest` can check before
 * the last match is booked and report "expected but not received" for a request that was answered
 * (pact-foundation/pact-reference#535). Waiting here, before the test function returns, closes that window.
 */
async function settle(port: number): Promise<void> {
  const ffi = getFfiLib()
  const deadline = Date.now() + SETTLE_TIMEOUT_MS
  while (!ffi.pactffiMockServerMatched(port) && Date.now() < deadline) await sleep(SETTLE_PROBE_MS)
}

/** Registers every interaction but the last, then runs `test` against the Pact mock server with all of them. */
export function executeAll<T>(
  pact: PactV4,
  interactions: Interaction[],
  test: (mockServerUrl: string) => Promise<T>
): Promise<T | undefined> {
  const last = interactions.at(-1)
  if (!last) throw new Error('executeAll needs at least one interaction')
  for (const register of interactions.slice(0, -1)) register(pact)
  return last(pact).executeTest(async (mock) => {
    try {
      return await test(mock.url)
    } finally {
      await settle(mock.port)
    }
  })
}
