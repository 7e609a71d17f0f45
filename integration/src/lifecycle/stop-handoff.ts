import type * as bp from '../bp.js'
import type { Settings } from '../settings.js'
import { EffectRunner } from './effects.js'
import { HandoffStore, type StoredHandoff } from './handoff-store.js'

/**
 * Ends a hand-off from the Botpress side: stopHitl (by the bot) or a cancel phrase (by the visitor). The hop server
 * is told first, so a failure there changes nothing here. Stopping an ended hand-off does nothing.
 */
export const stopHandoff = async (
  props: bp.CommonProps,
  settings: Settings,
  stored: StoredHandoff,
  by: 'bot' | 'visitor'
): Promise<'stopped' | 'already_ended'> => {
  const result = stored.lifecycle.apply({ type: 'hitl.stop', by })
  if (result.outcome !== 'applied') {
    return 'already_ended'
  }
  const { chatId, locale, upstreamConversationId } = stored.state
  if (chatId) {
    await settings.hopClient().endChat(chatId, 'visitor')
  }
  await new HandoffStore(props.client).saveLifecycle(stored.conversationId, stored.lifecycle)
  await new EffectRunner(props, settings).run(result.effects, {
    conversationId: stored.conversationId,
    chatId,
    locale,
    upstreamConversationId,
  })
  props.logger
    .forBot()
    .info(`Live Agent hand-off ${stored.conversationId} ended by the ${by === 'bot' ? 'bot' : 'customer'}.`)
  return 'stopped'
}
