// The vocabulary both sides of the bridge contract share (docs/bridge-contract.md): the integration calls the hop
// server's signed /v1 API, and receives the hop server's signed webhook events.
import { LIVE_AGENT_IDS } from '../live-agent/contract.js'

/** The tenant both sides are configured with (the hop server keeps one shared secret per tenant). */
export const TENANT = { id: 'tenant-contract', secret: 'contract-shared-secret-0123456789' } as const
/** A tenant the hop server does not know. */
export const UNKNOWN_TENANT = { id: 'tenant-unknown', secret: 'unknown-shared-secret-0123456789' } as const

/** Botpress Cloud's webhook host (the integration's default) and the webhook id of the integration instance. */
const WEBHOOK_BASE_URL = 'https://webhook.botpress.cloud'
const WEBHOOK_ID = 'wh_contract'

export const EXAMPLE = {
  chatId: 'chat_5f2b8c1d9e0a4b7c6d3e2f1a',
  /** An id of the right shape that no chat has. */
  missingChatId: 'chat_000000000000000000000000',
  conversationId: 'conv_01JD5Q4Z8K3M2N7P6R9S0T1V2W',
  webhookBaseUrl: WEBHOOK_BASE_URL,
  webhookId: WEBHOOK_ID,
  webhookUrl: `${WEBHOOK_BASE_URL}/${WEBHOOK_ID}`,
  liveAgent: {
    endpoint: 'https://d.la1-c2-ia2.salesforceliveagent.com/chat',
    ...LIVE_AGENT_IDS,
    apiVersion: '63',
  },
  /** The Enhanced Chat deployment of the examples: the org of the Live Agent ids, a Custom Client deployment. */
  enhancedChat: {
    scrtUrl: 'https://acme.my.salesforce-scrt.com',
    orgId: LIVE_AGENT_IDS.organizationId,
    esDeveloperName: 'Botpress_Handoff',
  },
  /** A deployment name the org does not have. */
  unknownDeployment: 'Nobody_Here',
  visitor: { name: 'Ada', language: 'en' },
  email: 'ada@example.com',
  messageId: 'msg_01JD5Q4Z8K3M2N7P6R9S0T1V2X',
  visitorText: 'Where is my order?',
  agent: { id: '0055g00000AbCdE', name: 'Alex Rivera' },
  otherAgent: { id: '0055g00000XyZwV', name: 'Bea Lopez' },
  agentText: 'Hello, how can I help?',
  at: '2026-11-24T10:01:00.000Z',
  /** Unix milliseconds, as x-hop-timestamp carries them. */
  timestamp: '1764000000000',
  signature: `v2=${'0'.repeat(64)}`,
} as const

/**
 * The hand-off of the create-chat example, as startHitl gets it from the HITL plugin: the subject and description
 * of the hand-off, a short conversation, and the transcript field the bot builder configured. The consumer test
 * turns it into a request with the integration's own buildChatRequest (`integration-under-test.ts`).
 */
export const HANDOFF = {
  userId: 'user_01JD5Q4Z8K3M2N7P6R9S0T1V2Y',
  title: 'Order 1234 not delivered',
  description: 'The parcel was due on Monday; its tracking page has not changed since Friday.',
  conversation: {
    question: 'Where is my order 1234?',
    botAnswer: 'Order 1234 left our warehouse on Friday and should have arrived on Monday.',
    askForHuman: 'Can I talk to a human?',
  },
  transcriptMode: 'summary',
  transcriptPrechatField: 'Bot_Transcript__c',
  /** buildChatRequest stamps every transcript line with the time of the hand-off. */
  at: '2026-11-24T10:00:00.000Z',
} as const

export const PATTERN = {
  chatId: '^chat_[A-Za-z0-9]{10,40}$',
  chatState: '^(connecting|queued|agent|ended)$',
  endReason: '^(agent|visitor|no_agent|timeout|error)$',
  isoTime: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$',
  /** x-hop-timestamp: Unix time in milliseconds. */
  timestamp: '^[0-9]{13}$',
  /** x-hop-signature: "v2=" + hex HMAC-SHA256 (over tenant, method, target, timestamp and body). */
  signature: '^v2=[0-9a-f]{64}$',
  tenant: '^[A-Za-z0-9._-]{1,64}$',
} as const

/** Provider states of the hop server. */
export const BRIDGE_STATE = {
  noChat: 'no open chat exists for the conversation',
  openChat: 'an open chat exists for the conversation',
  waiting: 'a chat is waiting for an agent',
  messageAccepted: 'a visitor message was already accepted',
  agentJoined: 'an agent joined the chat',
  ended: 'the chat has ended',
  available: 'an agent is available on the button',
  outsideBusinessHours: 'the Enhanced Chat deployment is outside its business hours',
  noSuchDeployment: 'the org has no Enhanced Chat deployment of that name',
  noSuchChat: 'no chat has the id',
  unknownTenant: 'the tenant is not configured',
} as const
export type BridgeState = (typeof BRIDGE_STATE)[keyof typeof BRIDGE_STATE]

export interface MessageAcceptedParams {
  messageId: string
}

/** The webhook events the integration consumes, one message interaction each (docs/bridge-contract.md). */
export const WEBHOOK_EVENT = {
  queued: 'a chat.queued webhook event',
  agentJoined: 'an agent.joined webhook event',
  agentTyping: 'an agent.typing webhook event',
  agentMessage: 'an agent.message webhook event',
  transferred: 'a chat.transferred webhook event',
  endedByAgent: 'a chat.ended webhook event when the agent ended the chat',
  endedNoAgent: 'a chat.ended webhook event when no agent was available',
} as const
export type WebhookEventDescription = (typeof WEBHOOK_EVENT)[keyof typeof WEBHOOK_EVENT]
