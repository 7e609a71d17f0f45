// Consumer side of the webhook contract: each event the hop server sends is handed to the integration's real webhook
// handler, signed as the hop server signs it. The handler checks the signature, then parses the event with the
// integration's own schemas: a 400 (an event it cannot read) fails the test. No hand-off is stored for the
// conversation, so the parsed event ends at "unknown conversation", which the handler answers 200.
import { PactV4 } from '@pact-foundation/pact'
import { hopEventSchema } from '@liveagent-hop/integration'
import { EXAMPLE, WEBHOOK_EVENT, type WebhookEventDescription } from '../../src/bridge/contract.js'
import { deliverWebhook } from '../../src/bridge/integration-under-test.js'
import { expectWebhook } from '../../src/bridge/webhook-messages.js'
import { HOP_SERVER, INTEGRATION } from '../../src/participants.js'
import { PACT_DIR, pactLogLevel } from '../../src/paths.js'

const newPact = () =>
  new PactV4({ consumer: INTEGRATION, provider: HOP_SERVER, dir: PACT_DIR, logLevel: pactLogLevel() })

/** What the integration reads out of each event: the fields its lifecycle acts on. */
const EXPECTED_READING: Record<WebhookEventDescription, unknown> = {
  [WEBHOOK_EVENT.queued]: { type: 'chat.queued', data: { position: 1 } },
  [WEBHOOK_EVENT.agentJoined]: { type: 'agent.joined', data: { agent: EXAMPLE.agent } },
  [WEBHOOK_EVENT.agentTyping]: { type: 'agent.typing', data: { typing: true } },
  [WEBHOOK_EVENT.agentMessage]: { type: 'agent.message', data: { text: EXAMPLE.agentText, agent: EXAMPLE.agent } },
  [WEBHOOK_EVENT.transferred]: { type: 'chat.transferred', data: { agent: EXAMPLE.otherAgent } },
  [WEBHOOK_EVENT.endedByAgent]: { type: 'chat.ended', data: { reason: 'agent' } },
  [WEBHOOK_EVENT.endedNoAgent]: { type: 'chat.ended', data: { reason: 'no_agent' } },
}

describe('webhook contract, consumer: the integration webhook handler', () => {
  it.each(Object.values(WEBHOOK_EVENT))('reads %s', async (description) => {
    await expectWebhook(newPact(), description, async (message) => {
      expect(Object.keys(message.metadata)).toEqual(
        expect.arrayContaining(['content-type', 'x-hop-tenant', 'x-hop-timestamp', 'x-hop-signature'])
      )
      const event = message.contents.content
      expect(hopEventSchema.parse(event)).toMatchObject({
        chatId: EXAMPLE.chatId,
        conversationId: EXAMPLE.conversationId,
        ...(EXPECTED_READING[description] as object),
      })
      await expect(deliverWebhook(event)).resolves.toEqual({ status: 200, body: { outcome: 'unknown_conversation' } })
    })
  })
})
