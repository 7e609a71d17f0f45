import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SessionNeed, TransportFault } from '../chasitor-requests.js'
import type { Resource } from '../protocol.js'
import type { SimulatedChat } from '../simulated-chat.js'
import type { Simulator } from '../simulator.js'
import { chasitorRequest } from './request.js'

export interface Admitted {
  version: number
  /** A 'drop' fault applies: answer 200 and forget the request. */
  drop: boolean
}

export interface SessionAdmitted extends Admitted {
  session: SimulatedChat
}

// The simulator judges the request; what is left here is acting out the faults only a transport can.

/** A request without a session (SessionId, Visitor/*); undefined when a fault already answered it. */
export async function admit(
  sim: Simulator,
  req: FastifyRequest,
  reply: FastifyReply,
  resource: Resource
): Promise<Admitted | undefined> {
  const { version, fault } = sim.chasitor.admit(chasitorRequest(req, resource))
  return (await actOut(sim, req, reply, resource, fault)) ? { version, drop: fault?.kind === 'drop' } : undefined
}

/** A request of a session; undefined when a fault already answered it. */
export async function admitSession(
  sim: Simulator,
  req: FastifyRequest,
  reply: FastifyReply,
  resource: Resource,
  need: SessionNeed
): Promise<SessionAdmitted | undefined> {
  const { session, version, fault } = sim.chasitor.admitSession(chasitorRequest(req, resource), need)
  if (!(await actOut(sim, req, reply, resource, fault))) return undefined
  return { session, version, drop: fault?.kind === 'drop' }
}

/** false when the request needs no further answer (its connection was reset, or its client left). */
async function actOut(
  sim: Simulator,
  req: FastifyRequest,
  reply: FastifyReply,
  resource: Resource,
  fault: TransportFault | undefined
): Promise<boolean> {
  switch (fault?.kind) {
    case undefined:
    case 'drop':
      return true
    case 'reset':
      reply.hijack()
      req.raw.socket.resetAndDestroy()
      return false
    case 'delay':
      await sim.delay(fault.delayMs)
      // A poll whose client gave up during the delay is gone: it must not count as an open poll afterwards.
      // A POST, by contrast, is still applied (a server may act on a request whose answer never arrives).
      if (resource === 'Messages' && (req.raw.socket.destroyed || reply.raw.destroyed)) {
        reply.hijack()
        return false
      }
      return true
  }
}
