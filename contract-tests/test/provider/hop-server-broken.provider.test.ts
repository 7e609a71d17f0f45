// Proof that the bridge contract catches a broken hop server: the real one behind a proxy that changes its answers,
// and webhook payloads changed the way a careless refactoring would. Verification must fail with the mismatch
// that names the change.
import { Verifier, providerWithMetadata } from '@pact-foundation/pact'
import { WEBHOOK_EVENT } from '../../src/bridge/contract.js'
import { BridgeProvider } from '../../src/bridge/hop-server-provider.js'
import { HOP_SERVER, INTEGRATION } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { HttpProxy, type Router } from '../../src/support/http-proxy.js'
import { mismatchesOf, onlyInteractions, type StateHandlers } from '../../src/verification.js'

describe('bridge contract, broken providers: verification fails with the mismatch that names the bug', () => {
  let provider: BridgeProvider

  beforeAll(async () => {
    provider = await BridgeProvider.start()
  })
  afterAll(() => provider?.close())

  async function verifyBroken(
    descriptions: string,
    options: { breakage?: Router; messageProviders?: Record<string, () => Promise<unknown>> }
  ): Promise<string[]> {
    const proxy = await HttpProxy.start(provider.hop.url, options.breakage)
    try {
      const failure = await onlyInteractions(descriptions, () =>
        new Verifier({
          provider: HOP_SERVER,
          providerBaseUrl: proxy.url,
          pactUrls: [pactFile(INTEGRATION, HOP_SERVER)],
          stateHandlers: provider.stateHandlers() as StateHandlers,
          ...(options.messageProviders ? { messageProviders: options.messageProviders } : {}),
          requestFilter: provider.resigningFilter() as never,
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

  it('a hop server that answers a new chat with 200 instead of 201', async () => {
    const createdIs200: Router = () => ({
      kind: 'forward',
      respond: (response) => (response.status === 201 ? { ...response, status: 200 } : response),
    })
    const mismatches = await verifyBroken('^a request to create a chat$', { breakage: createdIs200 })
    expect(mismatches).toContain('expected 201 but was 200')
  })

  it('a hop server that stops telling a duplicate message apart', async () => {
    const noDuplicateFlag: Router = () => ({
      kind: 'forward',
      respond: (response) => {
        if (response.status !== 202 || !response.body.includes('"duplicate"')) return response
        const { duplicate: _dropped, ...rest } = JSON.parse(response.body) as Record<string, unknown>
        return { ...response, body: JSON.stringify(rest) }
      },
    })
    const mismatches = await verifyBroken('^a visitor message with a messageId already accepted$', {
      breakage: noDuplicateFlag,
    })
    expect(mismatches).toContain('Actual map is missing the following keys: duplicate')
  })

  it('a hop server that claims to know whether Enhanced Chat agents are available', async () => {
    const guessesAgents: Router = () => ({
      kind: 'forward',
      respond: (response) => {
        if (!response.body.includes('"agentsKnown"')) return response
        const answer = JSON.parse(response.body) as Record<string, unknown>
        return { ...response, body: JSON.stringify({ ...answer, available: answer['withinBusinessHours'] }) }
      },
    })
    const mismatches = await verifyBroken('^an availability check of an Enhanced Chat deployment outside', {
      breakage: guessesAgents,
    })
    expect(mismatches).toContain('Expected false (Boolean) to be equal to null (Null)')
  })

  it('a hop server whose webhook event carries seq as a string', async () => {
    const recorded = await provider.recordEachWebhookEvent()
    const queued = recorded[WEBHOOK_EVENT.queued]
    const event = JSON.parse(queued.body) as { seq: number }
    const stringSeq = providerWithMetadata(() => ({ ...event, seq: String(event.seq) }), {
      'content-type': 'application/json',
      'x-hop-tenant': String(queued.headers['x-hop-tenant']),
      'x-hop-timestamp': String(queued.headers['x-hop-timestamp']),
      'x-hop-signature': String(queued.headers['x-hop-signature']),
    })
    const mismatches = await verifyBroken(`^${WEBHOOK_EVENT.queued}$`, {
      messageProviders: { [WEBHOOK_EVENT.queued]: stringSeq as () => Promise<unknown> },
    })
    expect(mismatches).toContain(`Expected '${event.seq}' (String) to be an integer`)
  })
})
