import type { FastifyInstance } from 'fastify'
import type { HopConfig } from '../../config.js'
import { urlProblem } from '../../security/allowlist.js'
import { urlPolicy } from '../../security/url-policy.js'
import type { LiveAgentTarget } from '../../store/types.js'
import { badRequest, HttpError } from '../errors.js'
import { type AvailabilityQuery, availabilityQuerySchema, availabilityResponseSchema, errorSchema } from '../schemas.js'

export interface ButtonAvailability {
  id: string
  available: boolean
  estimatedWaitTime?: number
}

/** Asks Live Agent (Visitor/Availability) whether the target's button (and overrides) can take a chat. */
export interface AvailabilityChecker {
  check(target: LiveAgentTarget): Promise<ButtonAvailability[]>
}

const BAD_GATEWAY = 502

export function registerAvailabilityRoute(
  app: FastifyInstance,
  deps: { config: HopConfig; availability: AvailabilityChecker }
): void {
  app.get<{ Querystring: AvailabilityQuery }>(
    '/availability',
    {
      schema: {
        tags: ['chats'],
        summary: 'Whether an agent is available on the button, before creating a chat',
        security: [{ hopSignature: [] }],
        querystring: availabilityQuerySchema,
        response: { 200: availabilityResponseSchema, 400: errorSchema, 401: errorSchema, 502: errorSchema },
      },
    },
    async (request) => {
      const target = request.query
      const problem = urlProblem(target.endpoint, urlPolicy(deps.config, 'liveAgent'))
      if (problem) throw badRequest(`endpoint ${problem}`)
      let buttons: ButtonAvailability[]
      try {
        buttons = await deps.availability.check(target)
      } catch (error) {
        request.log.warn({ err: error }, 'Live Agent availability check failed')
        throw new HttpError(
          BAD_GATEWAY,
          `Live Agent did not answer the availability check: ${(error as Error).message}`
        )
      }
      return { available: buttons.some((button) => button.available), buttons }
    }
  )
}
