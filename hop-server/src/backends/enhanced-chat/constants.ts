// Wire constants of Salesforce's Enhanced Chat API (Messaging for In-App and Web, guest REST v2 + SSE) that the hop
// server's client relies on. docs/enhanced-chat-protocol.md gives each fact with its source and confidence.
import type { BackoffPolicy } from '../backoff.js'

export const REST_PREFIX = '/iamessage/api/v2'
export const SSE_PATH = '/eventrouter/v1/sse'

export const PATH = {
  accessToken: `${REST_PREFIX}/authorization/unauthenticated/access-token`,
  continuationToken: `${REST_PREFIX}/authorization/continuation-access-token`,
  conversation: `${REST_PREFIX}/conversation`,
} as const

export const HEADER = {
  authorization: 'authorization',
  orgId: 'x-org-id',
  lastEventId: 'last-event-id',
  retryAfter: 'retry-after',
} as const

/** v2 guests send these in the token request (Salesforce's web sample). */
export const CAPABILITIES_VERSION = '1'
export const PLATFORM = 'Web'

/** SSE event names the bridge reads; any other name is ignored, as the SSE Structure page asks. */
export const EVENT = {
  message: 'CONVERSATION_MESSAGE',
  participantChanged: 'CONVERSATION_PARTICIPANT_CHANGED',
  routingResult: 'CONVERSATION_ROUTING_RESULT',
  queuePosition: 'CONVERSATION_QUEUE_POSITION',
  sessionStatusChanged: 'CONVERSATION_SESSION_STATUS_CHANGED',
  closeConversation: 'CONVERSATION_CLOSE_CONVERSATION',
  typingStarted: 'CONVERSATION_TYPING_STARTED_INDICATOR',
  typingStopped: 'CONVERSATION_TYPING_STOPPED_INDICATOR',
  ping: 'ping',
} as const

export const ROUTING_STATUSES = ['INITIAL', 'ROUTED', 'NEEDS_ROUTING', 'TRANSFER'] as const
export type RoutingStatus = (typeof ROUTING_STATUSES)[number]

/** Rate limits of the Help page "Rate Limits for Enhanced Chat". */
export const LIMITS = {
  messagesPerMinutePerConversation: 22,
  /** Page size of the list calls: default 20, at most 50. */
  listMax: 50,
} as const
export const MINUTE_MS = 60_000

/** Lowercase UUID version 4 (variant 8, 9, a or b): the only conversation id Salesforce accepts. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * SCRT2 hosts, for the outbound allowlist: production `<MyDomain>.my.salesforce-scrt.com`, sandboxes
 * `<MyDomain>--<sandbox>.sandbox.my.salesforce-scrt.com`, developer and trial orgs
 * `<name>.develop.my.salesforce-scrt.com`. The `*.my.salesforce-scrt.com` pattern covers the other two as
 * suffixes, they are listed so each kind of org is named; each `*` is one or more DNS labels.
 */
export const SCRT2_HOST_PATTERNS = [
  '*.my.salesforce-scrt.com',
  '*.sandbox.my.salesforce-scrt.com',
  '*.develop.my.salesforce-scrt.com',
] as const

export interface RequestTimeouts {
  /** REST calls. */
  restMs: number
  /** Connecting the stream until its headers arrive. */
  streamConnectMs: number
  /**
   * No byte (event or ping) on an open stream for this long means it is dead. Salesforce's web sample uses 90 s;
   * the simulator pings every 15 s.
   */
  streamIdleMs: number
}

/**
 * How long before a guest token's `exp` a live hand-off warns in the log. Salesforce gives a guest no way to extend
 * its token (a continuation token keeps the expiry, a new token is a new identity), so the hand-off ends then.
 */
export const TOKEN_EXPIRY_WARNING_MS = 5 * 60_000
/** setTimeout's longest delay; a warning further away than this is not scheduled (no guest token lives 24 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1

export const DEFAULT_TIMEOUTS: RequestTimeouts = { restMs: 15_000, streamConnectMs: 15_000, streamIdleMs: 90_000 }

/** The shared backoff (../backoff.ts) with a bound on the number of tries. */
export interface RetryPolicy extends BackoffPolicy {
  /** Tries after the first one. */
  maxRetries: number
}

/** REST retries: a few quick tries; the caller (the outbox) retries later on its own schedule. */
export const DEFAULT_REST_RETRY: RetryPolicy = {
  maxRetries: 3,
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
}

/** Stream reconnects: Salesforce's web sample backs off 1 s × 1.5ⁿ, capped at 30 s, for 10 attempts. */
export const DEFAULT_STREAM_RETRY: RetryPolicy = {
  maxRetries: 10,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 1.5,
  jitter: 0.2,
}
