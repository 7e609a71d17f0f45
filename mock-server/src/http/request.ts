import type { FastifyRequest } from 'fastify'
import type { ChasitorRequest } from '../chasitor-requests.js'
import { HEADER, type Resource } from '../protocol.js'

export type Query = Record<string, string | undefined>

export const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The chasitor headers of a request, for the simulator's admission. */
export const chasitorRequest = (req: FastifyRequest, resource: Resource): ChasitorRequest => ({
  resource,
  apiVersion: header(req, HEADER.apiVersion),
  sessionKey: header(req, HEADER.sessionKey),
  affinity: header(req, HEADER.affinity),
})
