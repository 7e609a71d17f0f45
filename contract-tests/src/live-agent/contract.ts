// The vocabulary both sides of the Live Agent contract share: example values, id shapes, provider state names and
// their parameters. Protocol notes: docs/live-agent-protocol.md (§ numbers below refer to it).

/** The org the consumer tests use; the provider verification configures the mock with the same ids. */
export const LIVE_AGENT_IDS = {
  organizationId: '00D5g000004AbCd',
  deploymentId: '5725g000000AbCd',
  buttonId: '5735g000000AbCd',
} as const

/** Example values of the contract: what the Pact mock server answers in the consumer tests. */
export const EXAMPLE = {
  apiVersion: '63',
  sessionId: '4f0c6a52-9a7e-4c1b-8f3e-2d5b6c7a8e90',
  sessionKey: '4f0c6a52-9a7e-4c1b-8f3e-2d5b6c7a8e90!1764000000000!kT3vQ9xZ2bL8mN4pR7sW1yA6cE0gH5jK=',
  affinityToken: '9a1b2c3d',
  /** The affinity token ReconnectSession hands out after a server hand-over. */
  affinityAfterHandover: 'efae1fa0',
  clientPollTimeoutSec: 40,
  /** ChatRequestSuccess.connectionTimeout, in ms (150000 observed, §4.2). */
  connectionTimeoutMs: 150_000,
  /** `offset` of the first batch; ReconnectSession must send it back (§4.5). */
  offset: 1_636_522_046,
  agent: { name: 'Alex Rivera', userId: '0055g00000AbCdE' },
  agentText: 'Hello, how can I help?',
  visitorText: 'Where is my order?',
  visitor: { name: 'Ada', userAgent: 'liveagent-hop contract test', screenResolution: '1920x1080' },
  prechatDetail: { label: 'Email', value: 'ada@example.com', transcriptFields: ['Email__c'], displayToAgent: true },
} as const

/** Shapes of server-generated values (§1.1, §1.2), for the matchers. */
export const PATTERN = {
  /** 37–67: ReconnectSession needs 37+ (§4.5); the docs stop at 67 (§10). */
  apiVersion: '^(3[7-9]|[45][0-9]|6[0-7])$',
  uuid: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  /** `<uuid>!<epoch ms>!<signature>` (§1.1). */
  sessionKey: '^[0-9a-f-]{36}![0-9]+!\\S+$',
  affinityToken: '^[0-9a-f]{8}$',
  organizationId: '^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$',
  deploymentId: '^572[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$',
  buttonId: '^573[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$',
  buttonIdList: '^\\[573[0-9A-Za-z]{12}([0-9A-Za-z]{3})?\\]$',
  agentId: '^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$',
  /** ChatEnded reasons seen in Salesforce's SDK (§6). */
  chatEndedReason: '^(agent|client|clientIdleTimeout|agentsUnavailable|agentPushTimeout|NoPost|unknown)$',
} as const

/**
 * Provider states. The parameters say exactly where the session stands, so the state handler can drive the
 * provider there; the values it returns (session key, affinity, session id, offset) are injected into the
 * request wherever the contract uses `fromProviderState`.
 */
export const STATE = {
  online: 'Live Agent is online',
  sessionCreated: 'a session was created',
  chatAccepted: 'a chat was requested and an agent accepted it',
  nothingNew: 'an established chat with no event after the last sequence delivered',
  agentMessage: 'the agent sent a message after the last sequence delivered',
  agentEnded: 'the agent ended the chat after the last sequence delivered',
  postsAccepted: 'an established chat whose visitor posts were accepted up to a sequence',
  handoverStarting: 'the server is handing the session over to another server',
  handoverPending: 'the session was handed over to another server',
  reconnected: 'the session reconnected after a hand-over',
  sessionDataDelivered: 'the session reconnected and ChasitorSessionData was delivered',
  resynced: 'the session resynced after a hand-over',
  expired: 'the session expired',
  available: 'agents are available for the button',
  unavailable: 'no agent is available for the button',
} as const
export type LiveAgentState = (typeof STATE)[keyof typeof STATE]

/** Parameter: the `sequence` of the last batch the client received (the ack it polls with next). */
export interface DeliveredParams {
  lastSequence: number
}

/** Parameter: the last X-LIVEAGENT-SEQUENCE the server accepted. */
export interface AcceptedParams {
  lastAcceptedSequence: number
}

/** Values a state handler returns for injection, named as in the contract's provider-state expressions. */
export interface SessionValues {
  [key: string]: string
  sessionId: string
  sessionKey: string
  affinityToken: string
  /** The `sequence` of the last batch the client received: its next ack. */
  lastSequence: string
  /** The `offset` of that batch, for ReconnectSession. */
  offset: string
  /** The last X-LIVEAGENT-SEQUENCE the server accepted (a retry resends it). */
  lastAcceptedSequence: string
  /** The number the server expects next. */
  nextSequence: string
  /** One past it: a gap. */
  skippedSequence: string
}
