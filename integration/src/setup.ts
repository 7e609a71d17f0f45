import type * as bp from './bp.js'
import { Settings } from './settings.js'

/**
 * On install or configuration change: the configuration parses, and the hop server accepts our signature and the
 * Live Agent target (availability), so mistakes show up when the bot builder saves rather than at the first hand-off.
 */
export const register: bp.IntegrationProps['register'] = async ({ ctx, logger }) => {
  const settings = Settings.fromContext(ctx)
  const availability = await settings.hopClient().getAvailability(settings.liveAgentTarget())
  logger
    .forBot()
    .info(
      `Connected to the hop server; Live Agent agents are ${availability.available ? 'available' : 'not available right now'}.`
    )
}

/** Nothing to undo: chats end on their own, and the hop server holds no registration for us. */
export const unregister: bp.IntegrationProps['unregister'] = async () => {}
