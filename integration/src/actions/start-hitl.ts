import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../bp.js'
import { DEFAULT_WEBHOOK_BASE_URL, HITL_CHANNEL } from '../const.js'
import { liveAgentChatSchema } from '../definitions/entities.js'
import { buildStartHitlInputSchema, type HistoryMessage } from '../definitions/hitl-interface.js'
import type { CreateChatRequest, PrechatDetail, TranscriptLine } from '../hop-contract.js'
import { EffectRunner } from '../lifecycle/effects.js'
import { HandoffLifecycle } from '../lifecycle/handoff-lifecycle.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import { parseInput, withoutBlankFields } from '../parse-input.js'
import { describeForAgent } from '../render.js'
import { baseLocale } from '../router/index.js'
import { Settings } from '../settings.js'

const startHitlInputSchema = buildStartHitlInputSchema(liveAgentChatSchema)

/**
 * Creates the `hitl` conversation and its lifecycle (connecting), then asks the hop server for the Live Agent chat.
 * The state is written before the hop server is called: its first webhook can arrive before this action returns.
 */
export const startHitl: bp.IntegrationProps['actions']['startHitl'] = async (props) => {
  const { ctx, client, logger } = props
  const raw = props.input as { hitlSession?: unknown }
  const input = parseInput(
    startHitlInputSchema,
    { ...props.input, ...(raw.hitlSession ? { hitlSession: withoutBlankFields(raw.hitlSession) } : {}) },
    'startHitl'
  )
  const settings = Settings.fromContext(ctx)
  const session = input.hitlSession ?? {}

  const { user } = await client.getUser({ id: input.userId })
  const email = typeof user.tags.email === 'string' ? user.tags.email : undefined
  const locale = session.locale ? baseLocale(session.locale) : detectLocale(input.messageHistory, settings)
  const upstreamConversationId = session.upstreamConversationId ?? null

  const { conversation } = await client.createConversation({
    channel: HITL_CHANNEL,
    tags: upstreamConversationId ? { upstreamConversationId } : {},
  })
  const conversationId = conversation.id
  const store = new HandoffStore(client)
  const lifecycle = HandoffLifecycle.create()
  const started = lifecycle.apply({ type: 'hitl.start' })
  await store.create(conversationId, { lifecycle, locale, upstreamConversationId })

  const request: CreateChatRequest = {
    conversationId,
    webhookUrl: webhookUrlOf(ctx),
    liveAgent: settings.liveAgentTarget(session.buttonId),
    visitor: { name: settings.visitorName({ name: user.name, email }), language: locale },
    prechatDetails: prechatDetails({ email, title: input.title, description: input.description }),
    prechatEntities: [],
    transcript: transcriptOf(input.messageHistory),
    transcriptDelivery: {
      mode: settings.config.transcriptMode,
      ...(settings.config.transcriptPrechatField ? { prechatField: settings.config.transcriptPrechatField } : {}),
    },
  }
  const effects = new EffectRunner(props, settings)
  const scope = { conversationId, chatId: null, locale, upstreamConversationId }

  let chatId: string
  try {
    chatId = (await settings.hopClient().createChat(request)).chatId
  } catch (thrown) {
    const failed = lifecycle.apply({ type: 'hitl.failed', detail: messageOf(thrown) })
    await store.saveLifecycle(conversationId, lifecycle)
    await effects.run(failed.effects, scope)
    logger.forBot().error(`Could not start the Live Agent hand-off: ${messageOf(thrown)}`)
    throw thrown instanceof RuntimeError
      ? thrown
      : new RuntimeError(`Could not start the Live Agent hand-off: ${messageOf(thrown)}`)
  }

  await store.setChatId(conversationId, chatId)
  await client.updateConversation({ id: conversationId, tags: { chatId } })
  await effects.run(started.effects, { ...scope, chatId })
  logger.forBot().info(`Live Agent hand-off ${conversationId} started (chat ${chatId}, locale ${locale}).`)
  return { conversationId }
}

/** The URL the hop server posts events to: Botpress's webhook for this integration instance. */
const webhookUrlOf = (ctx: bp.Context): string => {
  const base = (process.env.BP_WEBHOOK_URL || DEFAULT_WEBHOOK_BASE_URL).replace(/\/+$/, '')
  return `${base}/${ctx.webhookId}`
}

/** The locale of the customer's latest message that asked for a human, else the configured default. */
const detectLocale = (history: HistoryMessage[], settings: Settings): string => {
  for (const message of [...history].reverse()) {
    if (message.source.type !== 'user' || message.type !== 'text') continue
    const match = settings.triggers.match(message.payload.text, { fallbackLocale: settings.defaultLocale })
    if (match.matched) return match.locale
  }
  return settings.defaultLocale
}

const transcriptOf = (history: HistoryMessage[]): TranscriptLine[] => {
  const at = new Date().toISOString()
  return history
    .map((message) => ({
      role: message.source.type === 'user' ? ('visitor' as const) : ('bot' as const),
      text: describeForAgent(message.type, message.payload as Record<string, unknown>),
      at,
    }))
    .filter((line) => line.text.length > 0)
}

const prechatDetails = (details: { email?: string; title?: string; description?: string }): PrechatDetail[] => {
  const shown = (label: string, value: string | undefined): PrechatDetail[] =>
    value?.trim() ? [{ label, value: value.trim(), transcriptFields: [], displayToAgent: true }] : []
  return [
    ...shown('Email', details.email),
    ...shown('Subject', details.title),
    ...shown('Description', details.description),
  ]
}

const messageOf = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown))
