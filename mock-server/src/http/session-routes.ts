import type { FastifyInstance } from 'fastify'
import { BODY } from '../protocol.js'
import type { Simulator } from '../simulator.js'
import { admit } from './admission.js'
import { sendText } from './send.js'

/** System/SessionId: a visitor opens a session (GET) or ends it (DELETE with its key) (§3.1). */
export function sessionRoutes(app: FastifyInstance, sim: Simulator): void {
  app.get('/System/SessionId', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'SessionId'))) return reply
    return reply.send(sim.chasitor.openSession())
  })

  app.delete<{ Params: { key: string } }>('/System/SessionId/:key', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'SessionId'))) return reply
    sim.chasitor.deleteSession(req.params.key)
    return sendText(reply, 200, BODY.ok)
  })
}
