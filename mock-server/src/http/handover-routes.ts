import type { FastifyInstance } from 'fastify'
import { BODY, HEADER } from '../protocol.js'
import type { Simulator } from '../simulator.js'
import { admitSession } from './admission.js'
import { parseJson, resyncStateSchema, validate } from './chasitor-schemas.js'
import { header, type Query } from './request.js'
import { sendText } from './send.js'

/** The two requests that finish a server hand-over: ReconnectSession, then ChasitorResyncState (§4.5). */
export function handoverRoutes(app: FastifyInstance, sim: Simulator): void {
  app.get<{ Querystring: Query }>('/System/ReconnectSession', async (req, reply) => {
    // Admitted like Messages: a chat the agent ended while a hand-over was under way can still be drained of its
    // ChatEnded, which needs the hand-over finished first.
    const admitted = await admitSession(sim, req, reply, 'ReconnectSession', 'pollable')
    if (!admitted) return reply
    const affinityToken = sim.chasitor.reconnect(admitted.session, {
      version: admitted.version,
      affinity: header(req, HEADER.affinity),
      offset: req.query['ReconnectSession.offset'],
    })
    return reply.send({ messages: [{ type: 'ReconnectSession', message: { resetSequence: true, affinityToken } }] })
  })

  app.post('/Chasitor/ChasitorResyncState', async (req, reply) => {
    const admitted = await admitSession(sim, req, reply, 'ChasitorResyncState', 'required')
    if (!admitted) return reply
    const { organizationId } = validate(resyncStateSchema, parseJson(req.body), 'ChasitorResyncState')
    sim.chasitor.resyncState(admitted.session, organizationId)
    return sendText(reply, 200, BODY.ok)
  })
}
