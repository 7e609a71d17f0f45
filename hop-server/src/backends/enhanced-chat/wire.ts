// Shapes of Enhanced Chat answers and stream events, checked at the edge so the rest of the code reads typed values.
// Fields the bridge does not use are let through untouched (Salesforce adds fields over time).
import { z } from 'zod'
import { ROUTING_STATUSES } from './constants.js'

export const tokenResponseSchema = z.looseObject({
  accessToken: z.string().min(1),
  lastEventId: z.union([z.string(), z.number()]).transform(String),
  context: z.looseObject({ endUser: z.looseObject({ subject: z.string() }).optional() }).optional(),
})

export const continuationResponseSchema = z.looseObject({
  accessToken: z.string().min(1),
  lastEventId: z.union([z.string(), z.number()]).transform(String).optional(),
})

export const routingStatusSchema = z.looseObject({
  conversationId: z.string(),
  routingStatus: z.enum(ROUTING_STATUSES),
})
export type RoutingStatusResponse = z.output<typeof routingStatusSchema>

export const sentEntriesSchema = z.looseObject({
  conversationEntries: z.array(z.looseObject({ id: z.string(), clientTimestamp: z.number().optional() })).min(1),
})

export const conversationListSchema = z.looseObject({
  openConversationsFound: z.number(),
  closedConversationsFound: z.number(),
  conversations: z.array(
    z.looseObject({
      conversationId: z.string(),
      startTimestamp: z.number().optional(),
      endTimestamp: z.number().optional(),
    })
  ),
})
export type ConversationList = z.output<typeof conversationListSchema>

const senderSchema = z.looseObject({
  role: z.string(),
  subject: z.string().optional(),
  appType: z.string().optional(),
  clientIdentifier: z.string().optional(),
})

/** `entryPayload` is a JSON string on the stream; the entries API may give an object (sources disagree): take both. */
const payloadSchema = z.union([z.string(), z.record(z.string(), z.unknown())]).transform((value, ctx) => {
  if (typeof value !== 'string') return value
  try {
    const parsed: unknown = JSON.parse(value)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'entryPayload is not a JSON object' })
  return z.NEVER
})

export const conversationEntrySchema = z.looseObject({
  identifier: z.string(),
  entryType: z.string(),
  entryPayload: payloadSchema,
  sender: senderSchema,
  senderDisplayName: z.string().nullish(),
  transcriptedTimestamp: z.number().optional(),
  clientTimestamp: z.number().optional(),
})
export type ConversationEntry = z.output<typeof conversationEntrySchema>

export const entriesResponseSchema = z.looseObject({ conversationEntries: z.array(conversationEntrySchema) })

/** The `data` of every conversation event on the stream. */
export const eventEnvelopeSchema = z.looseObject({
  conversationId: z.string(),
  conversationEntry: conversationEntrySchema,
})
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>

/** One event as the stream reader hands it on: the SSE id and name, and the parsed envelope. */
export interface StreamEvent {
  id: string
  name: string
  conversationId: string
  entry: ConversationEntry
}

/** Zod issues as one sentence (`path: message; …`). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
}
