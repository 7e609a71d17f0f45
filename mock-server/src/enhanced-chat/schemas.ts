// Request bodies and queries of the guest REST API. Unknown fields are accepted (v2 is not strict, unlike v1).
import { z } from 'zod'
import { describeZodError } from '../config.js'
import { badRequest } from './errors.js'
import { LIMITS } from './protocol.js'

const nonEmpty = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} must not be empty`)

export const accessTokenSchema = z.looseObject({
  orgId: nonEmpty('orgId'),
  esDeveloperName: nonEmpty('esDeveloperName'),
  capabilitiesVersion: z.literal('1', { error: 'capabilitiesVersion must be "1"' }),
  platform: z.enum(['Web', 'Mobile'], { error: 'platform must be "Web" or "Mobile"' }),
  deviceId: z.string().optional(),
  context: z.looseObject({ appName: z.string().optional(), clientVersion: z.string().optional() }).optional(),
})

/** Pre-chat values: field API name → value (strings, numbers or booleans as the forms allow). */
const routingAttributes = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
    error: 'routingAttributes must be an object of field name to value',
  })
  .optional()

export const createConversationSchema = z.looseObject({
  conversationId: z.string({ error: 'conversationId is required' }),
  esDeveloperName: nonEmpty('esDeveloperName'),
  routingAttributes,
  language: z.string().optional(),
})

export const sendMessageSchema = z.looseObject({
  message: z.looseObject(
    {
      id: nonEmpty('message.id'),
      messageType: z.enum(['StaticContentMessage', 'ChoicesResponseMessage'], {
        error: 'message.messageType must be StaticContentMessage or ChoicesResponseMessage',
      }),
      inReplyToMessageId: z.string().optional(),
      staticContent: z
        .looseObject({ formatType: z.literal('Text', { error: 'formatType must be Text' }), text: z.string() })
        .optional(),
      choicesResponse: z.looseObject({ optionIdentifier: z.string(), title: z.string().optional() }).optional(),
    },
    { error: 'message is required' }
  ),
  esDeveloperName: nonEmpty('esDeveloperName'),
  isNewMessagingSession: z.boolean().optional(),
  routingAttributes,
  language: z.string().optional(),
})

export const fileEntrySchema = z.looseObject({
  esDeveloperName: nonEmpty('esDeveloperName'),
  message: z.looseObject({
    id: nonEmpty('message.id'),
    fileId: nonEmpty('message.fileId'),
    text: z.string().optional(),
    inReplyToMessageId: z.string().optional(),
  }),
  isNewMessagingSession: z.boolean().optional(),
  routingAttributes,
  language: z.string().optional(),
})

export const typingSchema = z.looseObject({
  entryType: z.enum(['TypingStartedIndicator', 'TypingStoppedIndicator'], {
    error: 'entryType must be TypingStartedIndicator or TypingStoppedIndicator',
  }),
  id: nonEmpty('id'),
})

export const acknowledgeSchema = z.looseObject({
  acks: z
    .array(
      z.looseObject({
        id: nonEmpty('acks[].id'),
        entryType: z.enum(['Delivery', 'Read'], { error: 'acks[].entryType must be Delivery or Read' }),
        conversationEntryId: nonEmpty('acks[].conversationEntryId'),
      }),
      { error: 'acks must be an array' }
    )
    .min(1, 'acks must not be empty')
    .max(LIMITS.acksPerRequest, `at most ${LIMITS.acksPerRequest} acks per request`),
})

const integerText = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`)

export const entriesQuerySchema = z.looseObject({
  limit: integerText('limit', 1, LIMITS.listMax).optional(),
  startTimestamp: integerText('startTimestamp', 0, Number.MAX_SAFE_INTEGER).optional(),
  endTimestamp: integerText('endTimestamp', 0, Number.MAX_SAFE_INTEGER).optional(),
  direction: z.enum(['FromStart', 'FromEnd'], { error: 'direction must be FromStart or FromEnd' }).optional(),
  entryTypeFilter: z.string().optional(),
})

export const listQuerySchema = z.looseObject({
  inclClosedConvs: z.enum(['true', 'false'], { error: 'inclClosedConvs must be true or false' }).optional(),
  limit: integerText('limit', 1, LIMITS.listMax).optional(),
})

export const esDeveloperNameQuerySchema = z.looseObject({ esDeveloperName: nonEmpty('esDeveloperName') })

/** Parses a JSON body; an empty one is refused (every POST here needs one). */
export function parseJsonBody(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('The request body is missing')
  try {
    return JSON.parse(raw)
  } catch {
    throw badRequest('The request body is not valid JSON')
  }
}

export function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success) throw badRequest(`Invalid ${what}: ${describeZodError(parsed.error)}`)
  return parsed.data
}

/** A query where every parameter appears at most once (a repeated one is a 400, not an array). */
export function singleValued(query: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') throw badRequest(`The query parameter ${name} must be given once`)
    result[name] = value
  }
  return result
}
