// The part of the Botpress API (`/v1/chat/...`) an integration calls through @botpress/client 1.35: the path, query
// and body of each request become the operation's input (operations.ts), which checks and runs it.
import type { FastifyInstance } from 'fastify'
import { callOperation, type Created, type OperationName } from './operations.js'
import type { BotpressStore } from './store.js'

type Params = Record<string, string>
type Query = Record<string, unknown>
type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH'
  url: string
  operation: OperationName
  /** The operation's input from the request; by default the body. */
  input?: (request: { params: Params; query: Query; body: Record<string, unknown> }) => unknown
}

/** `tags.chatId=x` (qs with allowDots, as @botpress/client sends it) → { chatId: 'x' }. */
const tagsFromQuery = (query: Query): Record<string, string> | undefined => {
  const entries = Object.entries(query)
    .filter(([key, value]) => key.startsWith('tags.') && typeof value === 'string')
    .map(([key, value]) => [key.slice('tags.'.length), value as string])
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

const withId = ({ params, body }: { params: Params; body: Record<string, unknown> }) => ({ ...body, id: params.id })
const byId = ({ params }: { params: Params }) => ({ id: params.id })
const withStateKey = ({ params, body }: { params: Params; body: Record<string, unknown> }) => ({
  ...body,
  type: params.type,
  id: params.id,
  name: params.name,
})
const listQuery =
  (...keys: string[]) =>
  ({ query }: { query: Query }) => ({
    ...Object.fromEntries(keys.filter((key) => typeof query[key] === 'string').map((key) => [key, query[key]])),
    ...(tagsFromQuery(query) ? { tags: tagsFromQuery(query) } : {}),
  })

const ROUTES: Route[] = [
  { method: 'POST', url: '/v1/chat/users', operation: 'createUser' },
  { method: 'POST', url: '/v1/chat/users/get-or-create', operation: 'getOrCreateUser' },
  { method: 'GET', url: '/v1/chat/users/:id', operation: 'getUser', input: byId },
  { method: 'PUT', url: '/v1/chat/users/:id', operation: 'updateUser', input: withId },

  { method: 'POST', url: '/v1/chat/conversations', operation: 'createConversation' },
  { method: 'POST', url: '/v1/chat/conversations/get-or-create', operation: 'getOrCreateConversation' },
  {
    method: 'GET',
    url: '/v1/chat/conversations',
    operation: 'listConversations',
    input: listQuery('channel', 'sortDirection'),
  },
  { method: 'GET', url: '/v1/chat/conversations/:id', operation: 'getConversation', input: byId },
  { method: 'PUT', url: '/v1/chat/conversations/:id', operation: 'updateConversation', input: withId },

  { method: 'POST', url: '/v1/chat/messages', operation: 'createMessage' },
  { method: 'POST', url: '/v1/chat/messages/get-or-create', operation: 'getOrCreateMessage' },
  { method: 'GET', url: '/v1/chat/messages', operation: 'listMessages', input: listQuery('conversationId') },
  { method: 'GET', url: '/v1/chat/messages/:id', operation: 'getMessage', input: byId },
  { method: 'PUT', url: '/v1/chat/messages/:id', operation: 'updateMessage', input: withId },

  { method: 'POST', url: '/v1/chat/events', operation: 'createEvent' },
  { method: 'GET', url: '/v1/chat/events/:id', operation: 'getEvent', input: byId },

  { method: 'GET', url: '/v1/chat/states/:type/:id/:name', operation: 'getState', input: withStateKey },
  { method: 'POST', url: '/v1/chat/states/:type/:id/:name', operation: 'setState', input: withStateKey },
  { method: 'PATCH', url: '/v1/chat/states/:type/:id/:name', operation: 'patchState', input: withStateKey },
  {
    method: 'POST',
    url: '/v1/chat/states/:type/:id/:name/get-or-set',
    operation: 'getOrSetState',
    input: withStateKey,
  },
]

export function registerApiRoutes(
  app: FastifyInstance,
  store: BotpressStore,
  onCreated: (created: Created) => void
): void {
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request) => {
        const parts = {
          params: request.params as Params,
          query: request.query as Query,
          body: (request.body ?? {}) as Record<string, unknown>,
        }
        const input = route.input ? route.input(parts) : parts.body
        return callOperation(store, route.operation, input, onCreated, {
          ...parts.query,
          ...parts.params,
          ...parts.body,
        })
      },
    })
  }
}
