import type * as bp from '../bp.js'
import { stopHitlInputSchema } from '../definitions/hitl-interface.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import { stopHandoff } from '../lifecycle/stop-handoff.js'
import { parseInput } from '../parse-input.js'
import { Settings } from '../settings.js'

/**
 * Ends the Live Agent chat. The bot (or the HITL plugin) asked for it, so no hitlStopped is sent back; stopping twice
 * is fine, and a hop server that cannot be reached does not make it fail (the chat is ended later, pending-end.ts).
 */
export const stopHitl: bp.IntegrationProps['actions']['stopHitl'] = async (props) => {
  const { conversationId } = parseInput(stopHitlInputSchema, props.input, 'stopHitl')
  const settings = Settings.fromContext(props.ctx)
  const stored = await new HandoffStore(props.client).load(conversationId)
  if (!stored) {
    // Nothing to stop; failing would only break the HITL plugin's /end after it already handed back.
    props.logger.forBot().warn(`stopHitl: there is no Live Agent hand-off in conversation ${conversationId}.`)
    return {}
  }
  const outcome = await stopHandoff(props, settings, stored, 'bot')
  if (outcome === 'already_ended') {
    props.logger.info(`stopHitl: hand-off ${conversationId} had already ended.`)
  }
  return {}
}
