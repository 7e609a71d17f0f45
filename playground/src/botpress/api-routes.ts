// The part of the Botpress API (`/v1/chat/...`) an integration calls through @botpress/client: users, conversations,
// messages, events and states. Paths, bodies and answers follow the client 1.35 the integration ships with. Messages
// and events the integration creates are handed to `onCreated`, which plays Botpress's part of telling the bot.
import type { Event, Message } from '@botpress/client'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { invalidInput, type BotpressStore, type StateKey, type Tags } from './store.js'

const tags = z.record(z.string(), z.string().nullable().optional()).optional()
const payload = z.record(z.string(), z.unknown())
const id = z.string().min(1)

const schemas = {
  createUser: z.object({ name: z.string().optional(), pictureUrl: z.string().optional(), tags }),
  getOrCreateUser: z.object({
    name: z.string().optional(),
    pictureUrl: z.string().optional(),
    tags: z.record(z.string(), z.string()),
    discriminateByTags: z.array(z.string()).optional(),
  }),
  updateUser: z.object({ name: z.string().optional(), pictureUrl: z.string().optional(), tags }),
  createConversation: z.object({ channel: z.string().min(1), tags }),
  getOrCreateConversation: z.object({
    channel: z.string().min(1),
    tags: z.record(z.string(), z.string()),
    discriminateByTags: z.array(z.string()).optional(),
  }),
  updateConversation: z.object({ tags }),
  createMessage: z.object({
    conversationId: id,
    userId: id,
    type: z.string().min(1),
    payload,
    tags,
  }),
  getOrCreateMessage: z.object({
    conversationId: id,
    userId: id,
    type: z.string().min(1),
    payload,
    tags: z.record(z.string(), z.string()),
    discriminateByTags: z.array(z.string()).optional(),
  }),
  updateMessage: z.object({ tags }),
  createEvent: z.object({
    type: z.string().min(1),
    payload,
    conversationId: z.string().optional(),
    userId: z.string().optional(),
    messageId: z.string().optional(),
  }),
  setState: z.object({ payload: payload.nullable() }),
  patchState: z.object({ payload }),
}

function parse<S extends z.ZodType>(schema: S, body: unknown, operation: string): z.output<S> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalidInput(`${operation}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/** `tags.chatId=x` (qs with dots, as @botpress/client sends it) → { chatId: 'x' }. */
const tagsFromQuery = (query: Record<string, unknown>): Tags | undefined => {
  const entries = Object.entries(query)
    .filter(([key, value]) => key.startsWith('tags.') && typeof value === 'string')
    .map(([key, value]) => [key.slice('tags.'.length), value as string])
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

const STATE_TYPES = new Set(['conversation', 'user', 'bot', 'task', 'integration', 'workflow'])

const stateKeyOf = (params: Record<string, string>): StateKey => {
  if (!STATE_TYPES.has(params.type ?? '')) throw invalidInput(`unknown state type "${params.type}"`)
  return { type: params.type as StateKey['type'], id: params.id ?? '', name: params.name ?? '' }
}

export type CreatedByIntegration = { kind: 'message'; message: Message } | { kind: 'event'; event: Event }

export type ApiRoutesOptions = {
  store: BotpressStore
  /** The conversations the integration creates belong to it. */
  integrationName: string
  onCreated: (created: CreatedByIntegration) => void
}

export function registerApiRoutes(app: FastifyInstance, options: ApiRoutesOptions): void {
  const { store, integrationName, onCreated } = options
  type Params = Record<string, string>
  const params = (request: { params: unknown }) => request.params as Params

  app.post('/v1/chat/users', async (request) => {
    const input = parse(schemas.createUser, request.body, 'createUser')
    return { user: store.createUser(input) }
  })
  app.post('/v1/chat/users/get-or-create', async (request) => ({
    user: store.getOrCreateUser(parse(schemas.getOrCreateUser, request.body, 'getOrCreateUser')),
  }))
  app.get('/v1/chat/users/:id', async (request) => ({ user: store.getUser(params(request).id ?? '') }))
  app.put('/v1/chat/users/:id', async (request) => {
    const input = parse(schemas.updateUser, request.body, 'updateUser')
    return { user: store.updateUser({ ...input, id: params(request).id ?? '' }) }
  })

  app.post('/v1/chat/conversations', async (request) => {
    const input = parse(schemas.createConversation, request.body, 'createConversation')
    return {
      conversation: store.createConversation({ ...input, integration: integrationName }),
    }
  })
  app.post('/v1/chat/conversations/get-or-create', async (request) => {
    const input = parse(schemas.getOrCreateConversation, request.body, 'getOrCreateConversation')
    return { conversation: store.getOrCreateConversation({ ...input, integration: integrationName }) }
  })
  app.get('/v1/chat/conversations', async (request) => {
    const query = request.query as Record<string, unknown>
    return {
      conversations: store.listConversations({
        ...(typeof query.channel === 'string' ? { channel: query.channel } : {}),
        ...(query.sortDirection === 'desc' ? { sortDirection: 'desc' as const } : {}),
        ...(tagsFromQuery(query) ? { tags: tagsFromQuery(query) } : {}),
      }),
      meta: {},
    }
  })
  app.get('/v1/chat/conversations/:id', async (request) => ({
    conversation: store.getConversation(params(request).id ?? ''),
  }))
  app.put('/v1/chat/conversations/:id', async (request) => {
    const input = parse(schemas.updateConversation, request.body, 'updateConversation')
    return { conversation: store.updateConversation({ id: params(request).id ?? '', tags: input.tags }) }
  })

  // Messages an integration creates are incoming messages for the bot (an agent writing, a notice).
  app.post('/v1/chat/messages', async (request) => {
    const input = parse(schemas.createMessage, request.body, 'createMessage')
    const message = store.createMessage({ ...input, direction: 'incoming' })
    onCreated({ kind: 'message', message })
    return { message }
  })
  app.post('/v1/chat/messages/get-or-create', async (request) => {
    const input = parse(schemas.getOrCreateMessage, request.body, 'getOrCreateMessage')
    const { message, created } = store.getOrCreateMessage({ ...input, direction: 'incoming' })
    if (created) onCreated({ kind: 'message', message })
    return { message }
  })
  app.get('/v1/chat/messages', async (request) => {
    const query = request.query as Record<string, unknown>
    return {
      messages: store.listMessages({
        ...(typeof query.conversationId === 'string' ? { conversationId: query.conversationId } : {}),
        ...(tagsFromQuery(query) ? { tags: tagsFromQuery(query) } : {}),
      }),
      meta: {},
    }
  })
  app.get('/v1/chat/messages/:id', async (request) => ({ message: store.getMessage(params(request).id ?? '') }))
  app.put('/v1/chat/messages/:id', async (request) => {
    const input = parse(schemas.updateMessage, request.body, 'updateMessage')
    return { message: store.updateMessage({ id: params(request).id ?? '', tags: input.tags }) }
  })

  app.post('/v1/chat/events', async (request) => {
    const event = store.createEvent(parse(schemas.createEvent, request.body, 'createEvent'))
    onCreated({ kind: 'event', event })
    return { event }
  })
  app.get('/v1/chat/events/:id', async (request) => ({ event: store.getEvent(params(request).id ?? '') }))

  app.get('/v1/chat/states/:type/:id/:name', async (request) => ({
    state: store.getState(stateKeyOf(params(request))),
    meta: { cached: false },
  }))
  app.post('/v1/chat/states/:type/:id/:name', async (request) => {
    const { payload: value } = parse(schemas.setState, request.body, 'setState')
    return { state: store.setState(stateKeyOf(params(request)), value) }
  })
  app.patch('/v1/chat/states/:type/:id/:name', async (request) => {
    const { payload: value } = parse(schemas.patchState, request.body, 'patchState')
    return { state: store.patchState(stateKeyOf(params(request)), value) }
  })
  app.post('/v1/chat/states/:type/:id/:name/get-or-set', async (request) => {
    const { payload: value } = parse(schemas.patchState, request.body, 'getOrSetState')
    return { state: store.getOrSetState(stateKeyOf(params(request)), value), meta: { cached: false } }
  })
}
