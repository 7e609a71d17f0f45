import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AdminError } from '../errors.js'
import { adminBody, answerAdminErrors } from '../http/admin-http.js'
import type { EnhancedChatAdmin } from './admin.js'
import type { EnhancedFaultSpec } from './faults.js'

const text = z.string().min(1, 'must not be empty')
const conversationId = z.string().min(1).optional()
const schemas = {
  accept: z.strictObject({ agentName: text.optional() }),
  message: z.strictObject({ text }),
  typing: z.strictObject({ typing: z.boolean() }),
  queue: z.strictObject({ position: z.number().int().min(0) }),
  transfer: z.strictObject({ agentName: text }),
  empty: z.strictObject({}),
  drop: z.strictObject({ conversationId }),
  closeAfter: z.strictObject({ events: z.number().int().min(0), conversationId }),
}

const body = adminBody

type IdParams = { Params: { id: string } }

/** /__admin/enhanced: the EnhancedChatAdmin handle over HTTP (JSON in, JSON out, {error} with a 4xx on bad input). */
export function enhancedAdminRoutes(admin: EnhancedChatAdmin) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    answerAdminErrors(app)

    const ok = { ok: true }
    const conversation = (id: string) => {
      const view = admin.conversation(id)
      if (!view) throw new AdminError(404, `No Enhanced Chat conversation with id ${id}`)
      return view
    }

    app.get('/conversations', async () => admin.conversations())
    app.get<IdParams>('/conversations/:id', async (req) => conversation(req.params.id))
    app.post<IdParams>('/conversations/:id/accept', async (req) => {
      admin.accept(req.params.id, body(schemas.accept, req.body))
      return ok
    })
    app.post<IdParams>('/conversations/:id/message', async (req) => {
      admin.agentMessage(req.params.id, body(schemas.message, req.body).text)
      return ok
    })
    app.post<IdParams>('/conversations/:id/typing', async (req) => {
      admin.agentTyping(req.params.id, body(schemas.typing, req.body).typing)
      return ok
    })
    app.post<IdParams>('/conversations/:id/queue', async (req) => {
      admin.queueUpdate(req.params.id, body(schemas.queue, req.body).position)
      return ok
    })
    app.post<IdParams>('/conversations/:id/transfer', async (req) => {
      admin.transfer(req.params.id, body(schemas.transfer, req.body).agentName)
      return ok
    })
    app.post<IdParams>('/conversations/:id/end', async (req) => {
      body(schemas.empty, req.body)
      admin.endChat(req.params.id)
      return ok
    })
    app.post<IdParams>('/conversations/:id/expire-token', async (req) => {
      body(schemas.empty, req.body)
      admin.expireToken(req.params.id)
      return ok
    })
    app.post('/faults', async (req) => {
      admin.injectFault(req.body as EnhancedFaultSpec)
      return ok
    })
    app.get('/streams', async () => ({ open: admin.openStreams() }))
    app.post('/streams/drop', async (req) => ({
      dropped: admin.dropStreams(body(schemas.drop, req.body).conversationId),
    }))
    app.post('/streams/close-after', async (req) => {
      const { events, conversationId: id } = body(schemas.closeAfter, req.body)
      return { streams: admin.closeStreamsAfter(events, id) }
    })
    app.post('/reset', async () => {
      admin.reset()
      return ok
    })
  }
}
