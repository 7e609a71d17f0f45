import type { FastifyInstance } from 'fastify'
import { ProtocolError } from '../errors.js'
import { BODY, VISITOR_NOUNS } from '../protocol.js'
import type { Simulator } from '../simulator.js'
import { handoverRoutes } from './handover-routes.js'
import { messagesRoute } from './messages-route.js'
import { sendText } from './send.js'
import { sequencedRoutes } from './sequenced-routes.js'
import { sessionRoutes } from './session-routes.js'
import { visitorResourcesRoutes } from './visitor-resources-routes.js'

/** Every path of the chasitor API: another method on one of them answers 405, any other path 404. */
const KNOWN_PATHS: ReadonlySet<string> = new Set([
  'System/SessionId',
  'System/Messages',
  'System/ReconnectSession',
  'System/MultiNoun',
  'Chasitor/ChasitorInit',
  'Chasitor/ChasitorResyncState',
  ...VISITOR_NOUNS.map((noun) => `Chasitor/${noun}`),
  'Visitor/Availability',
  'Visitor/Settings',
  'Visitor/VisitorId',
  'Visitor/Breadcrumb',
])

/**
 * The chasitor API under /chat/rest: the resources of §3 with the status codes of §8. The routes only translate;
 * the Simulator judges every request, and its ProtocolErrors become Salesforce's plain-text answers here.
 */
export function chasitorRoutes(sim: Simulator) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies are parsed by the handlers, so that bad JSON gets Salesforce's plain-text 400 and empty bodies pass.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))

    app.setErrorHandler((error, req, reply) => {
      if (error instanceof ProtocolError) return sendText(reply, error.status, error.body)
      const status = (error as { statusCode?: number }).statusCode
      if (status !== undefined && status >= 400 && status < 500)
        return sendText(reply, status, `Bad Request: ${(error as Error).message}`)
      sim.log.error({ err: error, url: req.url }, 'chasitor request failed')
      return sendText(reply, 500, 'Internal Server Error')
    })

    // A repeated query parameter (`ack=-1&ack=0`) arrives as an array: refuse it with 400 before any handler reads it.
    app.addHook('preValidation', async (req) => {
      for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>))
        if (typeof value !== 'string')
          throw new ProtocolError(400, `Bad Request: the query parameter ${name} must be given once`)
    })

    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0]!.replace(/^\/chat\/rest\//, '')
      const known = KNOWN_PATHS.has(path) || path.startsWith('System/SessionId/')
      return sendText(reply, known ? 405 : 404, known ? 'Method Not Allowed' : BODY.notFound)
    })

    sessionRoutes(app, sim)
    sequencedRoutes(app, sim)
    messagesRoute(app, sim)
    handoverRoutes(app, sim)
    visitorResourcesRoutes(app, sim)
  }
}
