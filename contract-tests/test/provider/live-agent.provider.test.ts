// Provider side of the Live Agent contract: the mock server (our stand-in for Salesforce, in process on an ephemeral
// port) must honour every interaction the hop server's client relies on. Salesforce itself never runs this; it keeps
// the test double the rest of the suite trusts in line with the contract.
import { Verifier } from '@pact-foundation/pact'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { LIVE_AGENT_IDS } from '../../src/live-agent/contract.js'
import { liveAgentStateHandlers } from '../../src/live-agent/provider-states.js'
import { HOP_SERVER, LIVE_AGENT } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { pactSource, type StateHandlers } from '../../src/verification.js'

/** A held poll with nothing to send answers 204 after this long (Salesforce: ~30 s). */
const HOLD_MS = 100

describe('Live Agent contract, provider: the mock server', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({
      scenario: 'manual',
      holdMs: HOLD_MS,
      orgId: LIVE_AGENT_IDS.organizationId,
      deploymentId: LIVE_AGENT_IDS.deploymentId,
      buttonId: LIVE_AGENT_IDS.buttonId,
    })
  })
  afterAll(() => mock.close())

  it('honours every interaction of the hop server client', async () => {
    await new Verifier({
      provider: LIVE_AGENT,
      providerBaseUrl: mock.url,
      ...pactSource(pactFile(HOP_SERVER, LIVE_AGENT)),
      stateHandlers: liveAgentStateHandlers(mock) as StateHandlers,
      logLevel: pactLogLevel(),
    }).verifyProvider()

    // The verifier's requests (and the state set-ups') break no protocol rule, except the gap the "Out of sync"
    // interaction makes on purpose.
    const rules = new Set(mock.admin.stats().violations.map((v) => v.rule))
    expect(rules).toEqual(new Set(['sequence-gap']))
  })
})
