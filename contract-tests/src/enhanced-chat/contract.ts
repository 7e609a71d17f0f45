// The vocabulary both sides of the Enhanced Chat contract share: the provider's name, example values, shapes and
// provider states. Protocol notes: docs/enhanced-chat-protocol.md.

/** Salesforce Enhanced Chat (Messaging for In-App and Web, guest API v2). Verified here against mock-server/. */
export const ENHANCED_CHAT = 'salesforce-enhanced-chat'

/** The org and deployment of the consumer tests; the provider verification runs the simulator with the same. */
export const ENHANCED_IDS = { orgId: '00D5g000004AbCd', esDeveloperName: 'Mock_Custom_Client' } as const

export const EXAMPLE = {
  /** A JWT-shaped guest token (header.payload.signature). */
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2Mi9pYW1lc3NhZ2UvVU5BVVRIL05BL3VpZDoxIn0.c2lnbmF0dXJl',
  lastEventId: '2147867834',
  conversationId: 'cebf41a4-f8a5-48ab-a628-7283c794c71c',
  messageId: '5321d8cb-6505-49e3-9d29-5edd1efb5915',
  entryId: '9f3e1c2a-7b6d-4e5f-8a9b-0c1d2e3f4a5b',
  visitorText: 'Where is my order?',
  firstName: 'Ada',
} as const

export const PATTERN = {
  jwt: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$',
  eventId: '^[0-9]+$',
  /** Lowercase UUID v4, the only conversation id Salesforce accepts. */
  uuidV4: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
  routingStatus: '^(INITIAL|ROUTED|NEEDS_ROUTING|TRANSFER)$',
} as const

/** Provider states; the handlers return `accessToken` and `conversationId` for injection. */
export const STATE = {
  online: 'the Enhanced Chat deployment is published',
  tokenIssued: 'a guest access token was issued',
  conversationOpen: 'a guest opened a conversation',
  tokenExpired: 'the guest token of an open conversation expired',
} as const
export type EnhancedChatState = (typeof STATE)[keyof typeof STATE]

/** The stream events the hop server reads, as message interactions (descriptions). */
export const STREAM_EVENT = {
  routed: 'a routing result: the conversation is in the queue',
  queuePosition: 'a queue position',
  agentJoined: 'an agent joined (participant added)',
  agentTyping: 'the agent started typing',
  agentMessage: 'a text message from the agent',
  agentEnded: 'the agent ended the messaging session (status Ended)',
} as const
export type StreamEventDescription = (typeof STREAM_EVENT)[keyof typeof STREAM_EVENT]

export const STREAM_EXAMPLE = {
  agentName: 'Jane Agent',
  agentId: '0055g00000AbCdE',
  agentText: 'Hi, how can I help?',
  queuePosition: 2,
} as const
