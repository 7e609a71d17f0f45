// What both admin APIs (/__admin for Live Agent, /__admin/enhanced) share over HTTP: bodies checked with zod, and
// every error answered as JSON {error} with its 4xx, never a bare 500 for bad input.
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { describeZodError } from '../config.js'
import { AdminError } from '../errors.js'

/** The parsed body, or an AdminError 400 that says which field is wrong. */
export function adminBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success) throw new AdminError(400, describeZodError(parsed.error))
  return parsed.data
}

/** AdminErrors and fastify's own 4xx (bad JSON, …) as {error}; unknown routes as 404 naming the route. */
export function answerAdminErrors(app: FastifyInstance): void {
  app.setErrorHandler((error, _req, reply) => {
    if (error instanceof AdminError) return reply.code(error.status).send({ error: error.message })
    const status = (error as { statusCode?: number }).statusCode
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ error: (error as Error).message })
    return reply.code(500).send({ error: 'Internal error' })
  })
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `No admin route ${req.method} ${req.url}` }))
}
