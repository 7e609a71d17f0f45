// Proof that the Live Agent contract catches a broken provider: the real mock server behind a small proxy that
// breaks one protocol rule. Verification of the interactions that rule matters to must fail, with the mismatch
// that names it. (The state handlers still talk to the mock directly, so the states themselves are right.)
import { Verifier } from '@pact-foundation/pact'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { LIVE_AGENT_IDS } from '../../src/live-agent/contract.js'
import { liveAgentStateHandlers } from '../../src/live-agent/provider-states.js'
import { HOP_SERVER, LIVE_AGENT } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { HttpProxy, type Decision, type ProxiedRequest, type Router } from '../../src/support/http-proxy.js'
import { mismatchesOf, onlyInteractions, type StateHandlers } from '../../src/verification.js'

const HOLD_MS = 100

const isPoll = (r: ProxiedRequest) => r.path.endsWith('System/Messages')
const isChatMessage = (r: ProxiedRequest) => r.path.endsWith('Chasitor/ChatMessage')
const header = (r: ProxiedRequest, name: string) => String(r.headers[name] ?? '')

describe('Live Agent contract, broken providers: verification fails with the mismatch that names the bug', () => {
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

  /** Verifies the interactions whose description matches, against the mock behind `breakage`; returns the mismatches. */
  async function verifyBroken(descriptions: string, breakage: Router): Promise<string[]> {
    const proxy = await HttpProxy.start(mock.url, breakage)
    try {
      const verification = onlyInteractions(descriptions, () =>
        new Verifier({
          provider: LIVE_AGENT,
          providerBaseUrl: proxy.url,
          pactUrls: [pactFile(HOP_SERVER, LIVE_AGENT)],
          stateHandlers: liveAgentStateHandlers(mock) as StateHandlers,
          logLevel: pactLogLevel(),
        }).verifyProvider()
      )
      const failure = await verification.then(
        () => undefined,
        (error: unknown) => error
      )
      if (failure === undefined) throw new Error('the verification passed against a broken provider')
      return mismatchesOf(failure).map((m) => m.mismatch)
    } finally {
      await proxy.close()
    }
  }

  it('a provider that ignores ack (resends everything, never answers 204)', async () => {
    const ignoreAck: Router = (r) =>
      isPoll(r) ? { kind: 'forward', rewrite: { query: withParam(r.query, 'ack', '-1') } } : { kind: 'forward' }
    const mismatches = await verifyBroken('^a Messages poll (acknowledging sequence 1|repeating ack 1)', ignoreAck)
    expect(mismatches).toContain('expected 204 but was 200')
    expect(mismatches).toContainEqual(
      expect.stringMatching(/^Expected a List with 1 elements? but received 3 elements?/)
    )
  })

  it('a provider that stops checking X-LIVEAGENT-SEQUENCE (applies any number)', async () => {
    const acceptAnySequence: Router = (r): Decision => {
      if (!isChatMessage(r)) return { kind: 'forward' }
      const chat = mock.admin.chats().find((c) => c.key === header(r, 'x-liveagent-session-key'))
      const next = String((chat?.lastSequence ?? 0) + 1)
      return { kind: 'forward', rewrite: { headers: { 'x-liveagent-sequence': next } } }
    }
    const mismatches = await verifyBroken('^a ChatMessage that skips a sequence number$', acceptAnySequence)
    expect(mismatches).toContain('expected 409 but was 200')
  })

  it('a provider that answers a hand-over with 500 instead of 503', async () => {
    const wrongStatus: Router = () => ({
      kind: 'forward',
      respond: (response) => (response.status === 503 ? { ...response, status: 500 } : response),
    })
    const mismatches = await verifyBroken('^a Messages poll while the session moves to another server$', wrongStatus)
    expect(mismatches).toContain('expected 503 but was 500')
  })

  it('a provider that numbers events from 1 instead of 0', async () => {
    const offByOne: Router = (r) =>
      isPoll(r)
        ? {
            kind: 'forward',
            respond: (response) => {
              if (response.status !== 200) return response
              const batch = JSON.parse(response.body) as { sequence: number }
              return { ...response, body: JSON.stringify({ ...batch, sequence: batch.sequence + 1 }) }
            },
          }
        : { kind: 'forward' }
    const mismatches = await verifyBroken('^the first Messages poll$', offByOne)
    expect(mismatches).toContain('Expected 2 (Integer) to be equal to 1 (Integer)')
  })
})

function withParam(query: URLSearchParams, name: string, value: string): URLSearchParams {
  const copy = new URLSearchParams(query)
  copy.set(name, value)
  return copy
}
