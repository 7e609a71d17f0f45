// Wire-level facts of Salesforce's Enhanced Chat API (Messaging for In-App and Web, guest REST v2 + SSE) that the
// simulator reproduces. docs/enhanced-chat-protocol.md gives each fact with its source and confidence.

export const REST_PREFIX = '/iamessage/api/v2'
export const SSE_PATH = '/eventrouter/v1/sse'

export const HEADER = {
  orgId: 'x-org-id',
  lastEventId: 'last-event-id',
  authorization: 'authorization',
} as const

/** Salesforce's error texts, as clients captured them. */
export const MESSAGE = {
  badUuid: 'Specify the conversationId in UUID format. The UUID must be in lowercase.',
  orgIdRequired: 'OrgId is required',
  orgIdMismatch: 'OrgId in the header and token must match',
  jwtExpired: 'Jwt is expired',
  invalidToken: 'Invalid JWT token',
  missingToken: 'Full authentication is required to access this resource',
} as const

export const EVENT = {
  message: 'CONVERSATION_MESSAGE',
  participantChanged: 'CONVERSATION_PARTICIPANT_CHANGED',
  routingResult: 'CONVERSATION_ROUTING_RESULT',
  queuePosition: 'CONVERSATION_QUEUE_POSITION',
  sessionStatusChanged: 'CONVERSATION_SESSION_STATUS_CHANGED',
  closeConversation: 'CONVERSATION_CLOSE_CONVERSATION',
  typingStarted: 'CONVERSATION_TYPING_STARTED_INDICATOR',
  typingStopped: 'CONVERSATION_TYPING_STOPPED_INDICATOR',
  deliveryAck: 'CONVERSATION_DELIVERY_ACKNOWLEDGEMENT',
  readAck: 'CONVERSATION_READ_ACKNOWLEDGEMENT',
} as const
export type EventName = (typeof EVENT)[keyof typeof EVENT]

/** entryType inside entryPayload, per SSE event. */
export const ENTRY_TYPE: Record<EventName, string> = {
  CONVERSATION_MESSAGE: 'Message',
  CONVERSATION_PARTICIPANT_CHANGED: 'ParticipantChanged',
  CONVERSATION_ROUTING_RESULT: 'RoutingResult',
  CONVERSATION_QUEUE_POSITION: 'QueuePosition',
  CONVERSATION_SESSION_STATUS_CHANGED: 'SessionStatusChanged',
  CONVERSATION_CLOSE_CONVERSATION: 'CloseConversation',
  CONVERSATION_TYPING_STARTED_INDICATOR: 'TypingStartedIndicator',
  CONVERSATION_TYPING_STOPPED_INDICATOR: 'TypingStoppedIndicator',
  CONVERSATION_DELIVERY_ACKNOWLEDGEMENT: 'DeliveryAcknowledgement',
  CONVERSATION_READ_ACKNOWLEDGEMENT: 'ReadAcknowledgement',
}

export const ROUTING_STATUS = ['INITIAL', 'ROUTED', 'NEEDS_ROUTING', 'TRANSFER'] as const
export type RoutingStatus = (typeof ROUTING_STATUS)[number]

export type SessionStatus = 'New' | 'Waiting' | 'Active' | 'Ended'
export type Role = 'EndUser' | 'Agent' | 'System' | 'Router'

/** Limits of the Help page "Rate Limits for Enhanced Chat", and the file cap clients observed. */
export const LIMITS = {
  tokensPerMinutePerOrg: 200,
  renewalsPerMinutePerOrg: 200,
  conversationStartsPerWindow: 3,
  conversationStartWindowMs: 30_000,
  messagesPerMinutePerConversation: 22,
  fileBytes: 5 * 1024 * 1024,
  listDefault: 20,
  listMax: 50,
  /** A sibling Salesforce API caps acknowledgements per request at 25; assumed here. */
  acksPerRequest: 25,
} as const
export const MINUTE_MS = 60_000

/** The guest subject: `v2/iamessage/UNAUTH/NA/uid:<uuid>` as two projects saw it in MessagingEndUser. */
export const GUEST_SUBJECT_PREFIX = 'v2/iamessage/UNAUTH/NA/uid:'

/** Lowercase UUID version 4 (variant 8, 9, a or b). */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** The file types the simulated deployment accepts from end users; anything else is 415. */
export const ACCEPTED_FILE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'application/pdf',
  'text/plain',
])

/** Ids start in the range real streams showed (e.g. 2147867834). */
export const FIRST_EVENT_ID = 2_147_860_000
