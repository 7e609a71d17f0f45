// Several interactions in one consumer test: PactV4 keeps every interaction registered until `executeTest` runs, so
// the test can play a whole conversation against one mock server and the client can carry its state (cursor,
// ack, sequence) from one interaction to the next.
import type { PactV4 } from '@pact-foundation/pact'
import type { V4InteractionWithResponse } from '@pact-foundation/pact/src/v4/http/types.js'

/** Registers one HTTP interaction on a pact. */
export type Interaction = (pact: PactV4) => V4InteractionWithResponse

/** Registers every interaction but the last, then runs `test` against the Pact mock server with all of them. */
export function executeAll<T>(
  pact: PactV4,
  interactions: Interaction[],
  test: (mockServerUrl: string) => Promise<T>
): Promise<T | undefined> {
  const last = interactions.at(-1)
  if (!last) throw new Error('executeAll needs at least one interaction')
  for (const register of interactions.slice(0, -1)) register(pact)
  return last(pact).executeTest((mock) => test(mock.url))
}
