// Provider side of the Enhanced Chat contract: the simulator (mock-server, in process on an ephemeral port) must
// honour every interaction the hop server's Enhanced Chat client relies on.
import { Verifier } from '@pact-foundation/pact'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { ENHANCED_CHAT, ENHANCED_IDS } from '../../src/enhanced-chat/contract.js'
import { enhancedChatStateHandlers } from '../../src/enhanced-chat/provider-states.js'
import { HOP_SERVER } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { pactSource, type StateHandlers } from '../../src/verification.js'

describe('Enhanced Chat contract, provider: the simulator', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({
      scenario: 'manual',
      orgId: ENHANCED_IDS.orgId,
      esDeveloperName: ENHANCED_IDS.esDeveloperName,
    })
  })
  afterAll(() => mock.close())

  it('honours every interaction of the hop server Enhanced Chat client', async () => {
    await new Verifier({
      provider: ENHANCED_CHAT,
      providerBaseUrl: mock.url,
      ...pactSource(pactFile(HOP_SERVER, ENHANCED_CHAT)),
      stateHandlers: enhancedChatStateHandlers(mock) as StateHandlers,
      logLevel: pactLogLevel(),
    }).verifyProvider()
  })
})
