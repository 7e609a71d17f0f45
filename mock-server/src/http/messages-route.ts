import type { FastifyInstance } from 'fastify'
import type { Simulator } from '../simulator.js'
import { admitSession } from './admission.js'
import { fastifyPollReply } from './poll-reply.js'
import type { Query } from './request.js'

/** System/Messages: the long poll that carries every server event (§4). */
export function messagesRoute(app: FastifyInstance, sim: Simulator): void {
  app.get<{ Querystring: Query }>('/System/Messages', async (req, reply) => {
    const admitted = await admitSession(sim, req, reply, 'Messages', 'pollable')
    if (!admitted) return reply
    sim.chasitor.pollMessages(admitted.session, { ack: req.query.ack, pc: req.query.pc }, fastifyPollReply(reply))
    return reply
  })
}
