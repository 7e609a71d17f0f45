// Wire-level facts of the Salesforce Chat REST API (chasitor side) that the mock reproduces.
// See docs/live-agent-protocol.md; section numbers below refer to it.

export const CHAT_REST_PREFIX = '/chat/rest'

export const HEADER = {
  apiVersion: 'x-liveagent-api-version',
  affinity: 'x-liveagent-affinity',
  sessionKey: 'x-liveagent-session-key',
  sequence: 'x-liveagent-sequence',
} as const

/** The literal affinity a client sends before it has a token (SessionId, ReconnectSession). */
export const NULL_AFFINITY = 'null'

/** §10: accept any version the docs cover; ReconnectSession exists from v37. */
export const MIN_API_VERSION = 29
export const MAX_API_VERSION = 67
export const RECONNECT_MIN_API_VERSION = 37

/** Visitor POST nouns that carry X-LIVEAGENT-SEQUENCE (§5), besides ChasitorInit and MultiNoun. */
export const VISITOR_NOUNS = [
  'ChatMessage',
  'ChasitorTyping',
  'ChasitorNotTyping',
  'ChasitorSneakPeek',
  'ChatEnd',
  'CustomEvent',
  'ChasitorIdleTimeoutWarningEvent',
] as const
export type VisitorNoun = (typeof VISITOR_NOUNS)[number]

/** Nouns the real server refuses with 500 before ChatEstablished (§2, D11). ChatEnd is allowed: a visitor may cancel while queued. */
export const NOUNS_NEEDING_AGENT: ReadonlySet<string> = new Set([
  'ChatMessage',
  'ChasitorTyping',
  'ChasitorNotTyping',
  'ChasitorSneakPeek',
  'CustomEvent',
  'ChasitorIdleTimeoutWarningEvent',
])

/** Every resource name the mock counts, and that a fault can target. */
export const RESOURCES = [
  'SessionId',
  'ChasitorInit',
  'Messages',
  ...VISITOR_NOUNS,
  'MultiNoun',
  'ReconnectSession',
  'ChasitorResyncState',
  'Availability',
  'Settings',
  'VisitorId',
  'Breadcrumb',
] as const
export type Resource = (typeof RESOURCES)[number]

/** A server event as it travels inside a Messages batch. */
export interface LaEvent {
  type: string
  message: Record<string, unknown>
}

/** Plain-text bodies (real error bodies are text, not JSON, §8). */
export const BODY = {
  ok: 'OK',
  outOfSync: (sent: number | null, lastAccepted: number) => `Out of sync Ack. Expected ${sent}. Actual ${lastAccepted}`,
  duplicatePoll: 'Conflict: another Messages request is already open for this session; the chat has been terminated',
  invalidSession: 'Forbidden: the session is invalid, expired or ended',
  handover: 'Service Unavailable: Invalid Affinity Token, the session moved to another server',
  notEstablished: 'Internal Server Error: java.lang.NullPointerException (no agent has accepted the chat yet)',
  injected500: 'Internal Server Error (injected fault)',
  missingVersion: 'Bad Request: missing X-LIVEAGENT-API-VERSION header',
  badVersion: `Bad Request: X-LIVEAGENT-API-VERSION must be an integer from ${MIN_API_VERSION} to ${MAX_API_VERSION}`,
  noHandover: 'Method Not Allowed: no server hand-over is pending for this session',
  notFound: 'Not Found',
} as const

export const CHAT_ENDED_REASONS = {
  agent: 'agent',
  client: 'client',
} as const
