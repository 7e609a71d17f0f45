import type * as bp from './bp.js'
import { HopServerError } from './hop-client.js'
import { sweepPendingEnds } from './lifecycle/pending-end.js'
import { Settings } from './settings.js'

/** HTTP statuses that mean "not now" rather than "wrong": the hop server or Live Agent did not answer. */
const MOMENTARY_STATUSES = new Set([429, 500, 502, 503, 504])

const isMomentary = (thrown: unknown): thrown is HopServerError =>
  thrown instanceof HopServerError &&
  (thrown.failure === 'unreachable' || (thrown.status !== undefined && MOMENTARY_STATUSES.has(thrown.status)))

/**
 * On install or configuration change: the configuration parses, and the hop server accepts our signature and the
 * Live Agent target (availability), so mistakes show up when the bot builder saves rather than at the first hand-off.
 * A hop server or Live Agent that does not answer right now is only a warning: refusing would keep a correct
 * configuration from being saved because of a moment's outage.
 */
export const register: bp.IntegrationProps['register'] = async ({ ctx, client, logger }) => {
  const settings = Settings.fromContext(ctx)
  const liveAgent = settings.liveAgentTarget()
  if (!liveAgent) {
    // Salesforce gives an Enhanced Chat guest no availability call: nothing more can be checked before a hand-off.
    logger
      .forBot()
      .info(
        'Enhanced Chat configuration saved. Salesforce does not tell a guest whether agents are available; the first hand-off shows whether the deployment routes.'
      )
    await sweepPendingEnds({ ctx, client, logger }, settings)
    return
  }
  let available: boolean
  try {
    available = (await settings.hopClient().getAvailability(liveAgent)).available
  } catch (thrown) {
    if (!isMomentary(thrown)) throw thrown
    logger
      .forBot()
      .warn(`Saved without checking the hop server and Live Agent: ${thrown.message} Hand-offs will try again.`)
    return
  }
  logger
    .forBot()
    .info(`Connected to the hop server; Live Agent agents are ${available ? 'available' : 'not available right now'}.`)
  await sweepPendingEnds({ ctx, client, logger }, settings)
}

/** Nothing to undo: chats end on their own, and the hop server holds no registration for us. */
export const unregister: bp.IntegrationProps['unregister'] = async () => {}
