// The hop API's schemas (docs/bridge-contract.md). Requests are zod schemas: their types are inferred from them
// (z.infer), and fastify validates with their JSON Schema form (z.toJSONSchema), which @fastify/swagger also
// publishes at /docs/json. Unknown fields are refused (400), so typos do not pass silently. Answers are JSON schemas.
import {
  CHAT_STATES,
  CLIENT_END_REASONS,
  END_REASONS,
  ENHANCED_CHAT_AVAILABILITY_FIELDS,
  TRANSCRIPT_MODES,
  TRANSCRIPT_ROLES,
} from '@liveagent-hop/bridge-contract'
import { z } from 'zod'
import { BACKEND_NAMES, DEFAULT_BACKEND } from '../backends/chat-backend.js'

/** The JSON Schema fastify validates a request part with (draft-07, as its ajv expects; no `$schema` key). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' })
  return rest
}

/** Salesforce ids are 15 or 18 characters; the prefix names the object type. */
const sfId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$`))
const fieldName = () => z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/)

export const LIMITS = {
  idMaxLength: 200,
  urlMaxLength: 2048,
  visitorMessageMaxChars: 32_000,
  prechatDetailsMax: 50,
  prechatValueMaxChars: 32_000,
  prechatEntitiesMax: 20,
  transcriptMaxLines: 1000,
  transcriptLineMaxChars: 10_000,
  buttonOverridesMax: 20,
  backendNameMaxLength: 64,
  orgIdMaxLength: 18,
  apiNameMaxLength: 80,
  routingAttributesMax: 100,
} as const

const opaqueId = () => z.string().min(1).max(LIMITS.idMaxLength)

const liveAgentTarget = {
  endpoint: z.string().min(1).max(LIMITS.urlMaxLength).describe('Chat API base URL'),
  organizationId: sfId('00D'),
  deploymentId: sfId('572'),
  buttonId: sfId('573'),
  apiVersion: z
    .string()
    .regex(/^[1-9][0-9]{1,2}$/)
    .describe('X-LIVEAGENT-API-VERSION, e.g. "63"'),
}

export const liveAgentTargetBody = z.strictObject({
  ...liveAgentTarget,
  buttonOverrides: z
    .array(z.string().regex(/^[A-Za-z0-9]{15,18}(_[A-Za-z0-9]{15,18})?$/))
    .max(LIMITS.buttonOverridesMax)
    .optional(),
})

const prechatEntity = z.strictObject({
  entityName: fieldName(),
  showOnCreate: z.boolean().optional(),
  linkToEntityName: fieldName().optional(),
  linkToEntityField: fieldName().optional(),
  saveToTranscript: fieldName().optional(),
  entityFieldsMaps: z
    .array(
      z.strictObject({
        fieldName: fieldName(),
        label: z.string().min(1).max(100),
        doFind: z.boolean(),
        isExactMatch: z.boolean(),
        doCreate: z.boolean(),
      })
    )
    .max(LIMITS.prechatDetailsMax),
})

/** Checked in depth by the Enhanced Chat backend (SCRT2 host, org id, API name), with a message naming the field. */
export const enhancedChatTargetBody = z.strictObject({
  scrtUrl: z.string().min(1).max(LIMITS.urlMaxLength),
  orgId: z.string().min(1).max(LIMITS.orgIdMaxLength),
  esDeveloperName: z.string().min(1).max(LIMITS.apiNameMaxLength),
  // maxProperties reaches the JSON Schema ajv validates with; zod's record has no such check of its own.
  routingAttributes: z
    .record(z.string(), z.string().max(LIMITS.prechatValueMaxChars))
    .meta({ maxProperties: LIMITS.routingAttributesMax })
    .optional(),
})

const prechatDetail = z.strictObject({
  label: z.string().min(1).max(100),
  value: z.string().max(LIMITS.prechatValueMaxChars),
  transcriptFields: z.array(fieldName()).max(10).optional(),
  displayToAgent: z.boolean().optional(),
  entityMaps: z
    .array(
      z.strictObject({
        entityName: fieldName(),
        fieldName: fieldName(),
        fastFill: z.boolean().optional(),
        autoQuery: z.boolean().optional(),
        exactMatch: z.boolean().optional(),
      })
    )
    .max(10)
    .optional(),
})

const visitor = z.strictObject({
  name: z.string().min(1).max(80),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional(),
  userAgent: z.string().max(512).optional(),
  screenResolution: z
    .string()
    .regex(/^[0-9]{1,5}x[0-9]{1,5}$/)
    .optional(),
})

const transcriptLine = z.strictObject({
  role: z.enum(TRANSCRIPT_ROLES),
  text: z.string().max(LIMITS.transcriptLineMaxChars),
  // ajv checks the format; zod's own datetime check would refuse offsets the contract allows.
  at: z.string().meta({ format: 'date-time' }).optional(),
})

export const createChatBody = z.strictObject({
  // Any string: the hop server answers an unknown name with a 400 that lists the known ones (chat-service.ts).
  backend: z
    .string()
    .min(1)
    .max(LIMITS.backendNameMaxLength)
    .describe(`The Salesforce backend: ${BACKEND_NAMES.join(' or ')} (default ${DEFAULT_BACKEND})`)
    .optional(),
  conversationId: opaqueId(),
  webhookUrl: z.string().min(1).max(LIMITS.urlMaxLength),
  // The backend's target (liveAgent or enhancedChat) is checked by that backend, with a message naming the field.
  liveAgent: liveAgentTargetBody.optional(),
  enhancedChat: enhancedChatTargetBody.optional(),
  visitor,
  prechatDetails: z.array(prechatDetail).max(LIMITS.prechatDetailsMax).optional(),
  prechatEntities: z.array(prechatEntity).max(LIMITS.prechatEntitiesMax).optional(),
  transcript: z.array(transcriptLine).max(LIMITS.transcriptMaxLines).optional(),
  transcriptDelivery: z
    .strictObject({ mode: z.enum(TRANSCRIPT_MODES), prechatField: fieldName().optional() })
    .optional(),
})

export const chatParams = z.object({ chatId: z.string().regex(/^chat_[A-Za-z0-9]{10,40}$/) })

export const messageBody = z.strictObject({
  messageId: opaqueId(),
  text: z.string().min(1).max(LIMITS.visitorMessageMaxChars),
})

export const typingBody = z.strictObject({ typing: z.boolean() })

export const endBody = z.strictObject({ reason: z.enum(CLIENT_END_REASONS).optional() })

/** GET /v1/availability for a Live Agent button: no `backend` (what every client sent before it existed) or `live-agent`. */
export const liveAgentAvailabilityQuery = z.strictObject({
  backend: z.literal('live-agent').optional(),
  ...liveAgentTarget,
})

/** GET /v1/availability for an Enhanced Chat deployment; the backend checks the values in depth, naming the field. */
export const enhancedChatAvailabilityQuery = z.strictObject({
  backend: z.literal('enhanced-chat'),
  scrtUrl: enhancedChatTargetBody.shape.scrtUrl,
  orgId: enhancedChatTargetBody.shape.orgId,
  esDeveloperName: enhancedChatTargetBody.shape.esDeveloperName,
})

export const availabilityQuery = z.union([liveAgentAvailabilityQuery, enhancedChatAvailabilityQuery])

/**
 * What fastify checks before the route: every field either backend takes, none required, no other. The route then
 * reads the query as its backend's (availabilityQueryProblem), so a 400 names the missing or wrong field.
 */
const availabilityQueryFields = z.strictObject({
  backend: z.enum(BACKEND_NAMES).optional(),
  endpoint: liveAgentTarget.endpoint.optional(),
  organizationId: liveAgentTarget.organizationId.optional(),
  deploymentId: liveAgentTarget.deploymentId.optional(),
  buttonId: liveAgentTarget.buttonId.optional(),
  apiVersion: liveAgentTarget.apiVersion.optional(),
  scrtUrl: enhancedChatTargetBody.shape.scrtUrl.optional(),
  orgId: enhancedChatTargetBody.shape.orgId.optional(),
  esDeveloperName: enhancedChatTargetBody.shape.esDeveloperName.optional(),
})

export type CreateChatBody = z.infer<typeof createChatBody>
export type LiveAgentTarget = z.infer<typeof liveAgentTargetBody>
export type VisitorInfo = z.infer<typeof visitor>
export type PrechatDetail = z.infer<typeof prechatDetail>
export type PrechatEntity = z.infer<typeof prechatEntity>
export type TranscriptLine = z.infer<typeof transcriptLine>
export type ChatParams = z.infer<typeof chatParams>
export type MessageBody = z.infer<typeof messageBody>
export type TypingBody = z.infer<typeof typingBody>
export type EndBody = z.infer<typeof endBody>
export type AvailabilityQuery = z.infer<typeof availabilityQuery>
export type EnhancedChatAvailabilityQuery = z.infer<typeof enhancedChatAvailabilityQuery>

export const createChatBodySchema = jsonSchema(createChatBody)
export const chatParamsSchema = jsonSchema(chatParams)
export const messageBodySchema = jsonSchema(messageBody)
export const typingBodySchema = jsonSchema(typingBody)
export const endBodySchema = jsonSchema(endBody)
export const availabilityQuerySchema = jsonSchema(availabilityQueryFields)

const agentSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const

export const chatViewSchema = {
  type: 'object',
  required: ['chatId', 'conversationId', 'state'],
  properties: {
    chatId: { type: 'string' },
    conversationId: { type: 'string' },
    state: { type: 'string', enum: [...CHAT_STATES] },
    queuePosition: { type: 'integer' },
    estimatedWaitTime: { type: 'number' },
    agent: agentSchema,
    endReason: { type: 'string', enum: [...END_REASONS] },
    endDetail: { type: 'string' },
  },
} as const

export const createChatResponseSchema = {
  ...chatViewSchema,
  required: [...chatViewSchema.required, 'created'],
  properties: { ...chatViewSchema.properties, created: { type: 'boolean' } },
} as const

export const errorSchema = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const

export const messageResponseSchema = {
  type: 'object',
  required: ['accepted', 'duplicate'],
  properties: { accepted: { type: 'boolean' }, duplicate: { type: 'boolean' } },
} as const

export const endResponseSchema = {
  type: 'object',
  required: ['state'],
  properties: { state: { type: 'string', enum: ['ended'] } },
} as const

export const acceptedSchema = {
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'boolean' } },
} as const

/** Live Agent's answer (unchanged since the first version of the contract). */
const liveAgentAvailabilitySchema = {
  type: 'object',
  required: ['available', 'buttons'],
  properties: {
    available: { type: 'boolean' },
    buttons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'available'],
        properties: {
          id: { type: 'string' },
          available: { type: 'boolean' },
          estimatedWaitTime: { type: 'number' },
        },
      },
    },
  },
} as const

/** Enhanced Chat's answer: what a guest may know (the deployment, its business hours), never the agents. */
const enhancedChatAvailabilitySchema = {
  type: 'object',
  required: [...ENHANCED_CHAT_AVAILABILITY_FIELDS],
  properties: {
    backend: { type: 'string', enum: ['enhanced-chat'] },
    available: { type: 'null' },
    agentsKnown: { type: 'boolean', enum: [false] },
    deploymentFound: { type: 'boolean' },
    withinBusinessHours: { type: ['boolean', 'null'] },
    businessHours: {
      type: ['object', 'null'],
      required: ['active', 'windows'],
      properties: {
        active: { type: 'boolean' },
        windows: {
          type: 'array',
          items: {
            type: 'object',
            required: ['start', 'end'],
            properties: { start: { type: 'string' }, end: { type: 'string' } },
          },
        },
      },
    },
    message: { type: 'string' },
  },
} as const

export const availabilityResponseSchema = { anyOf: [liveAgentAvailabilitySchema, enhancedChatAvailabilitySchema] }
