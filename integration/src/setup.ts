import { RuntimeError } from '@botpress/sdk'
import type * as bp from './bp.js'
import { HopServerError } from './hop-client.js'
import type { EnhancedChatAvailabilityResponse, EnhancedChatTarget, LiveAgentTarget } from './hop-contract.js'
import { sweepPendingEnds } from './lifecycle/pending-end.js'
import { Settings } from './settings.js'

/** HTTP statuses that mean "not now" rather than "wrong": the hop server or Salesforce did not answer. */
const MOMENTARY_STATUSES = new Set([429, 500, 502, 503, 504])

const isMomentary = (thrown: unknown): thrown is HopServerError =>
  thrown instanceof HopServerError &&
  (thrown.failure === 'unreachable' || (thrown.status !== undefined && MOMENTARY_STATUSES.has(thrown.status)))

/**
 * On install or configuration change: the configuration parses, and the hop server accepts our signature and the
 * Salesforce target, so mistakes show up when the bot builder saves rather than at the first hand-off. Live Agent:
 * the button's availability. Enhanced Chat: whether Salesforce knows the deployment, and its business hours (a guest
 * cannot learn whether agents are available). A hop server or Salesforce that does not answer right now is only a
 * warning: refusing would keep a correct configuration from being saved because of a moment's outage.
 */
export const register: bp.IntegrationProps['register'] = async ({ ctx, client, logger }) => {
  const settings = Settings.fromContext(ctx)
  const target = settings.target()
  const checked =
    target.backend === 'enhanced-chat'
      ? await checkEnhancedChat(settings, target.enhancedChat, logger)
      : await checkLiveAgent(settings, target.liveAgent, logger)
  if (!checked) return
  await sweepPendingEnds({ ctx, client, logger }, settings)
}

type Logger = Parameters<bp.IntegrationProps['register']>[0]['logger']

/** Whether the check ran; false when the hop server or Salesforce did not answer (warned, saved anyway). */
const momentary = (thrown: unknown, logger: Logger, product: string): false => {
  if (!isMomentary(thrown)) throw thrown
  logger
    .forBot()
    .warn(`Saved without checking the hop server and ${product}: ${thrown.message} Hand-offs will try again.`)
  return false
}

const checkLiveAgent = async (settings: Settings, target: LiveAgentTarget, logger: Logger): Promise<boolean> => {
  let available: boolean
  try {
    available = (await settings.hopClient().getAvailability(target)).available
  } catch (thrown) {
    return momentary(thrown, logger, 'Live Agent')
  }
  logger
    .forBot()
    .info(`Connected to the hop server; Live Agent agents are ${available ? 'available' : 'not available right now'}.`)
  return true
}

/**
 * An unknown deployment refuses the save (a RuntimeError naming esDeveloperName: nothing is saved); outside business
 * hours the log says so; either way the log says that Salesforce does not tell whether agents are available.
 */
const checkEnhancedChat = async (
  settings: Settings,
  target: Pick<EnhancedChatTarget, 'scrtUrl' | 'orgId' | 'esDeveloperName'>,
  logger: Logger
): Promise<boolean> => {
  let answer: EnhancedChatAvailabilityResponse
  try {
    answer = await settings.hopClient().getEnhancedChatAvailability(target)
  } catch (thrown) {
    return momentary(thrown, logger, 'Enhanced Chat')
  }
  if (!answer.deploymentFound) {
    // The hop server's sentence starts with the field (`esDeveloperName: …`) and says what Salesforce answered.
    throw new RuntimeError(
      `The integration configuration is invalid: ${answer.message} Check the deployment's API name in Setup → Embedded Service Deployments: a published Custom Client deployment of this org.`
    )
  }
  if (answer.withinBusinessHours === false) {
    logger.forBot().warn(`Connected to the hop server and Enhanced Chat. ${answer.message}`)
  } else {
    logger.forBot().info(`Connected to the hop server and Enhanced Chat. ${answer.message}`)
  }
  return true
}

/** Nothing to undo: chats end on their own, and the hop server holds no registration for us. */
export const unregister: bp.IntegrationProps['unregister'] = async () => {}
