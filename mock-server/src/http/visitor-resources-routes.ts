import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ProtocolError } from '../errors.js'
import { BODY } from '../protocol.js'
import type { Simulator } from '../simulator.js'
import { admit } from './admission.js'
import { breadcrumbSchema, parseJson, validate } from './chasitor-schemas.js'
import type { Query } from './request.js'
import { sendText } from './send.js'

const SETTINGS_PING_RATE_MS = 50_000

/** `[a,b]`, `a,b` or a bare `a` (§3.7). */
const parseIdList = (value: string | undefined): string[] =>
  (value ?? '')
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0)

/** Visitor/*: no session, the version header only, answers wrapped in {messages:[…]} (§3.7). */
export function visitorResourcesRoutes(app: FastifyInstance, sim: Simulator): void {
  app.get<{ Querystring: Query }>('/Visitor/Availability', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'Availability'))) return reply
    sim.chasitor.checkDeployment(req.query.org_id, req.query.deployment_id)
    const ids = parseIdList(req.query['Availability.ids'])
    if (ids.length === 0) throw new ProtocolError(400, 'Bad Request: Availability.ids is required')
    const withWait = req.query['Availability.needEstimatedWaitTime'] === '1'
    const results = ids.map((id) => {
      const available = sim.isAvailable(id)
      // A missing isAvailable means unavailable (§3.7), which is how the real server answers.
      return {
        id,
        ...(available ? { isAvailable: true } : {}),
        ...(withWait ? { estimatedWaitTime: available ? 0 : -1 } : {}),
      }
    })
    return reply.send({ messages: [{ type: 'Availability', message: { results } }] })
  })

  app.get<{ Querystring: Query }>('/Visitor/Settings', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'Settings'))) return reply
    sim.chasitor.checkDeployment(req.query.org_id, req.query.deployment_id)
    const requested = parseIdList(req.query['Settings.buttonIds'])
    const buttons = (requested.length > 0 ? requested : sim.knownButtons()).map((id) => ({
      id,
      type: 'Standard',
      endpointUrl: '',
      prechatUrl: '',
      language: '',
      ...(sim.isAvailable(id) ? { isAvailable: true } : {}),
    }))
    const contentServerUrl = `${req.protocol}://${req.host}/content`
    return reply.send({
      messages: [
        { type: 'Settings', message: { pingRate: SETTINGS_PING_RATE_MS, contentServerUrl, prefixKey: '', buttons } },
      ],
    })
  })

  app.get<{ Querystring: Query }>('/Visitor/VisitorId', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'VisitorId'))) return reply
    sim.chasitor.checkDeployment(req.query.org_id, req.query.deployment_id)
    return reply.send({ messages: [{ type: 'VisitorId', message: { sessionId: randomUUID() } }] })
  })

  app.post('/Visitor/Breadcrumb', async (req, reply) => {
    if (!(await admit(sim, req, reply, 'Breadcrumb'))) return reply
    validate(breadcrumbSchema, parseJson(req.body), 'Breadcrumb')
    return sendText(reply, 200, BODY.ok)
  })
}
