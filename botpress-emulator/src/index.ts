export { ApiError, invalidInput, notFound } from './api-error.js'
export { BotpressServer, type BotpressServerOptions } from './botpress-server.js'
export { type Call, CallLog } from './call-log.js'
export { createInProcessClient, type InProcessClient } from './in-process-client.js'
export {
  IntegrationCaller,
  IntegrationCallError,
  type MessageCreated,
  type RuntimeResponse,
  type WebhookRequest,
} from './integration-caller.js'
export { callOperation, OPERATIONS, type Created, type OperationName } from './operations.js'
export { botpressHeaders, type BotpressOperation, type RuntimeIdentity } from './runtime-headers.js'
export { BotpressStore, type StateKey, type StateType, type StoreOptions } from './store.js'
export { type Tags, type TagsInput } from './tags.js'
export {
  isCloseCommand,
  isSupportedType,
  noReplyEmail,
  NULL_TEXT,
  PLUGIN_DEFAULT_TEXTS,
  textOf,
  UNKNOWN_AGENT,
  UNKNOWN_USER,
  UNSUPPORTED_TYPE_TEXT,
  type PluginConfiguration,
  type PluginTextKey,
} from './hitl-plugin-rules.js'
