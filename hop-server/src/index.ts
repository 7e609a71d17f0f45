// Public API of @liveagent-hop/hop-server. The Live Agent client has its own entry point: ./live-agent.
export { startHopServer, type HopServer, type StartOptions } from './server.js'
export {
  ConfigError,
  DEFAULTS,
  ENV_VARIABLES,
  loadConfigFromEnv,
  resolveConfig,
  type HopConfig,
  type HopConfigInput,
  type StoreConfig,
} from './config.js'
export { DEV_TENANT } from './constants.js'
export {
  HEADER_SIGNATURE,
  HEADER_TENANT,
  HEADER_TIMESTAMP,
  SIGNATURE_VERSION,
  computeLegacySignature,
  computeSignature,
  signRequest,
  verifyRequest,
  webhookSignedTarget,
  type SignedHeaders,
  type SignedRequest,
  type VerifyResult,
} from '@liveagent-hop/bridge-contract'
export { createStore, RedisStore, SqliteStore } from './store/index.js'
import type { HopEventType } from './store/types.js'

export type {
  ChatRecord,
  ChatRequest,
  ChatState,
  EndReason,
  HopEventType,
  HopStore,
  LiveAgentTarget,
  StoredHopEvent,
  TranscriptLine,
} from './store/types.js'
export type { CreateChatInput } from './chats/chat-service.js'

/** The body of a webhook the hop server sends (docs/bridge-contract.md, "Webhook events"). */
export interface HopWebhookEvent {
  chatId: string
  conversationId: string
  seq: number
  type: HopEventType | (string & {})
  at: string
  data: Record<string, unknown>
}
