// Provider side of the bridge contract: the real hop server, in process on an ephemeral port, with the mock Live
// Agent behind it, honours every request the integration makes (HTTP interactions) and sends every webhook event
// the integration reads (message interactions, recorded from real deliveries of the hop server).
import { Verifier, providerWithMetadata } from '@pact-foundation/pact'
import { verifySignature, webhookTarget } from '@liveagent-hop/integration'
import { TENANT, WEBHOOK_EVENT } from '../../src/bridge/contract.js'
import { BridgeProvider, type RecordedWebhook } from '../../src/bridge/hop-server-provider.js'
import { HOP_SERVER, INTEGRATION } from '../../src/participants.js'
import { pactFile, pactLogLevel } from '../../src/paths.js'
import { pactSource, type StateHandlers } from '../../src/verification.js'

/** A recorded delivery as a message: its JSON body, with its HTTP headers as the metadata. */
function asMessage(delivery: RecordedWebhook) {
  const metadata: Record<string, string> = {}
  for (const name of ['content-type', 'x-hop-tenant', 'x-hop-timestamp', 'x-hop-signature']) {
    const value = delivery.headers[name]
    if (typeof value === 'string') metadata[name] = value
  }
  return providerWithMetadata(() => JSON.parse(delivery.body) as unknown, metadata)
}

describe('bridge contract, provider: the hop server', () => {
  let provider: BridgeProvider

  beforeAll(async () => {
    provider = await BridgeProvider.start()
  })
  afterAll(() => provider?.close())

  it('honours every request of the integration and sends every webhook event it reads', async () => {
    const recorded = await provider.recordEachWebhookEvent()
    // Pact matches the signing headers by shape only: each real delivery must also verify under the integration's
    // own rule, over the webhook URL it was posted to (Botpress relays it to the handler as path "/").
    for (const delivery of Object.values(recorded)) {
      const verdict = verifySignature({
        headers: delivery.headers,
        method: 'POST',
        target: webhookTarget(provider.recorder.url, { path: '/', query: '' }),
        rawBody: delivery.body,
        expectedTenantId: TENANT.id,
        secret: TENANT.secret,
      })
      expect(verdict).toEqual({ valid: true })
    }
    const messageProviders = Object.fromEntries(
      Object.values(WEBHOOK_EVENT).map((description) => [description, asMessage(recorded[description])])
    )
    await new Verifier({
      provider: HOP_SERVER,
      providerBaseUrl: provider.hop.url,
      ...pactSource(pactFile(INTEGRATION, HOP_SERVER)),
      stateHandlers: provider.stateHandlers() as StateHandlers,
      messageProviders,
      requestFilter: provider.resigningFilter() as never,
      logLevel: pactLogLevel(),
    }).verifyProvider()
  })
})
