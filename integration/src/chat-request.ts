// What startHitl asks the hop server for (POST /v1/chats): the backend's target (Live Agent, or Enhanced Chat with the
// pre-chat fields as routing attributes), the visitor, prechat details and the conversation so far as the transcript.
import type * as bp from './bp.js'
import { DEFAULT_WEBHOOK_BASE_URL } from './const.js'
import type { PrechatUserField } from './definitions/configuration.js'
import type { HistoryMessage } from './definitions/hitl-interface.js'
import type { CreateChatRequest, PrechatDetail, TranscriptLine } from './hop-contract.js'
import { describeForAgent } from './render.js'
import type { SourcedHistoryMessage } from './transcript-source.js'
import type { Settings } from './settings.js'

export type HandoffRequest = {
  conversationId: string
  locale: string
  buttonId: string | undefined
  visitor: { name?: string; email?: string }
  title?: string
  description?: string
  /** The conversation so far; `at` and `speaker` when the integration could tell (transcript-source.ts). */
  history: SourcedHistoryMessage[]
}

export const buildChatRequest = (ctx: bp.Context, settings: Settings, handoff: HandoffRequest): CreateChatRequest => {
  const { transcriptMode, transcriptPrechatField } = settings.config
  const target = settings.target(handoff.buttonId)
  return {
    conversationId: handoff.conversationId,
    webhookUrl: webhookUrlOf(ctx),
    ...(target.backend === 'enhanced-chat'
      ? {
          backend: 'enhanced-chat' as const,
          enhancedChat: { ...target.enhancedChat, routingAttributes: routingAttributesOf(settings, handoff) },
        }
      : { liveAgent: target.liveAgent }),
    visitor: { name: settings.visitorName(handoff.visitor), language: handoff.locale },
    prechatDetails: prechatDetails(handoff),
    prechatEntities: [],
    transcript: transcriptOf(handoff.history),
    transcriptDelivery: {
      mode: transcriptMode,
      ...(transcriptPrechatField ? { prechatField: transcriptPrechatField } : {}),
    },
  }
}

/** The locale of the customer's latest message that asked for a human, else the configured default. */
export const detectLocale = (history: HistoryMessage[], settings: Settings): string => {
  for (const message of [...history].reverse()) {
    if (message.source.type !== 'user' || message.type !== 'text') continue
    const match = settings.triggers.match(message.payload.text, { fallbackLocale: settings.defaultLocale })
    if (match.matched) return match.locale
  }
  return settings.defaultLocale
}

/** The URL the hop server posts events to: Botpress's webhook for this integration instance. */
export const webhookUrlOf = (ctx: Pick<bp.Context, 'webhookId'>): string => {
  const base = (process.env.BP_WEBHOOK_URL || DEFAULT_WEBHOOK_BASE_URL).replace(/\/+$/, '')
  return `${base}/${ctx.webhookId}`
}

/** One line per message that has something to read, with who said it and, when known, when it was sent. */
const transcriptOf = (history: SourcedHistoryMessage[]): TranscriptLine[] =>
  history
    .map((message) => ({
      role: message.speaker ?? (message.source.type === 'user' ? ('visitor' as const) : ('bot' as const)),
      text: describeForAgent(message.type, message.payload as Record<string, unknown>),
      ...(message.at ? { at: message.at } : {}),
    }))
    .filter((line) => line.text.length > 0)

const prechatDetails = (handoff: HandoffRequest): PrechatDetail[] => {
  const shown = (label: string, value: string | undefined): PrechatDetail[] =>
    value?.trim() ? [{ label, value: value.trim(), transcriptFields: [], displayToAgent: true }] : []
  return [
    ...shown('Email', handoff.visitor.email),
    ...shown('Subject', handoff.title),
    ...shown('Description', handoff.description),
  ]
}

/** The user's name as the HITL plugin gives it, unless it is the plugin's placeholder for "no name". */
const PLUGIN_UNKNOWN_NAME = 'Unknown User'

/** Each configured pre-chat field with its Botpress value; a value the integration does not have is left out. */
const routingAttributesOf = (settings: Settings, handoff: HandoffRequest): Record<string, string> => {
  const values = userFieldValues(handoff)
  const attributes: Record<string, string> = {}
  for (const { userField, prechatField } of settings.config.prechatFields) {
    const value = values[userField]
    if (value) attributes[prechatField.trim()] = value
  }
  return attributes
}

const userFieldValues = (handoff: HandoffRequest): Record<PrechatUserField, string | undefined> => {
  const given = handoff.visitor.name?.trim()
  const name = given && given !== PLUGIN_UNKNOWN_NAME ? given : undefined
  const lastSpace = name?.lastIndexOf(' ') ?? -1
  return {
    name,
    firstName: name && lastSpace > 0 ? name.slice(0, lastSpace) : name,
    lastName: name && lastSpace > 0 ? name.slice(lastSpace + 1) : undefined,
    email: handoff.visitor.email?.trim() || undefined,
    subject: handoff.title?.trim() || undefined,
    description: handoff.description?.trim() || undefined,
  }
}
