import type * as bp from '../bp.js'
import type { Settings } from '../settings.js'
import { EffectRunner } from './effects.js'
import { HandoffStore, type StoredHandoff } from './handoff-store.js'
import { PendingEnds } from './pending-end.js'

/**
 * Ends a hand-off from the Botpress side: stopHitl (the bot, or the HITL plugin on /end or its timeout) or a cancel
 * phrase (the visitor). The plugin has already handed the customer back when it calls stopHitl, so the Botpress side
 * ends first and the Live Agent chat is ended now or, when the hop server cannot be reached, later (pending-end.ts).
 * Stopping an ended hand-off does nothing.
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
  await new HandoffStore(props.client).saveLifecycle(stored.conversationId, stored.lifecycle)
  await new EffectRunner(props, settings).run(result.effects, {
    conversationId: stored.conversationId,
    chatId,
    locale,
    upstreamConversationId,
  })
  await new PendingEnds(props, settings).endOrDefer(stored.conversationId, chatId)
  props.logger
    .forBot()
    .info(`Live Agent hand-off ${stored.conversationId} ended by the ${by === 'bot' ? 'bot' : 'customer'}.`)
  return 'stopped'
}
