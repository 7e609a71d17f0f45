// Provider side of the Enhanced Chat contract: the simulator (mock-server, in process on an ephemeral port) must
// honour every REST interaction the hop server's Enhanced Chat client relies on, and send every stream event it
// reads (message interactions, recorded from the simulator's real SSE stream: see stream-recorder.ts).
import { Verifier, providerWithMetadata } from '@pact-foundation/pact'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { ENHANCED_CHAT, ENHANCED_IDS, STREAM_EVENT } from '../../src/enhanced-chat/contract.js'
import { enhancedChatStateHandlers } from '../../src/enhanced-chat/provider-states.js'
import { recordStreamEvents } from '../../src/enhanced-chat/stream-recorder.js'
import { HOP_SERVER } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { pactSource, type StateHandlers } from '../../src/verification.js'

describe('Enhanced Chat contract, provider: the simulator', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', ...ENHANCED_IDS })
  })
  afterAll(() => mock.close())

  it('honours every request of the hop server Enhanced Chat client and sends every stream event it reads', async () => {
    const recorded = await recordStreamEvents(mock)
    const messageProviders = Object.fromEntries(
      Object.values(STREAM_EVENT).map((description) => {
        const { name, data } = recorded[description]
        return [description, providerWithMetadata(() => data, { event: name })]
      })
    )
    await new Verifier({
      provider: ENHANCED_CHAT,
      providerBaseUrl: mock.url,
      ...pactSource(pactFile(HOP_SERVER, ENHANCED_CHAT)),
      stateHandlers: enhancedChatStateHandlers(mock) as StateHandlers,
      messageProviders,
      logLevel: pactLogLevel(),
    }).verifyProvider()
  })
})
