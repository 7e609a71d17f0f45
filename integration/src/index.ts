import * as bp from './bp.js'
import { actions } from './actions/index.js'
import { channels } from './channels.js'
import { handler } from './handler.js'
import { register, unregister } from './setup.js'

export const integration = new bp.Integration({
  register,
  unregister,
  actions,
  channels,
  handler,
})

export default integration

export { default as definition } from '../integration.definition.js'
export { INTEGRATION_NAME, INTEGRATION_VERSION, HANDOFF_STATE } from './const.js'
export {
  BACKENDS,
  configurationSchema,
  MAX_REQUEST_CHECK_EXAMPLES,
  type Backend,
  type Configuration,
  type ConfigurationInput,
} from './definitions/configuration.js'
export {
  DEFAULT_TRIGGER_PHRASES,
  DEFAULT_CANCEL_PHRASES,
  DEFAULT_SYSTEM_MESSAGES,
  type SystemMessageKey,
} from './definitions/locales.js'
export { type EndReason, type HandoffState, type HandoffStatus } from './definitions/states.js'
export {
  matchTrigger,
  matchCancel,
  buildRouter,
  routerFor,
  checkedRouterFor,
  validateRouterConfig,
  parseLabelledList,
  scoreSentences,
  PhraseMatcher,
  normalizeText,
  BUILT_IN_LEXICONS,
  DEFAULT_ROUTER_CONFIG,
  RESCUE_NAMED_ONLY,
  baseLocale,
  builtInRescue,
  rescueKindOf,
  rescueSettingOf,
  type RescueKind,
  type RescueSetting,
  type MatchTriggerOptions,
  type PhraseBook,
  type PhraseMatch,
  type Router,
  type RouterConfig,
  type TriggerDecision,
  type CancelDecision,
  type Scores,
} from './router/index.js'
export { routerConfigOf } from './settings.js'
export {
  signRequest,
  verifySignature,
  computeSignature,
  requestTarget,
  webhookTarget,
  HOP_HEADERS,
  type HopSignatureHeaders,
  type SignedRequest,
} from './signing.js'
export { HopClient, HopServerError, type HopClientOptions } from './hop-client.js'
export { hopEventSchema, type HopEvent, type CreateChatRequest } from './hop-contract.js'
export { Settings } from './settings.js'
// What startHitl sends to POST /v1/chats: exported so the contract tests record the integration's real request body.
export { buildChatRequest, type HandoffRequest } from './chat-request.js'
export { handoffMachine } from './lifecycle/machine.js'
export { HandoffLifecycle } from './lifecycle/handoff-lifecycle.js'
export type { TIntegration } from './bp.js'
