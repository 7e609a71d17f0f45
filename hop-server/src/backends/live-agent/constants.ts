// Wire-level facts of the Salesforce Chat REST API (chasitor side) and the client's defaults.
// Section numbers refer to docs/live-agent-protocol.md.

export const HEADER = {
  apiVersion: 'X-LIVEAGENT-API-VERSION',
  affinity: 'X-LIVEAGENT-AFFINITY',
  sessionKey: 'X-LIVEAGENT-SESSION-KEY',
  sequence: 'X-LIVEAGENT-SEQUENCE',
} as const

/** The literal affinity sent before a token exists: on SessionId and on ReconnectSession (§1.1, §4.5). */
export const NULL_AFFINITY = 'null'

/** A version that has every resource this client uses (ReconnectSession needs 37+, estimatedWaitTime 47+). */
export const DEFAULT_API_VERSION = '63'

/** The first `ack` of a session: "nothing received yet" (§3.3). */
export const INITIAL_ACK = -1

/** ChasitorInit is always the first POST and carries sequence 1; numbering restarts at 1 after a hand-over (§5). */
export const FIRST_SEQUENCE = 1

/** Resource paths under `<endpoint>/rest/`. */
export const RESOURCE = {
  sessionId: 'System/SessionId',
  messages: 'System/Messages',
  reconnectSession: 'System/ReconnectSession',
  chasitorInit: 'Chasitor/ChasitorInit',
  chatMessage: 'Chasitor/ChatMessage',
  typing: 'Chasitor/ChasitorTyping',
  notTyping: 'Chasitor/ChasitorNotTyping',
  sneakPeek: 'Chasitor/ChasitorSneakPeek',
  chatEnd: 'Chasitor/ChatEnd',
  customEvent: 'Chasitor/CustomEvent',
  resyncState: 'Chasitor/ChasitorResyncState',
  availability: 'Visitor/Availability',
  settings: 'Visitor/Settings',
} as const
export type ResourceName = (typeof RESOURCE)[keyof typeof RESOURCE]

/** Defaults used until the server says otherwise. */
export const DEFAULTS = {
  /** SessionId's clientPollTimeout when the response lacks it; 40 s is what real servers send (§3.1). */
  clientPollTimeoutSec: 40,
  /** The chat's connection timeout until ChatRequestSuccess.connectionTimeout arrives (150 s observed, §4.2). */
  connectionTimeoutMs: 150_000,
  /** Added to clientPollTimeout before a poll is aborted, so a server that answers at the deadline still wins. */
  pollTimeoutMarginMs: 5_000,
  /**
   * After this client aborted a poll (timeout, stop, hand-over), the next poll of the session waits this long:
   * the server learns about the abort only when the closed connection reaches it, and a new poll arriving
   * before that is a duplicate poll, which terminates the chat (409). Also applied when a session resumes
   * from a cursor whose last poll was aborted (`lastPollAbortedAt`).
   */
  abortedPollGraceMs: 500,
  /**
   * After a POST or ChasitorResyncState answered 403 (session gone), how long the poll may still bring the ChatEnded
   * that explains it (an agent who ended the chat a moment before) before the chat is called invalid. The poll held
   * at that moment is answered at once when the chat ends, so this only bounds a server that never answers it.
   */
  refusedLastLookMs: 3_000,
  /** Salesforce silently drops ChatMessage calls sent too fast (§3.4, IBM saw it); this gap keeps them apart. */
  minChatMessageGapMs: 150,
  /** Sequence 409 ("Out of sync") recoveries allowed for one POST before the session gives up (§9.6). */
  maxOutOfSyncRecoveries: 3,
  /** Ids of delivered posts remembered in the cursor, so a re-enqueued post is recognised after a restart. */
  rememberedPostIds: 64,
  /**
   * After a restart, the longest a typing or sneak peek post waits for the pump to say it re-offered the visitor
   * outbox (see reoffer-gate.ts); past it, the hint goes out anyway and the session logs why.
   */
  reofferWaitMs: 10_000,
} as const

/** Timeouts per request kind, in milliseconds (the poll's comes from clientPollTimeout). */
export const DEFAULT_REQUEST_TIMEOUTS = {
  /** SessionId, DELETE SessionId, ReconnectSession. */
  session: 10_000,
  /** Every Chasitor POST, ChasitorResyncState included. */
  post: 10_000,
  /** Visitor/Availability and Visitor/Settings. */
  visitor: 10_000,
} as const
export type RequestTimeouts = { [K in keyof typeof DEFAULT_REQUEST_TIMEOUTS]: number }

/** Retry pacing for network errors and 5xx (bounded by the connection timeout, see backoff.ts). */
export const DEFAULT_BACKOFF = {
  initialDelayMs: 500,
  maxDelayMs: 5_000,
  factor: 2,
  /** Each delay is randomised by ±jitter (a fraction), so many chats do not retry in lockstep. */
  jitter: 0.2,
} as const
