// Proof that the bridge contract catches a change in the create-chat request: the integration's real request (made by
// its buildChatRequest), changed the way an edit of the builder would change it, must fail the consumer test with the
// mismatch that names the change. Their pacts go to a throw-away directory: a mutant never contributes to the contract.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { HopServerError, type CreateChatRequest } from '@liveagent-hop/integration'
import { BRIDGE_API_INTERACTIONS as API } from '../../src/bridge/api-interactions.js'
import {
  hopClient,
  integrationChatRequest,
  integrationEnhancedChatRequest,
} from '../../src/bridge/integration-under-test.js'
import { HOP_SERVER, INTEGRATION } from '../../src/participants.js'
import { pactLogLevel } from '../../src/paths.js'
import { executeAll } from '../../src/support/interactions.js'

/** What the Pact mock server answers a request that matches no interaction. */
const MISMATCH_STATUS = 500

describe('bridge API contract, consumer mutants: a changed create-chat request fails its consumer test', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutant-bridge-pacts-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Sends `request` as the create-chat call; resolves with the failure of the consumer test. */
  async function createChatFailure(request: unknown, interaction = API.createChat): Promise<string> {
    const pact = new PactV4({ consumer: INTEGRATION, provider: HOP_SERVER, dir, logLevel: pactLogLevel() })
    const run = executeAll(pact, [interaction], async (mockUrl) => {
      const answer = await hopClient(mockUrl)
        .createChat(request as CreateChatRequest)
        .catch((error: unknown) => error)
      // The mutant's request reached the mock server and matched nothing; the mismatch itself is the test's failure.
      expect(answer).toBeInstanceOf(HopServerError)
      expect((answer as HopServerError).status).toBe(MISMATCH_STATUS)
    })
    const failure = await run.then(
      () => new Error('the consumer test passed'),
      (error: unknown) => error as Error
    )
    return failure.message
  }

  it('a builder that drops transcriptDelivery (the hop server would fall back to its default silently)', async () => {
    const { transcriptDelivery: _dropped, ...request } = integrationChatRequest()
    expect(await createChatFailure(request)).toContain(
      '$: Expected a Map with keys [conversationId, liveAgent, prechatDetails, prechatEntities, transcript, ' +
        'transcriptDelivery, visitor, webhookUrl] but received one with keys [conversationId, liveAgent, ' +
        'prechatDetails, prechatEntities, transcript, visitor, webhookUrl]'
    )
  })

  it('a builder that renames visitor.language to locale', async () => {
    const { visitor, ...rest } = integrationChatRequest()
    const request = { ...rest, visitor: { name: visitor.name, locale: visitor.language } }
    expect(await createChatFailure(request)).toContain(
      '$.visitor: Expected a Map with keys [language, name] but received one with keys [locale, name]'
    )
  })

  it("a builder that leaves the bot's lines out of the transcript", async () => {
    const built = integrationChatRequest()
    const request = { ...built, transcript: built.transcript.filter((line) => line.role === 'visitor') }
    expect(await createChatFailure(request)).toMatch(/\$\.transcript: Expected a List with 3 elements but received 2/)
  })

  it('an Enhanced Chat builder that forgets the mapped pre-chat fields', async () => {
    const built = integrationEnhancedChatRequest() as CreateChatRequest & {
      enhancedChat: { routingAttributes: Record<string, string> }
    }
    const request = { ...built, enhancedChat: { ...built.enhancedChat, routingAttributes: {} } }
    expect(await createChatFailure(request, API.createEnhancedChat)).toMatch(
      /\$\.enhancedChat\.routingAttributes: Expected a Map with keys \[_email, _firstName, _subject\] but received one with keys \[\]/
    )
  })
})
