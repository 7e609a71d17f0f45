import type * as bp from '../bp.js'
import type { HopEvent } from '../hop-contract.js'
import { EffectRunner } from '../lifecycle/effects.js'
import { CorruptLifecycleError } from '../lifecycle/handoff-lifecycle.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import type { HopLifecycleEvent } from '../lifecycle/types.js'
import type { Settings } from '../settings.js'

/** What became of a webhook event; every outcome is answered 2xx so the hop server stops delivering it. */
export type EventOutcome = 'applied' | 'duplicate' | 'rejected' | 'unknown_conversation' | 'corrupt_state'

export type HopEventProps<E extends HopEvent = HopEvent> = bp.CommonProps & { settings: Settings; event: E }

/**
 * The one path every hop event takes: find the hand-off, apply the event to its lifecycle once (duplicates and
 * impossible transitions change nothing), carry out the effects, then save. Effects come before the save so that a
 * crash in between redelivers the event rather than losing it; the messages it creates are keyed by chat and seq,
 * so the redelivery does not duplicate them.
 */
export const applyHopEvent = async (props: HopEventProps, lifecycleEvent: HopLifecycleEvent): Promise<EventOutcome> => {
  const { client, logger, event, settings } = props
  const describe = `${event.type} #${event.seq} of chat ${event.chatId}`
  const store = new HandoffStore(client)

  let stored
  try {
    stored = await store.load(event.conversationId)
  } catch (thrown) {
    if (!(thrown instanceof CorruptLifecycleError)) throw thrown
    logger.forBot().error(`Ignored ${describe}: ${thrown.message}`)
    return 'corrupt_state'
  }
  if (!stored || (stored.state.chatId !== null && stored.state.chatId !== event.chatId)) {
    logger.forBot().info(`Ignored ${describe}: conversation ${event.conversationId} has no such Live Agent hand-off.`)
    return 'unknown_conversation'
  }

  const result = stored.lifecycle.apply(lifecycleEvent)
  if (result.outcome === 'duplicate') {
    logger.debug(`Ignored ${describe}: already applied.`)
    return 'duplicate'
  }
  if (result.outcome === 'rejected') {
    logger.forBot().warn(`Rejected ${describe}: not possible while the hand-off is ${result.from}.`)
    return 'rejected'
  }
  if (result.gap) {
    logger.forBot().warn(`${describe} skipped events (expected #${result.gap.expected}); applying it anyway.`)
  }

  const { locale, upstreamConversationId } = stored.state
  await new EffectRunner(props, settings).run(result.effects, {
    conversationId: stored.conversationId,
    chatId: event.chatId,
    locale,
    upstreamConversationId,
    seq: event.seq,
  })
  await store.saveLifecycle(stored.conversationId, stored.lifecycle)
  if (stored.state.chatId === null) {
    // The first event can beat startHitl's own write of the chat id.
    await store.setChatId(stored.conversationId, event.chatId)
  }
  if (result.from !== result.to) {
    logger.info(`Hand-off ${stored.conversationId}: ${result.from} → ${result.to} (${describe}).`)
  }
  return 'applied'
}
