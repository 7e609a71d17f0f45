import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../bp.js'
import { buildChatRequest, detectLocale } from '../chat-request.js'
import { HITL_CHANNEL } from '../const.js'
import { liveAgentChatSchema } from '../definitions/entities.js'
import { buildStartHitlInputSchema } from '../definitions/hitl-interface.js'
import { EffectRunner } from '../lifecycle/effects.js'
import { HandoffLifecycle } from '../lifecycle/handoff-lifecycle.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import { sweepPendingEnds } from '../lifecycle/pending-end.js'
import { parseInput, withoutBlankFields } from '../parse-input.js'
import { baseLocale } from '../router/index.js'
import { Settings } from '../settings.js'
import { sourceHistory } from '../transcript-source.js'

const startHitlInputSchema = buildStartHitlInputSchema(liveAgentChatSchema)

/**
 * Creates the `hitl` conversation and its lifecycle (connecting), then asks the hop server for the Live Agent chat.
 * The state is written before the hop server is called: its first webhook can arrive before this action returns.
 */
export const startHitl: bp.IntegrationProps['actions']['startHitl'] = async (props) => {
  const { ctx, client, logger } = props
  const { hitlSession } = props.input as { hitlSession?: unknown }
  const input = parseInput(
    startHitlInputSchema,
    { ...props.input, ...(hitlSession ? { hitlSession: withoutBlankFields(hitlSession) } : {}) },
    'startHitl'
  )
  const settings = Settings.fromContext(ctx)
  const session = input.hitlSession ?? {}
  await sweepPendingEnds(props, settings)

  const { user } = await client.getUser({ id: input.userId })
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

  const request = buildChatRequest(ctx, settings, {
    conversationId,
    locale,
    buttonId: session.buttonId,
    visitor: { name: user.name, email: typeof user.tags.email === 'string' ? user.tags.email : undefined },
    title: input.title,
    description: input.description,
    history: await sourceHistory(props, input.messageHistory, props.input.messageHistory, upstreamConversationId),
  })
  const effects = new EffectRunner(props, settings)
  const scope = { conversationId, chatId: null, locale, upstreamConversationId }

  let chatId: string
  try {
    chatId = (await settings.hopClient().createChat(request)).chatId
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown)
    const failed = lifecycle.apply({ type: 'hitl.failed', detail: reason })
    await store.saveLifecycle(conversationId, lifecycle)
    await effects.run(failed.effects, scope)
    logger.forBot().error(`Could not start the Live Agent hand-off: ${reason}`)
    throw thrown instanceof RuntimeError
      ? thrown
      : new RuntimeError(`Could not start the Live Agent hand-off: ${reason}`)
  }

  await store.setChatId(conversationId, chatId)
  await client.updateConversation({ id: conversationId, tags: { chatId } })
  await effects.run(started.effects, { ...scope, chatId })
  logger.forBot().info(`Live Agent hand-off ${conversationId} started (chat ${chatId}, locale ${locale}).`)
  return { conversationId }
}
