// The API operations, each with the input Botpress Cloud accepts and what it does to the store. One table serves the
// HTTP routes and the in-process client alike: a call is recorded, checked, run, and reported when it created
// something the bot hears of.
// Where the two earlier emulations disagreed: the integration tests' fake API and client ran any input, the
// playground's answered bad input with a 400 InvalidPayload. The Cloud checks each request against the API schema
// @botpress/client 1.35 is generated from (its input types), so both paths now refuse what it would refuse, and an
// integration cannot pass a test with a call the Cloud would reject.
import type { Event, Message } from '@botpress/client'
import { z } from 'zod'
import { invalidInput } from './api-error.js'
import type { BotpressStore } from './store.js'

const tags = z.record(z.string(), z.string().nullable().optional()).optional()
const requiredTags = z.record(z.string(), z.string().nullable().optional())
const filterTags = z.record(z.string(), z.string()).optional()
const payload = z.record(z.string(), z.unknown())
const id = z.string().min(1)
const name = z.string().optional()
const pictureUrl = z.string().optional()
const discriminateByTags = z.array(z.string()).optional()
const stateKey = {
  type: z.enum(['conversation', 'user', 'bot', 'task', 'integration', 'workflow']),
  id,
  name: z.string().min(1),
}

/** Something an integration created through the API: Botpress hands it to the bot. */
export type Created = { kind: 'message'; message: Message } | { kind: 'event'; event: Event }

type Operation<S extends z.ZodType> = {
  schema: S
  run: (store: BotpressStore, input: z.output<S>) => { answer: unknown; created?: Created }
}

const operation = <S extends z.ZodType>(
  schema: S,
  run: (store: BotpressStore, input: z.output<S>) => { answer: unknown; created?: Created }
): Operation<S> => ({ schema, run })
const answer = (value: unknown) => ({ answer: value })

export const OPERATIONS = {
  createUser: operation(z.object({ name, pictureUrl, tags }), (store, input) => answer(store.createUser(input))),
  getUser: operation(z.object({ id }), (store, input) => answer(store.getUser(input))),
  getOrCreateUser: operation(z.object({ name, pictureUrl, tags: requiredTags, discriminateByTags }), (store, input) =>
    answer(store.getOrCreateUser(input))
  ),
  updateUser: operation(z.object({ id, name, pictureUrl, tags }), (store, input) => answer(store.updateUser(input))),

  createConversation: operation(z.object({ channel: z.string().min(1), tags }), (store, input) =>
    answer(store.createConversation(input))
  ),
  getConversation: operation(z.object({ id }), (store, input) => answer(store.getConversation(input))),
  getOrCreateConversation: operation(
    z.object({ channel: z.string().min(1), tags: requiredTags, discriminateByTags }),
    (store, input) => answer(store.getOrCreateConversation(input))
  ),
  listConversations: operation(
    z.object({ channel: z.string().optional(), tags: filterTags, sortDirection: z.enum(['asc', 'desc']).optional() }),
    (store, input) => answer(store.listConversations(input))
  ),
  updateConversation: operation(z.object({ id, tags }), (store, input) => answer(store.updateConversation(input))),

  createMessage: operation(
    z.object({ conversationId: id, userId: id, type: z.string().min(1), payload, tags }),
    (store, input) => {
      const { message } = store.createMessage(input)
      return { answer: { message }, created: { kind: 'message', message } }
    }
  ),
  getOrCreateMessage: operation(
    z.object({
      conversationId: id,
      userId: id,
      type: z.string().min(1),
      payload,
      tags: requiredTags,
      discriminateByTags,
    }),
    (store, input) => {
      const { message, created } = store.getOrCreateMessage(input)
      return created ? { answer: { message }, created: { kind: 'message', message } } : answer({ message })
    }
  ),
  getMessage: operation(z.object({ id }), (store, input) => answer(store.getMessage(input))),
  updateMessage: operation(z.object({ id, tags }), (store, input) => answer(store.updateMessage(input))),
  listMessages: operation(z.object({ conversationId: z.string().optional(), tags: filterTags }), (store, input) =>
    answer(store.listMessages(input))
  ),

  createEvent: operation(
    z.object({
      type: z.string().min(1),
      payload,
      conversationId: z.string().optional(),
      userId: z.string().optional(),
      messageId: z.string().optional(),
    }),
    (store, input) => {
      const { event } = store.createEvent(input)
      return { answer: { event }, created: { kind: 'event', event } }
    }
  ),
  getEvent: operation(z.object({ id }), (store, input) => answer(store.getEvent(input))),

  getState: operation(z.object(stateKey), (store, input) => answer(store.getState(input))),
  setState: operation(z.object({ ...stateKey, payload: payload.nullable() }), (store, input) =>
    answer(store.setState(input))
  ),
  patchState: operation(z.object({ ...stateKey, payload }), (store, input) => answer(store.patchState(input))),
  getOrSetState: operation(z.object({ ...stateKey, payload }), (store, input) => answer(store.getOrSetState(input))),
}

export type OperationName = keyof typeof OPERATIONS

/**
 * Runs one API call against the store; `onCreated` plays Botpress's part of telling the bot. The call log keeps
 * `asReceived` (over HTTP: the query, path parameters and body as they came, so a test sees the client's encoding).
 */
export function callOperation(
  store: BotpressStore,
  name: OperationName,
  rawInput: unknown,
  onCreated?: (created: Created) => void,
  asReceived: unknown = rawInput
): unknown {
  store.record(name, structuredClone(asReceived))
  const { schema, run } = OPERATIONS[name] as Operation<z.ZodType>
  const parsed = schema.safeParse(rawInput ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalidInput(`${name}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`)
  }
  const result = run(store, parsed.data)
  if (result.created) onCreated?.(result.created)
  return result.answer
}
