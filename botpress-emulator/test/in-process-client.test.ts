// The in-process client answers like the HTTP API: the same validation, errors, copies and call log.
import { describe, expect, it } from '@jest/globals'
import { isApiError } from '@botpress/client'
import { BotpressStore, createInProcessClient, type Created } from '../src/index.js'

describe('the in-process client', () => {
  const reject = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (thrown: unknown) => thrown
    )

  it('answers copies, so a caller cannot change the store behind the API', async () => {
    const store = new BotpressStore()
    const client = createInProcessClient(store)
    const { user } = await client.createUser({ name: 'Ada', tags: { email: 'ada@example.com' } })
    user.tags.email = 'changed@example.com'
    expect(store.getUser({ id: user.id }).user.tags.email).toBe('ada@example.com')
  })

  it('throws the ApiErrors @botpress/client throws: 404, 400 for bad input, scheduled 500', async () => {
    const store = new BotpressStore()
    const client = createInProcessClient(store)
    const missing = await reject(client.getConversation({ id: 'conv_nope' }))
    expect(isApiError(missing) && [missing.code, missing.type]).toEqual([404, 'ResourceNotFound'])
    const bad = await reject(client.createConversation({ channel: '', tags: {} }))
    expect(isApiError(bad) && bad.code).toBe(400)
    expect(store.conversations.size).toBe(0)
    store.failNext('createEvent', 2)
    for (const _ of [1, 2]) {
      const failed = await reject(client.createEvent({ type: 'hitlStopped', payload: {} }))
      expect(isApiError(failed) && failed.code).toBe(500)
    }
    await client.createEvent({ type: 'hitlStopped', payload: {} })
    expect(store.events).toHaveLength(1)
    expect(store.callsOf('createEvent')).toHaveLength(3)
  })

  it('reports what the integration created, for the bot to hear', async () => {
    const store = new BotpressStore()
    const created: Created[] = []
    const client = createInProcessClient(store, (item) => void created.push(item))
    const { event } = await client.createEvent({ type: 'hitlAssigned', payload: { conversationId: 'c', userId: 'u' } })
    expect(created).toEqual([{ kind: 'event', event }])
  })
})
