// Proof that the Enhanced Chat contract catches a broken provider: the real simulator behind a small proxy that
// breaks one protocol rule. Verification of the interactions that rule matters to must fail, with the mismatch
// that names it. (The state handlers still talk to the simulator directly, so the states themselves are right.)
import { Verifier, providerWithMetadata } from '@pact-foundation/pact'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { ENHANCED_CHAT, ENHANCED_IDS, STREAM_EVENT } from '../../src/enhanced-chat/contract.js'
import { recordStreamEvents } from '../../src/enhanced-chat/stream-recorder.js'
import { enhancedChatStateHandlers } from '../../src/enhanced-chat/provider-states.js'
import { HOP_SERVER } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { HttpProxy, type Router } from '../../src/support/http-proxy.js'
import { mismatchesOf, onlyInteractions, type StateHandlers } from '../../src/verification.js'

describe('Enhanced Chat contract, broken providers: verification fails with the mismatch that names the bug', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', ...ENHANCED_IDS })
  })
  afterAll(() => mock.close())

  async function verifyBroken(
    descriptions: string,
    breakage: Router,
    messageProviders?: Record<string, () => Promise<unknown>>
  ): Promise<string[]> {
    const proxy = await HttpProxy.start(mock.url, breakage)
    try {
      const failure = await onlyInteractions(descriptions, () =>
        new Verifier({
          provider: ENHANCED_CHAT,
          providerBaseUrl: proxy.url,
          pactUrls: [pactFile(HOP_SERVER, ENHANCED_CHAT)],
          stateHandlers: enhancedChatStateHandlers(mock) as StateHandlers,
          ...(messageProviders ? { messageProviders } : {}),
          logLevel: pactLogLevel(),
        }).verifyProvider()
      ).then(
        () => undefined,
        (error: unknown) => error
      )
      if (failure === undefined) throw new Error('the verification passed against a broken provider')
      return mismatchesOf(failure).map((m) => m.mismatch)
    } finally {
      await proxy.close()
    }
  }

  it('a provider that answers a created conversation 200 instead of 201', async () => {
    const wrongStatus: Router = () => ({
      kind: 'forward',
      respond: (response) => (response.status === 201 ? { ...response, status: 200 } : response),
    })
    expect(await verifyBroken('^a new conversation with routing attributes$', wrongStatus)).toContain(
      'expected 201 but was 200'
    )
  })

  it('a provider that still accepts an expired token', async () => {
    const acceptExpired: Router = () => ({
      kind: 'forward',
      respond: (response) =>
        response.status === 401
          ? { ...response, status: 200, body: JSON.stringify({ conversationId: 'x', routingStatus: 'ROUTED' }) }
          : response,
    })
    expect(await verifyBroken('^a routing status request with an expired token$', acceptExpired)).toContain(
      'expected 401 but was 200'
    )
  })

  it('a provider that answers a message without the entry it became', async () => {
    const noEntries: Router = (r) =>
      r.path.endsWith('/message')
        ? {
            kind: 'forward',
            respond: (response) => ({ ...response, body: JSON.stringify({ conversationEntries: [] }) }),
          }
        : { kind: 'forward' }
    const mismatches = await verifyBroken('^a text message from the end user$', noEntries)
    expect(mismatches).toContainEqual('Expected [] (size 0) to have minimum size of 1')
  })

  it('a stream that sends the agent’s message as the end user’s (the hop server would drop it as an echo)', async () => {
    const { name, data } = (await recordStreamEvents(mock))[STREAM_EVENT.agentMessage]
    const envelope = data as { conversationEntry: { sender: Record<string, unknown> } }
    const asEndUser = {
      ...envelope,
      conversationEntry: {
        ...envelope.conversationEntry,
        sender: { ...envelope.conversationEntry.sender, role: 'EndUser' },
      },
    }
    const providers = {
      [STREAM_EVENT.agentMessage]: providerWithMetadata(() => asEndUser, { event: name }) as () => Promise<unknown>,
    }
    const mismatches = await verifyBroken('^a text message from the agent$', () => ({ kind: 'forward' }), providers)
    expect(mismatches).toContainEqual(
      expect.stringContaining("Expected 'EndUser' (String) to be equal to 'Agent' (String)")
    )
  })
})
