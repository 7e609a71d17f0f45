import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { MockAdmin } from '../admin.js'
import { AdminError } from '../errors.js'
import { adminBody, answerAdminErrors } from './admin-http.js'

const text = z.string().min(1, 'must not be empty')
const schemas = {
  accept: z.strictObject({ agentName: text.optional() }),
  message: z.strictObject({ text }),
  typing: z.strictObject({ typing: z.boolean() }),
  queue: z.strictObject({ position: z.number().int().min(0) }),
  transfer: z.strictObject({ agentName: text }),
  end: z.strictObject({ reason: text.optional() }),
  availability: z.strictObject({ available: z.boolean(), buttonId: z.string().optional() }),
}

const body = adminBody

type IdParams = { Params: { id: string } }

/** /__admin: the MockAdmin handle over HTTP (JSON in, JSON out, {error} with a 4xx on bad input). */
export function adminRoutes(admin: MockAdmin) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    answerAdminErrors(app)

    const ok = { ok: true }

    app.get('/chats', async () => admin.chats())
    app.get<IdParams>('/chats/:id', async (req) => {
      const chat = admin.chat(req.params.id)
      if (!chat) throw new AdminError(404, `No chat with id ${req.params.id}`)
      return chat
    })
    app.post<IdParams>('/chats/:id/accept', async (req) => {
      admin.accept(req.params.id, body(schemas.accept, req.body))
      return ok
    })
    app.post<IdParams>('/chats/:id/message', async (req) => {
      admin.agentMessage(req.params.id, body(schemas.message, req.body).text)
      return ok
    })
    app.post<IdParams>('/chats/:id/typing', async (req) => {
      admin.agentTyping(req.params.id, body(schemas.typing, req.body).typing)
      return ok
    })
    app.post<IdParams>('/chats/:id/queue', async (req) => {
      admin.queueUpdate(req.params.id, body(schemas.queue, req.body).position)
      return ok
    })
    app.post<IdParams>('/chats/:id/transfer', async (req) => {
      admin.transfer(req.params.id, body(schemas.transfer, req.body).agentName)
      return ok
    })
    app.post<IdParams>('/chats/:id/end', async (req) => {
      admin.endChat(req.params.id, body(schemas.end, req.body).reason)
      return ok
    })
    app.post<IdParams>('/chats/:id/expire', async (req) => {
      admin.expire(req.params.id)
      return ok
    })
    app.put('/availability', async (req) => {
      const { available, buttonId } = body(schemas.availability, req.body)
      admin.setAvailability(available, buttonId)
      return ok
    })
    app.post('/faults', async (req) => {
      admin.injectFault(req.body as Parameters<MockAdmin['injectFault']>[0])
      return ok
    })
    app.get('/stats', async () => admin.stats())
    app.post('/reset', async () => {
      admin.reset()
      return ok
    })
  }
}
