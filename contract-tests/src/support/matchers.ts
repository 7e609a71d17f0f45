// `MatchersV3.fromProviderState` matches by type only: in the consumer test any session key, any ack, any chat id
// would pass. The contracts here need more: the client must send back exactly what it was given (the key from
// SessionId, the ack from the last batch, the chat id from the create answer). So this matcher combines the
// equality rule (exact value in the consumer test) with the provider-state generator (the verifier injects the
// value the state handler returns). Both are plain Pact matcher JSON; the Rust core reads them together.
import type { MatchersV3 } from '@pact-foundation/pact'

type ProviderStateMatcher = ReturnType<typeof MatchersV3.fromProviderState<string>>

/** `expression` (e.g. `${sessionKey}`, `/v1/chats/${chatId}`) from the provider state; `example` exactly, here. */
export function providerValue(expression: string, example: string): ProviderStateMatcher {
  return {
    'pact:matcher:type': 'equality',
    'pact:generator:type': 'ProviderState',
    expression,
    value: example,
  } as unknown as ProviderStateMatcher
}
