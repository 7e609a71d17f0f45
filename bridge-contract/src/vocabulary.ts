// The words both sides of the bridge contract must agree on (docs/bridge-contract.md). Each side still validates
// what it receives with its own runtime checks; these lists are what those checks are built from.

/** `state` of a chat in the hop server's answers. */
export const CHAT_STATES = ['connecting', 'queued', 'agent', 'ended'] as const
export type ChatState = (typeof CHAT_STATES)[number]

/** `reason` of `chat.ended` and `endReason` of a chat. */
export const END_REASONS = ['agent', 'visitor', 'no_agent', 'timeout', 'error'] as const
export type EndReason = (typeof END_REASONS)[number]

/** The reasons a client may give when it ends a chat (`POST /v1/chats/:chatId/end`). */
export const CLIENT_END_REASONS = ['visitor', 'timeout', 'error'] as const satisfies readonly EndReason[]
export type ClientEndReason = (typeof CLIENT_END_REASONS)[number]

/** `type` of a webhook event. Receivers answer 2xx to a type they do not know, so this list may grow. */
export const HOP_EVENT_TYPES = [
  'chat.queued',
  'agent.joined',
  'agent.message',
  'agent.typing',
  'chat.transferred',
  'chat.ended',
] as const
export type HopEventType = (typeof HOP_EVENT_TYPES)[number]

/** `transcript[].role` of the create-chat request. */
export const TRANSCRIPT_ROLES = ['visitor', 'bot', 'agent'] as const
export type TranscriptRole = (typeof TRANSCRIPT_ROLES)[number]

/** `transcriptDelivery.mode` of the create-chat request. */
export const TRANSCRIPT_MODES = ['summary', 'messages', 'none'] as const
export type TranscriptMode = (typeof TRANSCRIPT_MODES)[number]

/**
 * The fields of `GET /v1/availability`'s answer for an Enhanced Chat deployment, in the order the contract page
 * lists them. Live Agent's answer keeps its own (`available`, `buttons`).
 */
export const ENHANCED_CHAT_AVAILABILITY_FIELDS = [
  'backend',
  'available',
  'agentsKnown',
  'deploymentFound',
  'withinBusinessHours',
  'businessHours',
  'message',
] as const
export type EnhancedChatAvailabilityField = (typeof ENHANCED_CHAT_AVAILABILITY_FIELDS)[number]
