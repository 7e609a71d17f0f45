// Public API of the Live Agent chasitor client (`@liveagent-hop/hop-server/live-agent`). See README.md here.
export { Notifier, SerialLock, sleep } from './async.js'
export { RetryWindow, backoffDelay, defaultBackoffPolicy, type BackoffPolicy } from './backoff.js'
export {
  LiveAgentClient,
  type CallOptions,
  type LiveAgentClientObserver,
  type LiveAgentClientOptions,
  type PollParams,
  type PollResult,
  type SessionAuth,
} from './client.js'
export {
  DEFAULTS,
  DEFAULT_API_VERSION,
  DEFAULT_BACKOFF,
  DEFAULT_REQUEST_TIMEOUTS,
  FIRST_SEQUENCE,
  HEADER,
  INITIAL_ACK,
  NULL_AFFINITY,
  RESOURCE,
  type RequestTimeouts,
  type ResourceName,
} from './constants.js'
export {
  CHAT_OVER_REASONS,
  CURSOR_VERSION,
  HANDOVER_STAGES,
  cloneCursor,
  draftCursor,
  parseCursor,
  serializeCursor,
  sessionCursorSchema,
  type ChatOverReason,
  type HandoverStage,
  type PendingPost,
  type SessionCursor,
} from './cursor.js'
export {
  ChatSessionError,
  LiveAgentAbortError,
  LiveAgentError,
  LiveAgentHttpError,
  LiveAgentInputError,
  LiveAgentMalformedResponseError,
  LiveAgentNetworkError,
  LiveAgentSwitchServerError,
  LiveAgentTimeoutError,
  type LiveAgentErrorKind,
} from './errors.js'
export {
  EVENT_MESSAGE_SCHEMAS,
  KNOWN_EVENT_TYPES,
  messagesEnvelopeSchema,
  numberLike,
  parseEvent,
  type EventOf,
  type KnownEvent,
  type KnownEventType,
  type LiveAgentEvent,
  type MessagesBatch,
  type UnknownEvent,
} from './events.js'
export { silentLogger, type LiveAgentLogger } from './logger.js'
export {
  EPHEMERAL_POST_KINDS,
  chasitorPostSchema,
  describePost,
  parseOutOfSync,
  type ChasitorPost,
  type ChasitorPostInput,
  type ChasitorPostKind,
} from './posts.js'
export { redactKey, scrubSecrets } from './redact.js'
export {
  CHAT_END_POST_ID,
  ChatSession,
  INIT_POST_ID,
  openChat,
  type ChatSessionHooks,
  type ChatSessionOptions,
  type OpenChatOptions,
  type PostOutcome,
  type SessionOutcome,
} from './session.js'
export {
  chasitorInitParamsSchema,
  customDetailSchema,
  entitySchema,
  type AvailabilityResult,
  type ChasitorInitBody,
  type ChasitorInitParams,
  type CustomDetail,
  type PrechatEntity,
  type ReconnectResult,
  type SessionIdResponse,
  type VisitorQuery,
  type VisitorSettings,
} from './wire.js'
