import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import type { GuestAvailability } from '../../backends/chat-backend.js'
import { EnhancedChatInputError } from '../../backends/enhanced-chat/errors.js'
import type { HopConfig } from '../../config.js'
import { urlProblem } from '../../security/allowlist.js'
import { urlPolicy } from '../../security/url-policy.js'
import type { EnhancedChatTarget } from '../../backends/enhanced-chat/target.js'
import type { LiveAgentTarget } from '../../store/types.js'
import { badRequest, HttpError } from '../errors.js'
import {
  availabilityQuerySchema,
  availabilityResponseSchema,
  enhancedChatAvailabilityQuery,
  errorSchema,
  liveAgentAvailabilityQuery,
  type AvailabilityQuery,
} from '../schemas.js'

export interface ButtonAvailability {
  id: string
  available: boolean
  estimatedWaitTime?: number
}

/** Answers the bridge's availability check for each backend. */
export interface AvailabilityChecker {
  /** Asks Live Agent (Visitor/Availability) whether the target's button (and overrides) can take a chat. */
  check(target: LiveAgentTarget): Promise<ButtonAvailability[]>
  /**
   * Asks Enhanced Chat what a guest may know (the deployment, its business hours); undefined when this hop server
   * has not enabled the backend.
   */
  checkEnhancedChat(
    target: Pick<EnhancedChatTarget, 'scrtUrl' | 'orgId' | 'esDeveloperName'>
  ): Promise<GuestAvailability | undefined>
}

const BAD_GATEWAY = 502
const ENHANCED_CHAT_FIELD_PREFIX = 'enhancedChat.'

type RawQuery = Record<string, string | undefined>

/** The query read as its backend's, or a 400 naming the first wrong field. */
export function parseAvailabilityQuery(raw: RawQuery): AvailabilityQuery {
  const schema = raw['backend'] === 'enhanced-chat' ? enhancedChatAvailabilityQuery : liveAgentAvailabilityQuery
  const parsed = (schema as z.ZodType<AvailabilityQuery>).safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.join('.') || 'query'
  const missing = issue.code === 'invalid_type' && raw[field] === undefined
  throw badRequest(missing ? `${field} is required` : `${field}: ${issue.message}`)
}

export function registerAvailabilityRoute(
  app: FastifyInstance,
  deps: { config: HopConfig; availability: AvailabilityChecker }
): void {
  app.get<{ Querystring: RawQuery }>(
    '/availability',
    {
      schema: {
        tags: ['chats'],
        summary:
          'Before creating a chat: whether an agent is available on a Live Agent button, or what Salesforce tells an Enhanced Chat guest (the deployment exists, business hours; never the agents)',
        security: [{ hopSignature: [] }],
        querystring: availabilityQuerySchema,
        response: { 200: availabilityResponseSchema, 400: errorSchema, 401: errorSchema, 502: errorSchema },
      },
    },
    async (request) => {
      const query = parseAvailabilityQuery(request.query)
      if (query.backend === 'enhanced-chat') {
        const { scrtUrl, orgId, esDeveloperName } = query
        let answer: GuestAvailability | undefined
        try {
          answer = await deps.availability.checkEnhancedChat({ scrtUrl, orgId, esDeveloperName })
        } catch (error) {
          if (error instanceof EnhancedChatInputError) throw badRequest(queryFieldMessage(error))
          request.log.warn({ err: error }, 'Enhanced Chat availability check failed')
          throw new HttpError(
            BAD_GATEWAY,
            `Enhanced Chat did not say whether the deployment exists: ${(error as Error).message}`
          )
        }
        if (!answer) throw badRequest('the enhanced-chat backend is not enabled on this hop server yet')
        return answer
      }
      const { backend: _backend, ...target } = query
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

/** The backend names the create-chat field (`enhancedChat.orgId`); the availability query calls it `orgId`. */
function queryFieldMessage(error: EnhancedChatInputError): string {
  return error.message.startsWith(ENHANCED_CHAT_FIELD_PREFIX)
    ? error.message.slice(ENHANCED_CHAT_FIELD_PREFIX.length)
    : error.message
}
