// The shapes of docs/bridge-contract.md that the integration sends and receives. Webhook bodies are parsed with
// these schemas; request bodies are typed with them.
import { z } from '@botpress/sdk'
import {
  CHAT_STATES,
  type ENHANCED_CHAT_AVAILABILITY_FIELDS,
  HOP_EVENT_TYPES,
  type HopEventType as ContractEventType,
  type TranscriptMode,
  type TranscriptRole,
} from '@liveagent-hop/bridge-contract'
import { endReasonSchema, type EndReason } from './definitions/states.js'

export { HOP_EVENT_TYPES, type TranscriptMode }

export type LiveAgentTarget = {
  endpoint: string
  organizationId: string
  deploymentId: string
  buttonId: string
  apiVersion: string
  buttonOverrides?: string[]
}

/**
 * An Enhanced Chat target: the deployment's SCRT2 origin, the 15-character org id, the deployment API name, and the
 * pre-chat fields (API name → value) sent as routing attributes when the conversation is created.
 */
export type EnhancedChatTarget = {
  scrtUrl: string
  orgId: string
  esDeveloperName: string
  routingAttributes: Record<string, string>
}

/** `at` when the integration knows when the message was sent; `agent` for a previous agent's message. */
export type TranscriptLine = { role: TranscriptRole; text: string; at?: string }

export type PrechatDetail = { label: string; value: string; transcriptFields: string[]; displayToAgent: boolean }

/**
 * A Live Agent chat leaves `backend` out (what every hop server understands); an Enhanced Chat chat names its backend
 * and carries `enhancedChat` instead of `liveAgent`.
 */
export type CreateChatRequest = CreateChatCommon &
  (
    | { backend?: 'live-agent'; liveAgent: LiveAgentTarget }
    | { backend: 'enhanced-chat'; enhancedChat: EnhancedChatTarget }
  )

type CreateChatCommon = {
  conversationId: string
  webhookUrl: string
  visitor: { name: string; language?: string; userAgent?: string; screenResolution?: string }
  prechatDetails: PrechatDetail[]
  prechatEntities: unknown[]
  transcript: TranscriptLine[]
  transcriptDelivery: { mode: TranscriptMode; prechatField?: string }
}

export const chatStateSchema = z.enum(CHAT_STATES)

export const createChatResponseSchema = z.object({
  chatId: z.string().min(1),
  conversationId: z.string(),
  state: chatStateSchema,
  created: z.boolean(),
})
export type CreateChatResponse = z.infer<typeof createChatResponseSchema>

export const sendMessageResponseSchema = z.object({ accepted: z.boolean(), duplicate: z.boolean() })
export type SendMessageResponse = z.infer<typeof sendMessageResponseSchema>

export const endChatResponseSchema = z.object({ state: chatStateSchema })

const agentSchema = z.object({ id: z.string(), name: z.string() })

export const chatResponseSchema = z.object({
  chatId: z.string(),
  conversationId: z.string(),
  state: chatStateSchema,
  queuePosition: z.number().optional(),
  agent: agentSchema.optional(),
  endReason: z.string().optional(),
})
export type ChatResponse = z.infer<typeof chatResponseSchema>

export const availabilityResponseSchema = z.object({
  available: z.boolean(),
  buttons: z.array(z.object({ id: z.string(), available: z.boolean(), estimatedWaitTime: z.number().optional() })),
})
export type AvailabilityResponse = z.infer<typeof availabilityResponseSchema>

/**
 * The availability answer for an Enhanced Chat deployment: what Salesforce lets a guest know (the deployment exists,
 * its business hours), never whether an agent is free (`available` null, `agentsKnown` false). `withinBusinessHours`
 * is null when the deployment sets no active hours or they could not be read; `message` says which, in one sentence.
 */
export const enhancedChatAvailabilityResponseSchema = z.object({
  backend: z.literal('enhanced-chat'),
  available: z.null(),
  agentsKnown: z.literal(false),
  deploymentFound: z.boolean(),
  withinBusinessHours: z.boolean().nullable(),
  businessHours: z
    .object({ active: z.boolean(), windows: z.array(z.object({ start: z.string(), end: z.string() })) })
    .nullable(),
  message: z.string(),
})
export type EnhancedChatAvailabilityResponse = z.infer<typeof enhancedChatAvailabilityResponseSchema>

/** The parser above reads every field of the contract's Enhanced Chat availability answer, and no other. */
const readsEveryAvailabilityField: Same<
  keyof EnhancedChatAvailabilityResponse,
  (typeof ENHANCED_CHAT_AVAILABILITY_FIELDS)[number]
> = true
void readsEveryAvailabilityField

const envelope = {
  chatId: z.string().min(1),
  conversationId: z.string().min(1),
  seq: z.number().int().min(1),
  at: z.string(),
}

/** Webhook events we act on. Unknown types are recognised by `knownEventTypeSchema` failing and answered 2xx. */
export const hopEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('chat.queued'),
    data: z.object({ position: z.number().int().min(0), estimatedWaitTime: z.number().optional() }),
  }),
  z.object({ ...envelope, type: z.literal('agent.joined'), data: z.object({ agent: agentSchema }) }),
  z.object({ ...envelope, type: z.literal('agent.message'), data: z.object({ text: z.string(), agent: agentSchema }) }),
  z.object({ ...envelope, type: z.literal('agent.typing'), data: z.object({ typing: z.boolean() }) }),
  z.object({ ...envelope, type: z.literal('chat.transferred'), data: z.object({ agent: agentSchema }) }),
  z.object({
    ...envelope,
    type: z.literal('chat.ended'),
    // Any reason is accepted: a chat must end even when a newer hop server names a reason we do not know yet.
    data: z.object({ reason: z.string().min(1), detail: z.string().optional() }),
  }),
])
export type HopEvent = z.infer<typeof hopEventSchema>
export type HopEventType = HopEvent['type']
export type HopEventOf<T extends HopEventType> = Extract<HopEvent, { type: T }>

/** The parser above knows every event type of the contract, and no other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const parsesEveryContractType: Same<HopEventType, ContractEventType> = true
void parsesEveryContractType

/** Just the envelope: enough to answer 2xx to an event type this version does not know. */
export const hopEnvelopeSchema = z.object({ ...envelope, type: z.string() })

/** A `chat.ended` reason as the integration stores it: one it does not know is an `error` (the handler logs it). */
export const knownEndReason = (reason: string): EndReason | null => {
  const parsed = endReasonSchema.safeParse(reason)
  return parsed.success ? parsed.data : null
}
