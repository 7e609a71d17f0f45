// `@liveagent-hop/contract-kit/enhanced-chat`: the Enhanced Chat (Messaging for In-App and Web) contract: REST
// interactions, the event stream's messages, and the simulator's state handlers and stream recorder.
export * from './contract.js'
export { ENHANCED_CHAT_INTERACTIONS } from './interactions.js'
export { enhancedChatStateHandlers } from './provider-states.js'
export { expectStreamEvent, STREAM_MESSAGES } from './stream-events.js'
export { recordStreamEvents, type RecordedEvent } from './stream-recorder.js'
