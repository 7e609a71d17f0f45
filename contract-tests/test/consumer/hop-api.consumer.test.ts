// Consumer side of the bridge API contract: the integration's real HopClient calls the Pact mock server, through a
// proxy that checks every signature with the hop server's own verifier (Pact can only match the signing headers
// by shape; this proves the two sides compute the same HMAC).
import { PactV4 } from '@pact-foundation/pact'
import { HEADER_TENANT, verifyRequest } from '@liveagent-hop/hop-server'
import { HopServerError } from '@liveagent-hop/integration'
import { BRIDGE_API_INTERACTIONS as API, UNKNOWN_BACKEND } from '../../src/bridge/api-interactions.js'
import { EXAMPLE, TENANT, UNKNOWN_TENANT } from '../../src/bridge/contract.js'
import {
  hopClient,
  integrationChatRequest,
  integrationEnhancedChatRequest,
} from '../../src/bridge/integration-under-test.js'
import { HOP_SERVER, INTEGRATION } from '../../src/participants.js'
import { PACT_DIR, pactLogLevel } from '../../src/paths.js'
import { FORWARD, HttpProxy } from '../../src/support/http-proxy.js'
import { executeAll, type Interaction } from '../../src/support/interactions.js'

const SIGNATURE_WINDOW_MS = 5 * 60 * 1000

const newPact = () =>
  new PactV4({ consumer: INTEGRATION, provider: HOP_SERVER, dir: PACT_DIR, logLevel: pactLogLevel() })

interface SignatureCheck {
  path: string
  tenant: string | undefined
  verdict: string
}

/** Runs `test` with a HopClient pointed at a signature-checking proxy in front of the Pact mock server. */
async function withHopClient(
  interactions: Interaction[],
  test: (client: ReturnType<typeof hopClient>, checks: SignatureCheck[]) => Promise<void>,
  tenant: { id: string; secret: string } = TENANT
): Promise<void> {
  await executeAll(newPact(), interactions, async (mockUrl) => {
    const checks: SignatureCheck[] = []
    const proxy = await HttpProxy.start(mockUrl, (request) => {
      const result = verifyRequest({
        headers: request.headers,
        method: request.method,
        target: request.target,
        rawBody: request.body,
        secrets: new Map([[TENANT.id, TENANT.secret]]),
        windowMs: SIGNATURE_WINDOW_MS,
      })
      const tenantHeader = request.headers[HEADER_TENANT]
      checks.push({
        path: request.path,
        tenant: Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader,
        verdict: result.ok ? 'ok' : result.message,
      })
      return FORWARD
    })
    try {
      await test(hopClient(proxy.url, tenant), checks)
    } finally {
      await proxy.close()
    }
  })
}

const chatPath = `/v1/chats/${EXAMPLE.chatId}`

describe('bridge API contract, consumer: the integration hop client', () => {
  it("creates a chat with the integration's own request, and a repeated create answers the same chat", async () => {
    await withHopClient([API.createChat], async (client, checks) => {
      await expect(client.createChat(integrationChatRequest())).resolves.toEqual({
        chatId: EXAMPLE.chatId,
        conversationId: EXAMPLE.conversationId,
        state: 'connecting',
        created: true,
      })
      expect(checks).toEqual([{ path: '/v1/chats', tenant: TENANT.id, verdict: 'ok' }])
    })
    await withHopClient([API.createChatAgain], async (client) => {
      await expect(client.createChat(integrationChatRequest())).resolves.toMatchObject({
        chatId: EXAMPLE.chatId,
        created: false,
      })
    })
  })

  it('creates a chat on the backend the request names (live-agent, the default)', async () => {
    await withHopClient([API.createChatNamingBackend], async (client) => {
      const request = { ...integrationChatRequest(), backend: 'live-agent' } as ReturnType<
        typeof integrationChatRequest
      >
      await expect(client.createChat(request)).resolves.toMatchObject({ chatId: EXAMPLE.chatId, created: true })
    })
  })

  it('sends a visitor message, a typing indicator, reads the status and ends the chat', async () => {
    await withHopClient([API.sendMessage, API.typing, API.getChat, API.endChat], async (client, checks) => {
      const message = { messageId: EXAMPLE.messageId, text: EXAMPLE.visitorText }
      await expect(client.sendMessage(EXAMPLE.chatId, message)).resolves.toEqual({ accepted: true, duplicate: false })
      await expect(client.sendTyping(EXAMPLE.chatId, true)).resolves.toBeUndefined()
      await expect(client.getChat(EXAMPLE.chatId)).resolves.toEqual({
        chatId: EXAMPLE.chatId,
        conversationId: EXAMPLE.conversationId,
        state: 'agent',
        agent: EXAMPLE.agent,
      })
      await expect(client.endChat(EXAMPLE.chatId)).resolves.toBeUndefined()
      expect(checks.map((c) => [c.path, c.verdict])).toEqual([
        [`${chatPath}/messages`, 'ok'],
        [`${chatPath}/typing`, 'ok'],
        [chatPath, 'ok'],
        [`${chatPath}/end`, 'ok'],
      ])
    })
  })

  it('resends a message with the same messageId and learns it was a duplicate', async () => {
    await withHopClient([API.sendMessageAgain], async (client) => {
      const message = { messageId: EXAMPLE.messageId, text: EXAMPLE.visitorText }
      await expect(client.sendMessage(EXAMPLE.chatId, message)).resolves.toEqual({ accepted: true, duplicate: true })
    })
  })

  it('checks availability before creating a chat', async () => {
    await withHopClient([API.availability], async (client) => {
      await expect(client.getAvailability(EXAMPLE.liveAgent)).resolves.toEqual({
        available: true,
        buttons: [{ id: EXAMPLE.liveAgent.buttonId, available: true }],
      })
    })
  })

  it("creates an Enhanced Chat chat with the integration's own request for that backend", async () => {
    await withHopClient([API.createEnhancedChat], async (client, checks) => {
      const request = integrationEnhancedChatRequest()
      expect(request).not.toHaveProperty('liveAgent')
      await expect(client.createChat(request)).resolves.toEqual({
        chatId: EXAMPLE.chatId,
        conversationId: EXAMPLE.conversationId,
        state: 'connecting',
        created: true,
      })
      expect(checks).toEqual([{ path: '/v1/chats', tenant: TENANT.id, verdict: 'ok' }])
    })
  })

  it('asks what an Enhanced Chat guest may know: the deployment and its business hours, never the agents', async () => {
    await withHopClient([API.enhancedChatAvailability], async (client, checks) => {
      const answer = await client.getEnhancedChatAvailability(EXAMPLE.enhancedChat)
      expect(answer).toMatchObject({
        backend: 'enhanced-chat',
        available: null,
        agentsKnown: false,
        deploymentFound: true,
        withinBusinessHours: false,
        businessHours: {
          active: true,
          windows: [{ start: '2026-11-30T09:00:00.000Z', end: '2026-11-30T17:00:00.000Z' }],
        },
      })
      expect(answer.message).toMatch(/outside its business hours/)
      expect(checks.map((check) => check.verdict)).toEqual(['ok'])
    })
  })

  it('learns that the org has no Enhanced Chat deployment of that name', async () => {
    await withHopClient([API.enhancedChatAvailabilityUnknownDeployment], async (client) => {
      const answer = await client.getEnhancedChatAvailability({
        ...EXAMPLE.enhancedChat,
        esDeveloperName: EXAMPLE.unknownDeployment,
      })
      expect(answer).toMatchObject({ deploymentFound: false, withinBusinessHours: null, businessHours: null })
      expect(answer.message).toMatch(/^esDeveloperName: /)
    })
  })

  describe('errors become failures the integration can branch on', () => {
    const failureOf = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => (error instanceof HopServerError ? { failure: error.failure, status: error.status } : error)
      )

    const onBackend = (backend: string) =>
      ({ ...integrationChatRequest(), backend }) as ReturnType<typeof integrationChatRequest>
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) =>
          error instanceof HopServerError
            ? { failure: error.failure, status: error.status, message: error.message }
            : error
      )

    it('400 naming the known backends for a create on a backend nobody knows', async () => {
      await withHopClient([API.createChatOnUnknownBackend], async (client) => {
        await expect(refusal(client.createChat(onBackend(UNKNOWN_BACKEND)))).resolves.toMatchObject({
          failure: 'refused',
          status: 400,
          message: expect.stringContaining('backend must be one of live-agent, enhanced-chat'),
        })
      })
    })

    it("400 for a create whose target is not its backend's", async () => {
      await withHopClient([API.createChatWithOtherBackendsTarget], async (client) => {
        await expect(refusal(client.createChat(onBackend('enhanced-chat')))).resolves.toMatchObject({
          failure: 'refused',
          status: 400,
          message: expect.stringContaining('liveAgent does not belong in a chat on the enhanced-chat backend'),
        })
      })
    })

    it('409 for a message to an ended chat', async () => {
      await withHopClient([API.sendMessageToEndedChat], async (client) => {
        const message = { messageId: EXAMPLE.messageId, text: EXAMPLE.visitorText }
        await expect(failureOf(client.sendMessage(EXAMPLE.chatId, message))).resolves.toEqual({
          failure: 'chat_ended',
          status: 409,
        })
      })
    })

    it('404 for a chat that does not exist', async () => {
      await withHopClient([API.getMissingChat], async (client) => {
        await expect(failureOf(client.getChat(EXAMPLE.missingChatId))).resolves.toEqual({
          failure: 'unknown_chat',
          status: 404,
        })
      })
    })

    it('401 for a tenant the hop server does not know', async () => {
      await withHopClient(
        [API.unknownTenant],
        async (client, checks) => {
          await expect(failureOf(client.getChat(EXAMPLE.missingChatId))).resolves.toEqual({
            failure: 'unauthorized',
            status: 401,
          })
          expect(checks).toEqual([
            { path: `/v1/chats/${EXAMPLE.missingChatId}`, tenant: UNKNOWN_TENANT.id, verdict: 'unknown tenant' },
          ])
        },
        UNKNOWN_TENANT
      )
    })
  })
})
