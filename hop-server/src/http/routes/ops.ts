import type { FastifyInstance } from 'fastify'
import type { HopMetrics } from '../../metrics.js'
import type { HopStore } from '../../store/types.js'
import { errorBody } from '../errors.js'

const TAGS = ['operations']

export function registerOpsRoutes(app: FastifyInstance, deps: { store: HopStore; metrics: HopMetrics }): void {
  app.get('/healthz', { schema: { tags: TAGS, summary: 'The process is alive' } }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { tags: TAGS, summary: 'The store is reachable' } }, async (request, reply) => {
    try {
      await deps.store.ping()
      return { status: 'ready', store: deps.store.kind }
    } catch (error) {
      request.log.warn({ err: error }, 'store not reachable')
      return reply.status(503).send(errorBody(503, `the ${deps.store.kind} store is not reachable`))
    }
  })

  app.get('/metrics', { schema: { tags: TAGS, summary: 'Prometheus metrics' } }, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics()
    return reply.type(deps.metrics.registry.contentType).send(body)
  })
}
