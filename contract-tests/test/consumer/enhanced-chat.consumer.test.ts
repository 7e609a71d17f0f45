// Consumer side of the Enhanced Chat contract: the hop server's EnhancedChatClient talks to the Pact mock server.
// Each test registers the interactions of one step and lets the real client make the calls.
import { PactV4 } from '@pact-foundation/pact'
import { EnhancedChatClient } from '@liveagent-hop/hop-server/enhanced-chat'
import { ENHANCED_CHAT, ENHANCED_IDS, EXAMPLE } from '../../src/enhanced-chat/contract.js'
import { ENHANCED_CHAT_INTERACTIONS as EC } from '../../src/enhanced-chat/interactions.js'
import { executeAll } from '../../src/support/interactions.js'
import { HOP_SERVER } from '../../src/participants.js'
import { PACT_DIR, pactLogLevel } from '../../src/paths.js'

const newPact = () =>
  new PactV4({ consumer: HOP_SERVER, provider: ENHANCED_CHAT, dir: PACT_DIR, logLevel: pactLogLevel() })

async function withClient(mockUrl: string, test: (client: EnhancedChatClient) => Promise<void>): Promise<void> {
  // No retries: a contract test must see each request once.
  const client = new EnhancedChatClient({ baseUrl: mockUrl, ...ENHANCED_IDS, retry: { maxRetries: 0 } })
  try {
    await test(client)
  } finally {
    client.close()
  }
}

describe('Enhanced Chat contract, consumer: the hop server client', () => {
  it('gets a guest token', async () => {
    await executeAll(newPact(), [EC.accessToken], async (url) =>
      withClient(url, async (client) => {
        await expect(client.accessToken()).resolves.toMatchObject({
          accessToken: EXAMPLE.accessToken,
          lastEventId: EXAMPLE.lastEventId,
        })
      })
    )
  })

  it('creates a conversation with its own lowercase UUID v4 and the pre-chat fields', async () => {
    await executeAll(newPact(), [EC.createConversation], async (url) =>
      withClient(url, async (client) => {
        await client.createConversation(EXAMPLE.accessToken, {
          conversationId: EXAMPLE.conversationId,
          routingAttributes: { _firstName: EXAMPLE.firstName },
        })
      })
    )
  })

  it('reads the routing status, sends a message and typing, then ends the session and closes', async () => {
    const steps = [EC.routingStatus, EC.sendMessage, EC.typingStarted, EC.endSession, EC.closeConversation]
    await executeAll(newPact(), steps, async (url) =>
      withClient(url, async (client) => {
        const { accessToken, conversationId } = EXAMPLE
        await expect(client.routingStatus(accessToken, conversationId)).resolves.toMatchObject({
          routingStatus: 'ROUTED',
        })
        await expect(
          client.sendMessage(accessToken, conversationId, { messageId: EXAMPLE.messageId, text: EXAMPLE.visitorText })
        ).resolves.toEqual({ entryId: EXAMPLE.entryId })
        await client.typing(accessToken, conversationId, true)
        await client.end(accessToken, conversationId)
      })
    )
  })

  it('classifies an expired token (401) as token-expired', async () => {
    await executeAll(newPact(), [EC.expiredToken], async (url) =>
      withClient(url, async (client) => {
        await expect(client.routingStatus(EXAMPLE.accessToken, EXAMPLE.conversationId)).rejects.toMatchObject({
          kind: 'token-expired',
          status: 401,
          serverMessage: 'Jwt is expired',
        })
      })
    )
  })
})
