// Request bodies and non-event response bodies of the chasitor resources (§3, §7), as zod schemas.
import { z } from 'zod'
import { numberLike } from './events.js'

// ---------------------------------------------------------------- responses

/** GET System/SessionId (§3.1). `clientPollTimeout` may be a numeric string. */
export const sessionIdResponseSchema = z.looseObject({
  id: z.string().min(1),
  key: z.string().min(1),
  affinityToken: z.string().min(1),
  clientPollTimeout: numberLike.pipe(z.number().positive()).optional(),
})
export interface SessionIdResponse {
  id: string
  key: string
  affinityToken: string
  /** Seconds a poll may stay unanswered before the client must consider the loop broken. */
  clientPollTimeoutSec: number
}

const reconnectMessageSchema = z.looseObject({
  resetSequence: z.boolean().optional(),
  affinityToken: z.string().min(1),
})

/** GET System/ReconnectSession: with the `messages` wrapper (docs example) or without it (Response Bodies chapter). */
export const reconnectResponseSchema = z.union([
  z
    .looseObject({ messages: z.array(z.looseObject({ type: z.string(), message: z.unknown() })) })
    .transform((wrapper) => wrapper.messages.find((m) => m.type === 'ReconnectSession')?.message)
    .pipe(reconnectMessageSchema),
  reconnectMessageSchema,
])
export interface ReconnectResult {
  affinityToken: string
  /** Always true in practice; a missing value is read as true (§4.5). */
  resetSequence: boolean
}

/** Visitor resources wrap their payload: `{messages:[{type, message}]}` (§3.7). */
export const visitorEnvelopeSchema = z.looseObject({
  messages: z.array(z.looseObject({ type: z.string(), message: z.unknown() })),
})

export const availabilityMessageSchema = z.looseObject({
  results: z.array(
    z.looseObject({ id: z.string(), isAvailable: z.boolean().optional(), estimatedWaitTime: numberLike.optional() })
  ),
})
export interface AvailabilityResult {
  id: string
  /** A missing `isAvailable` means unavailable (§3.7). */
  isAvailable: boolean
  /** Seconds; -1 means unknown. Only with `needEstimatedWaitTime` on API 47+. */
  estimatedWaitTime?: number
}

export const settingsMessageSchema = z.looseObject({
  pingRate: numberLike.optional(),
  contentServerUrl: z.string().optional(),
  prefixKey: z.string().optional(),
  buttons: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string().optional(),
        isAvailable: z.boolean().optional(),
        estimatedWaitTime: numberLike.optional(),
        language: z.string().optional(),
        endpointUrl: z.string().optional(),
        prechatUrl: z.string().optional(),
      })
    )
    .default([]),
})
export type VisitorSettings = z.output<typeof settingsMessageSchema>

export const switchServerMessageSchema = z.looseObject({ newUrl: z.string() })

// ---------------------------------------------------------------- requests

/** One entity mapping of a pre-chat detail; Salesforce's own clients call the list `entityMaps` (§7). */
export const entityMapSchema = z.strictObject({
  entityName: z.string().min(1),
  fieldName: z.string().min(1),
  fastFill: z.boolean().optional(),
  autoQuery: z.boolean().optional(),
  exactMatch: z.boolean().optional(),
})

export const customDetailSchema = z.strictObject({
  label: z.string().min(1),
  value: z.string(),
  transcriptFields: z.array(z.string().min(1)),
  displayToAgent: z.boolean().optional(),
  entityMaps: z.array(entityMapSchema).optional(),
})
export type CustomDetail = z.infer<typeof customDetailSchema>

export const entitySchema = z.strictObject({
  entityName: z.string().min(1),
  showOnCreate: z.boolean().optional(),
  linkToEntityName: z.string().optional(),
  linkToEntityField: z.string().optional(),
  saveToTranscript: z.string().optional(),
  entityFieldsMaps: z.array(
    z.strictObject({
      fieldName: z.string().min(1),
      label: z.string().min(1),
      doFind: z.boolean(),
      isExactMatch: z.boolean(),
      doCreate: z.boolean(),
    })
  ),
})
export type PrechatEntity = z.infer<typeof entitySchema>

/** ChasitorInit without `sessionId`, which the client fills in from SessionId (§3.2). */
export const chasitorInitParamsSchema = z.strictObject({
  organizationId: z.string().min(1),
  deploymentId: z.string().min(1),
  buttonId: z.string().min(1),
  agentId: z.string().optional(),
  doFallback: z.boolean().optional(),
  userAgent: z.string().default(''),
  language: z.string().default('en-US'),
  screenResolution: z.string().default(''),
  visitorName: z.string().default('Visitor'),
  prechatDetails: z.array(customDetailSchema).default([]),
  prechatEntities: z.array(entitySchema).default([]),
  buttonOverrides: z.array(z.string().min(1)).optional(),
  receiveQueueUpdates: z.boolean().default(true),
  /** Always true for a proper POST; false makes Salesforce answer NoPost (§3.2). */
  isPost: z.boolean().default(true),
  trackingId: z.string().optional(),
})
export type ChasitorInitParams = z.input<typeof chasitorInitParamsSchema>
export type ChasitorInitBody = z.output<typeof chasitorInitParamsSchema> & { sessionId: string }

/** Query of Visitor/Availability and Visitor/Settings. */
export interface VisitorQuery {
  organizationId: string
  deploymentId: string
  /** Button ids (573…) or agent ids (005…). */
  ids: string[]
  /** Ask for estimatedWaitTime (API 47+). */
  needEstimatedWaitTime?: boolean
}
