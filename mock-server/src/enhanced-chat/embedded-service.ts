// The two unauthenticated calls of the SCRT2 host that tell a guest about a deployment before any token: its
// configuration (`GET /embeddedservice/v1/embedded-service-config?orgId=&esConfigName=&language=`, answering
// `{embeddedServiceConfig}`) and its business hours (`GET /embeddedservice/v1/businesshours?orgId=&esConfigName=`,
// answering `{businessHoursInfo: {name, isActive, businessHours: [{startTime, endTime}]}}` in epoch ms). Salesforce's
// web widget and mobile SDK call both; neither says whether an agent is free (docs/enhanced-chat-protocol.md).
// Not documented, so chosen here [INF]: an unknown org is a 400 and an unknown deployment a 404, each with {message},
// as the REST API answers such mistakes. Business hours are set through /__admin/enhanced/business-hours.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { adminBody, answerAdminErrors } from '../http/admin-http.js'
import { ApiError, badRequest, notFound } from './errors.js'
import { LIMITS } from './protocol.js'
import { check, singleValued } from './schemas.js'
import { orgId15, type EnhancedChatSimulator } from './simulator.js'

export const EMBEDDED_SERVICE_PREFIX = '/embeddedservice/v1'
/** Under the Enhanced Chat admin prefix (its own plugin, so it keeps its own not-found handler). */
export const BUSINESS_HOURS_ADMIN_PATH = '/business-hours'

const HOUR_MS = 60 * 60_000
/** The `open` and `closed` presets: an eight-hour window around now, or one that starts in an hour. */
const PRESET_WINDOW_MS = 8 * HOUR_MS

export interface BusinessHoursWindow {
  startTime: number
  endTime: number
}

/**
 * - `none`: the deployment sets no business hours (`isActive: false`, no window); chats are never limited by hours.
 * - `open` / `closed`: active hours with a window holding now / starting in an hour, computed at each request.
 * - `windows`: active hours with exactly these windows (epoch ms).
 */
export type BusinessHoursSpec =
  { mode: 'none' | 'open' | 'closed' } | { mode: 'windows'; windows: BusinessHoursWindow[] }

const windowSchema = z
  .strictObject({ startTime: z.number().int().nonnegative(), endTime: z.number().int().nonnegative() })
  .refine((window) => window.endTime > window.startTime, 'endTime must be after startTime')

export const businessHoursSpecSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.enum(['none', 'open', 'closed']) }),
  z.strictObject({ mode: z.literal('windows'), windows: z.array(windowSchema).max(50) }),
])

/** The deployment's business hours, as the admin API set them (default: none). */
export class BusinessHoursSetting {
  private spec: BusinessHoursSpec = { mode: 'none' }

  constructor(private readonly now: () => number = Date.now) {}

  set(spec: BusinessHoursSpec): void {
    this.spec = spec
  }

  get(): BusinessHoursSpec {
    return this.spec
  }

  /** Back to the default, as a simulator reset leaves nothing a previous test set. */
  reset(): void {
    this.spec = { mode: 'none' }
  }

  /** `businessHoursInfo` as Salesforce sends it, for the deployment `name`. */
  info(name: string): { name: string; isActive: boolean; businessHours: BusinessHoursWindow[] } {
    const now = this.now()
    switch (this.spec.mode) {
      case 'none':
        return { name, isActive: false, businessHours: [] }
      case 'open':
        return { name, isActive: true, businessHours: [{ startTime: now - HOUR_MS, endTime: now + PRESET_WINDOW_MS }] }
      case 'closed':
        return {
          name,
          isActive: true,
          businessHours: [{ startTime: now + HOUR_MS, endTime: now + HOUR_MS + PRESET_WINDOW_MS }],
        }
      case 'windows':
        return { name, isActive: true, businessHours: this.spec.windows }
    }
  }
}

const configQuerySchema = z.strictObject({
  orgId: z.string().min(1, 'orgId is required'),
  esConfigName: z.string().min(1, 'esConfigName is required'),
  language: z.string().min(1).optional(),
})
const businessHoursQuerySchema = configQuerySchema.omit({ language: true })

/** The deployment a query names, or the refusal Salesforce would give. */
function checkDeployment(sim: EnhancedChatSimulator, query: { orgId: string; esConfigName: string }): void {
  if (![15, 18].includes(query.orgId.length) || orgId15(query.orgId) !== sim.orgId15)
    throw badRequest(`Invalid orgId ${query.orgId}: no such org`)
  if (query.esConfigName !== sim.options.esDeveloperName)
    throw notFound(`No embedded service deployment named ${query.esConfigName} in this org`)
}

/** The deployment's configuration: its name, type, channel and pre-chat form. */
function embeddedServiceConfig(sim: EnhancedChatSimulator, language: string | undefined) {
  const { options } = sim
  return {
    embeddedServiceConfig: {
      name: options.esDeveloperName,
      deploymentType: 'Api',
      ...(language ? { language } : {}),
      embeddedServiceMessagingChannel: { channelAddressIdentifier: sim.channelAddressIdentifier, authMode: 'UnAuth' },
      forms: [
        {
          formType: 'PreChat',
          displayContext: 'Conversation',
          formFields: options.prechatFields.map((name, order) => ({
            name,
            order,
            type: 'Text',
            required: false,
            maxLength: 255,
            isHidden: !name.startsWith('_'),
          })),
        },
      ],
      attachments: { endUserToAgent: true, maxFileSize: LIMITS.fileBytes },
    },
  }
}

function answerErrors(sim: EnhancedChatSimulator) {
  return (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.body)
    const status = (error as FastifyError).statusCode
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ message: (error as Error).message })
    sim.log.error({ err: error, url: req.url }, 'Enhanced Chat embedded service request failed')
    return reply.code(500).send({ message: 'Internal Server Error' })
  }
}

/** /embeddedservice/v1: the deployment's configuration and business hours, without a token. */
export function embeddedServiceRoutes(sim: EnhancedChatSimulator, hours: BusinessHoursSetting) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(answerErrors(sim))
    app.setNotFoundHandler((req, reply) =>
      reply.code(404).send({ message: `No such resource: ${req.method} ${req.url}` })
    )
    app.get('/embedded-service-config', async (req) => {
      const query = check(configQuerySchema, singleValued(req.query), 'query')
      checkDeployment(sim, query)
      return embeddedServiceConfig(sim, query.language)
    })
    app.get('/businesshours', async (req) => {
      const query = check(businessHoursQuerySchema, singleValued(req.query), 'query')
      checkDeployment(sim, query)
      return { businessHoursInfo: hours.info(sim.options.esDeveloperName) }
    })
  }
}

/** /__admin/enhanced/business-hours (registered with that prefix): read or set the deployment's business hours (JSON, {error} with a 4xx). */
export function businessHoursAdminRoutes(hours: BusinessHoursSetting) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    answerAdminErrors(app)
    app.get('/', async () => hours.get())
    app.put('/', async (req) => {
      hours.set(adminBody(businessHoursSpecSchema, req.body))
      return { ok: true }
    })
  }
}
