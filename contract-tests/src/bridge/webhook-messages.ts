// The hop server's webhook events as message interactions (docs/bridge-contract.md, "Webhook events"): one per
// event type the integration acts on. The contents are the JSON body; the metadata are the HTTP headers the event
// travels with (content type and the three signing headers, by shape).
import { MatchersV3, type PactV4 } from '@pact-foundation/pact'
import type { AsynchronousMessage } from '@pact-foundation/pact/src/v4/message/types.js'
import { EXAMPLE, PATTERN, TENANT, WEBHOOK_EVENT, type WebhookEventDescription } from './contract.js'

const { integer, regex, string } = MatchersV3

const AGENT_ID = '^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$'
const agent = (example: { id: string; name: string }) => ({
  id: regex(AGENT_ID, example.id),
  name: string(example.name),
})

/** Every event: which chat, which conversation, its place in the chat's order (from 1, no gaps), when. */
function envelope(type: string, seq: number, data: Record<string, unknown>) {
  return {
    chatId: regex(PATTERN.chatId, EXAMPLE.chatId),
    conversationId: string(EXAMPLE.conversationId),
    seq: integer(seq),
    type,
    at: regex(PATTERN.isoTime, EXAMPLE.at),
    data,
  }
}

/** The headers of a webhook delivery. */
const METADATA = {
  'content-type': 'application/json',
  'x-hop-tenant': TENANT.id,
  'x-hop-timestamp': regex(PATTERN.timestamp, EXAMPLE.timestamp),
  'x-hop-signature': regex(PATTERN.signature, EXAMPLE.signature),
}

/** The example contents of each event, with its matchers. */
export const WEBHOOK_CONTENTS: Record<WebhookEventDescription, Record<string, unknown>> = {
  [WEBHOOK_EVENT.queued]: envelope('chat.queued', 1, { position: integer(1) }),
  [WEBHOOK_EVENT.agentJoined]: envelope('agent.joined', 2, { agent: agent(EXAMPLE.agent) }),
  [WEBHOOK_EVENT.agentTyping]: envelope('agent.typing', 3, { typing: true }),
  [WEBHOOK_EVENT.agentMessage]: envelope('agent.message', 4, {
    text: string(EXAMPLE.agentText),
    agent: agent(EXAMPLE.agent),
  }),
  [WEBHOOK_EVENT.transferred]: envelope('chat.transferred', 5, { agent: agent(EXAMPLE.otherAgent) }),
  [WEBHOOK_EVENT.endedByAgent]: envelope('chat.ended', 6, { reason: 'agent' }),
  [WEBHOOK_EVENT.endedNoAgent]: envelope('chat.ended', 2, { reason: 'no_agent' }),
}

/** Registers the message interaction and runs `consume` with the example message. */
export function expectWebhook<T>(
  pact: PactV4,
  description: WebhookEventDescription,
  consume: (message: AsynchronousMessage) => Promise<T>
): Promise<T | undefined> {
  return pact
    .addAsynchronousInteraction()
    .expectsToReceive(description, (b) => b.withMetadata(METADATA).withJSONContent(WEBHOOK_CONTENTS[description]))
    .executeTest(consume)
}
