import { z } from 'zod'
import { describeZodError } from '../config.js'
import { ProtocolError } from '../errors.js'

// Request bodies of the chasitor resources (§3, §7). Unknown fields are accepted, as Salesforce does.

const customDetail = z.looseObject({
  label: z.string(),
  value: z.string(),
  transcriptFields: z.array(z.string()).optional(),
  displayToAgent: z.boolean().optional(),
  // The docs, deployment.js and the Android SDK spell the per-detail mapping three ways; all are accepted.
  entityMaps: z.array(z.looseObject({})).optional(),
  entityFieldMaps: z.array(z.looseObject({})).optional(),
})

const entity = z.looseObject({
  entityName: z.string(),
  entityFieldsMaps: z.array(z.looseObject({})).optional(),
})

export const chasitorInitSchema = z.looseObject({
  organizationId: z.string({ error: 'organizationId is required' }),
  deploymentId: z.string({ error: 'deploymentId is required' }),
  buttonId: z.string({ error: 'buttonId is required' }),
  sessionId: z.string({ error: 'sessionId is required' }),
  agentId: z.string().optional(),
  doFallback: z.boolean().optional(),
  userAgent: z.string().optional(),
  language: z.string().optional(),
  screenResolution: z.string().optional(),
  visitorName: z.string().optional(),
  prechatDetails: z.array(customDetail).optional(),
  prechatEntities: z.array(entity).optional(),
  buttonOverrides: z.array(z.string()).optional(),
  receiveQueueUpdates: z.boolean().optional(),
  isPost: z.boolean().optional(),
  trackingId: z.string().optional(),
})

export const chatMessageSchema = z.looseObject({ text: z.string({ error: 'text is required' }) })
export const sneakPeekSchema = z.looseObject({
  position: z.number({ error: 'position is required' }).int(),
  text: z.string({ error: 'text is required' }),
})
export const chatEndSchema = z.looseObject({
  reason: z
    .string({ error: 'ChatEnd requires a non-null value on the reason property' })
    .min(1, 'ChatEnd requires a non-null value on the reason property'),
})
export const customEventSchema = z.looseObject({
  type: z.string({ error: 'type is required' }),
  data: z.string().optional(),
})
export const idleWarningSchema = z.looseObject({
  idleTimeoutWarningEvent: z.enum(['triggered', 'cleared'], {
    error: "idleTimeoutWarningEvent must be 'triggered' or 'cleared'",
  }),
})
export const emptySchema = z.unknown()
export const resyncStateSchema = z.looseObject({ organizationId: z.string({ error: 'organizationId is required' }) })
export const multiNounSchema = z.looseObject({
  nouns: z
    .array(
      z.looseObject({
        prefix: z.string(),
        noun: z.string(),
        // The docs' NounWrapper says `data` (a JSON string); their example uses `object`. Both are accepted.
        object: z.unknown().optional(),
        data: z.string().optional(),
      }),
      { error: 'nouns must be an array of {prefix, noun, object}' }
    )
    .min(1, 'nouns must not be empty'),
})
export const breadcrumbSchema = z.looseObject({ location: z.string({ error: 'location is required' }) })

/** Parses a raw body as JSON; an empty body counts as {}. */
export function parseJson(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return {}
  try {
    return JSON.parse(raw)
  } catch {
    throw new ProtocolError(400, 'Bad Request: the body is not valid JSON')
  }
}

export function validate<T extends z.ZodType>(schema: T, value: unknown, noun: string): z.output<T> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success)
    throw new ProtocolError(400, `Bad Request: not a valid ${noun} - ${describeZodError(parsed.error)}`)
  return parsed.data
}
