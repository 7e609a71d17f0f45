// Proof that the Live Agent contract catches a broken consumer: the same conversations as the consumer suite, driven
// by deliberately wrong clients. Each must fail its consumer test with the mismatch that names the mistake. Their
// pacts go to a throw-away directory: a mutant never contributes to the real contract.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import {
  LiveAgentClient,
  type CallOptions,
  type ChasitorPost,
  type PollParams,
  type SessionAuth,
} from '@liveagent-hop/hop-server/live-agent'
import { EXAMPLE } from '../../src/live-agent/contract.js'
import { ChatUnderTest, holdPollsFrom, type ChatUnderTestOptions } from '../../src/live-agent/chat-under-test.js'
import { LIVE_AGENT_INTERACTIONS as LA } from '../../src/live-agent/interactions.js'
import { executeAll, type Interaction } from '../../src/support/interactions.js'
import { HOP_SERVER, LIVE_AGENT } from '../../src/participants.js'
import { pactLogLevel } from '../../src/paths.js'
import { eventually } from '../../src/support/eventually.js'
import { HOLD, routeBy } from '../../src/support/http-proxy.js'

/**
 * Follows the ack rule of the old docs (up to v38: "ack increases by 1 with each new Messages request") instead of
 * carrying the last batch's sequence (§4.1).
 */
class ClientCountingAcks extends LiveAgentClient {
  private polls = 0

  override messages(auth: SessionAuth, params: PollParams, options?: CallOptions) {
    const ack = -1 + this.polls
    this.polls += 1
    return super.messages(auth, { ...params, ack }, options)
  }
}

/** Takes a fresh sequence number for every attempt of a POST, so a retry looks like a new message. */
class ClientRenumberingRetries extends LiveAgentClient {
  private readonly attempts = new Map<string, number>()

  override send(auth: SessionAuth, sequence: number, post: ChasitorPost, options?: CallOptions) {
    const key = `${post.kind}:${sequence}`
    const attempt = this.attempts.get(key) ?? 0
    this.attempts.set(key, attempt + 1)
    return super.send(auth, sequence + attempt, post, options)
  }
}

/** True once `count` requests to the resource went through the proxy and the Pact mock server answered them. */
function reachedTarget(chat: ChatUnderTest, resource: string, count: number): boolean {
  return chat.proxy.requestsTo(resource).filter((r) => r.targetStatus !== undefined).length >= count
}

describe('Live Agent contract, consumer mutants: a wrong client fails its consumer test', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutant-pacts-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /**
   * Runs the mutant until `sent` holds (its wrong request reached the Pact mock server), then stops it; resolves
   * with the failure of the consumer test.
   */
  async function runMutant(
    interactions: Interaction[],
    options: ChatUnderTestOptions,
    act: (chat: ChatUnderTest) => Promise<void>
  ): Promise<string> {
    const pact = new PactV4({ consumer: HOP_SERVER, provider: LIVE_AGENT, dir, logLevel: pactLogLevel() })
    const run = executeAll(pact, interactions, async (mockUrl) => {
      const chat = await ChatUnderTest.open(mockUrl, options)
      try {
        await act(chat)
      } finally {
        await chat.close()
      }
    })
    const failure = await run.then(
      () => new Error('the consumer test passed'),
      (error: unknown) => error as Error
    )
    return failure.message
  }

  it('a client that counts acks up by one per poll instead of acknowledging the last sequence', async () => {
    const message = await runMutant(
      [LA.sessionId, LA.chasitorInit, LA.firstPoll, LA.emptyPoll],
      { clientClass: ClientCountingAcks },
      async (chat) => {
        await eventually('the Pact mock server to answer a second poll', () =>
          reachedTarget(chat, 'System/Messages', 2)
        )
      }
    )
    // The second poll should acknowledge sequence 1 (the first batch's); this client sends ack=0.
    expect(message).toMatch(/GET \/chat\/rest\/System\/Messages\s+1\.0 Expected '0' to be equal to '1'/)
  })

  it('a client that gives a retried POST a new sequence number', async () => {
    const routes = routeBy(
      { when: holdPollsFrom(1), then: HOLD },
      { when: (r) => r.path.endsWith('Chasitor/ChatMessage'), then: { kind: 'lose-response' }, times: 1 }
    )
    const message = await runMutant(
      [LA.sessionId, LA.chasitorInit, LA.firstPoll, LA.chatMessageRetried],
      { clientClass: ClientRenumberingRetries, routes },
      async (chat) => {
        await chat.established()
        void chat.runningSession.enqueue({ kind: 'ChatMessage', text: EXAMPLE.visitorText })
        await eventually('the Pact mock server to answer the retry', () =>
          reachedTarget(chat, 'Chasitor/ChatMessage', 2)
        )
      }
    )
    expect(message).toContain("Mismatch with header 'X-LIVEAGENT-SEQUENCE': Expected '3' to be equal to '2'")
  })
})
