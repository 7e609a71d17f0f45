// Proof that the Enhanced Chat contract catches a broken consumer: the steps of the consumer suite, driven by
// deliberately wrong clients. Each must fail its consumer test with the mismatch that names the mistake. Their
// pacts go to a throw-away directory: a mutant never contributes to the real contract.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { EnhancedChatClient, type CallOptions } from '@liveagent-hop/hop-server/enhanced-chat'
import { ENHANCED_CHAT, ENHANCED_IDS, EXAMPLE } from '../../src/enhanced-chat/contract.js'
import { ENHANCED_CHAT_INTERACTIONS as EC } from '../../src/enhanced-chat/interactions.js'
import { executeAll, type Interaction } from '../../src/support/interactions.js'
import { HOP_SERVER } from '../../src/participants.js'
import { pactLogLevel } from '../../src/paths.js'

/** Sends the 18-character org id it was configured with instead of converting it (pitfall: the stream then fails). */
class ClientKeepingLongOrgId extends EnhancedChatClient {
  constructor(options: ConstructorParameters<typeof EnhancedChatClient>[0]) {
    super(options)
    Object.defineProperty(this, 'orgId', { value: options.orgId })
  }
}

/** Closes the conversation without ending the messaging session first. */
class ClientClosingOnly extends EnhancedChatClient {
  override async end(token: string, conversationId: string, options?: CallOptions): Promise<void> {
    await this.closeConversation(token, conversationId, options)
  }
}

describe('Enhanced Chat contract, consumer mutants: a wrong client fails its consumer test', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutant-pacts-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Runs `act` with the mutant against the Pact mock server; resolves with the consumer test's failure. */
  async function runMutant(
    interactions: Interaction[],
    client: (url: string) => EnhancedChatClient,
    act: (client: EnhancedChatClient) => Promise<unknown>
  ): Promise<string> {
    const pact = new PactV4({ consumer: HOP_SERVER, provider: ENHANCED_CHAT, dir, logLevel: pactLogLevel() })
    const run = executeAll(pact, interactions, async (url) => {
      const mutant = client(url)
      try {
        // The mutant's own call may fail (the Pact mock answers a mismatch with 500); the verdict is executeTest's.
        await act(mutant).catch(() => undefined)
      } finally {
        mutant.close()
      }
    })
    const failure = await run.then(
      () => new Error('the consumer test passed'),
      (error: unknown) => error as Error
    )
    return failure.message
  }

  it('a client that sends the 18-character org id', async () => {
    const message = await runMutant(
      [EC.accessToken],
      (url) =>
        new ClientKeepingLongOrgId({
          baseUrl: url,
          orgId: `${ENHANCED_IDS.orgId}EAK`,
          esDeveloperName: ENHANCED_IDS.esDeveloperName,
          retry: { maxRetries: 0 },
        }),
      (client) => client.accessToken()
    )
    expect(message).toContain(`Expected '${ENHANCED_IDS.orgId}EAK' (String) to be equal to '${ENHANCED_IDS.orgId}'`)
  })

  it('a client that closes the conversation without ending the messaging session', async () => {
    const message = await runMutant(
      [EC.endSession, EC.closeConversation],
      (url) => new ClientClosingOnly({ baseUrl: url, ...ENHANCED_IDS, retry: { maxRetries: 0 } }),
      (client) => client.end(EXAMPLE.accessToken, EXAMPLE.conversationId)
    )
    expect(message).toContain('The following request was expected but not received')
    expect(message).toContain(`Path: /iamessage/api/v2/conversation/${EXAMPLE.conversationId}/session`)
  })
})
