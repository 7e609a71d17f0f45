// The Enhanced Chat backend's building blocks (README.md says what each does and what wiring is left).
export { EnhancedChatClient } from './client.js'
export type {
  CallOptions,
  EnhancedChatClientOptions,
  EntriesQuery,
  GuestToken,
  NewConversation,
  OutgoingMessage,
  RoutingAttributes,
} from './client.js'
export { EnhancedChatEventStream, type EventStreamOptions } from './event-stream.js'
export { classifyFailure, classifyResponse, retryable } from './classify.js'
export { EnhancedChatError, EnhancedChatInputError, type EnhancedChatErrorKind } from './errors.js'
export { translateEnhancedBatch, type TranslateContext } from './translate.js'
export { OutboxPacer, type PacerClock } from './pacer.js'
export { toOrgId15 } from './org-id.js'
export { SCRT2_HOST_PATTERNS, EVENT, LIMITS, type RoutingStatus } from './constants.js'
export { eventEnvelopeSchema, type ConversationEntry, type StreamEvent } from './wire.js'
