// A Botpress client without HTTP, for calling an integration's handlers directly: each method is the API operation of
// the same name (operations.ts), so it validates, records and fails like the HTTP API. Answers are copies (as over
// HTTP), and API errors become the ApiError classes @botpress/client throws, so `isApiError(e) && e.code === 404`
// works alike.
import { errorFrom, type Client } from '@botpress/client'
import { ApiError } from './api-error.js'
import { callOperation, OPERATIONS, type Created, type OperationName } from './operations.js'
import type { BotpressStore } from './store.js'

export type InProcessClient = Pick<Client, OperationName>

export function createInProcessClient(store: BotpressStore, onCreated?: (created: Created) => void): InProcessClient {
  const method = (name: OperationName) => async (input: unknown) => {
    try {
      return structuredClone(callOperation(store, name, structuredClone(input), onCreated))
    } catch (thrown) {
      if (thrown instanceof ApiError) throw errorFrom(thrown.toBody())
      throw thrown
    }
  }
  const names = Object.keys(OPERATIONS) as OperationName[]
  return Object.fromEntries(names.map((name) => [name, method(name)])) as unknown as InProcessClient
}
