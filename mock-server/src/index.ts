export { startMockServer, ADMIN_PREFIX, type MockServer } from './server.js'
export type { MockAdmin, InjectFault } from './admin.js'
export type { ChatView, ChatState, TranscriptEntry } from './chat-view.js'
export type { StatsView, Violation } from './stats.js'
export type { FaultKind } from './faults.js'
export { SAMPLE_IDS, SCENARIOS, type MockServerOptions, type ResolvedOptions, type ScenarioName } from './config.js'
export { BODY, HEADER, RESOURCES, type LaEvent, type Resource } from './protocol.js'
export {
  ENHANCED_ADMIN_PREFIX,
  EVENT,
  LIMITS,
  MESSAGE,
  REST_PREFIX,
  SSE_PATH,
  type EnhancedChatAdmin,
  type EnhancedChatView,
  type EnhancedFaultSpec,
} from './enhanced-chat/index.js'
export { isBotTranscript } from './bot-transcript.js'
