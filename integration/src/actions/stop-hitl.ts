import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../bp.js'
import { stopHitlInputSchema } from '../definitions/hitl-interface.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import { stopHandoff } from '../lifecycle/stop-handoff.js'
import { parseInput } from '../parse-input.js'
import { Settings } from '../settings.js'

/** Ends the Live Agent chat. The bot asked for it, so no hitlStopped is sent back; stopping twice is fine. */
export const stopHitl: bp.IntegrationProps['actions']['stopHitl'] = async (props) => {
  const { conversationId } = parseInput(stopHitlInputSchema, props.input, 'stopHitl')
  const settings = Settings.fromContext(props.ctx)
  const stored = await new HandoffStore(props.client).load(conversationId)
  if (!stored) {
    throw new RuntimeError(`There is no Live Agent hand-off in conversation ${conversationId}.`)
  }
  const outcome = await stopHandoff(props, settings, stored, 'bot')
  if (outcome === 'already_ended') {
    props.logger.info(`stopHitl: hand-off ${conversationId} had already ended.`)
  }
  return {}
}
