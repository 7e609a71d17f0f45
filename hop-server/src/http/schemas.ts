// The hop API's schemas (docs/bridge-contract.md). Requests are zod schemas: their types are inferred from them
// (z.infer), and fastify validates with their JSON Schema form (z.toJSONSchema), which @fastify/swagger also
// publishes at /docs/json. Unknown fields are refused (400), so typos do not pass silently. Answers are JSON schemas.
import {
  CHAT_STATES,
  CLIENT_END_REASONS,
  END_REASONS,
  TRANSCRIPT_MODES,
  TRANSCRIPT_ROLES,
} from '@liveagent-hop/bridge-contract'
import { z } from 'zod'

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
  conversationId: opaqueId(),
  webhookUrl: z.string().min(1).max(LIMITS.urlMaxLength),
  liveAgent: liveAgentTargetBody,
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

export const availabilityQuery = z.strictObject(liveAgentTarget)

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

export const createChatBodySchema = jsonSchema(createChatBody)
export const chatParamsSchema = jsonSchema(chatParams)
export const messageBodySchema = jsonSchema(messageBody)
export const typingBodySchema = jsonSchema(typingBody)
export const endBodySchema = jsonSchema(endBody)
export const availabilityQuerySchema = jsonSchema(availabilityQuery)

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

export const availabilityResponseSchema = {
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
