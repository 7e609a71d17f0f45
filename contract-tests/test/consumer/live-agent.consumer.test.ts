// Consumer side of the Live Agent contract: the hop server's chasitor client (LiveAgentClient + ChatSession) talks
// to the Pact mock server. Each test registers the interactions of one conversation and lets the real session run
// it; the ack, pc and sequence numbers it sends come from its own cursor, carried from one interaction to the next,
// and the contract matches each exactly (as it does the key, affinity token, session id and offset it echoes).
import { PactV4 } from '@pact-foundation/pact'
import { EXAMPLE, LIVE_AGENT_IDS } from '../../src/live-agent/contract.js'
import { ChatUnderTest, header, holdPollsFrom } from '../../src/live-agent/chat-under-test.js'
import { LIVE_AGENT_INTERACTIONS as LA } from '../../src/live-agent/interactions.js'
import { executeAll } from '../../src/support/interactions.js'
import { HOP_SERVER, LIVE_AGENT } from '../../src/participants.js'
import { PACT_DIR, pactLogLevel } from '../../src/paths.js'
import { eventually } from '../../src/support/eventually.js'
import { HOLD, routeBy } from '../../src/support/http-proxy.js'
import { LiveAgentClient } from '@liveagent-hop/hop-server/live-agent'

const newPact = () =>
  new PactV4({ consumer: HOP_SERVER, provider: LIVE_AGENT, dir: PACT_DIR, logLevel: pactLogLevel() })

/** SessionId, ChasitorInit and the first poll: how every chat starts. */
const OPENING = [LA.sessionId, LA.chasitorInit, LA.firstPoll]

/** Runs `test` with a chat through a proxy in front of the Pact mock server, and always cleans up. */
async function withChat(
  mockUrl: string,
  options: Parameters<typeof ChatUnderTest.open>[1],
  test: (chat: ChatUnderTest) => Promise<void>
): Promise<void> {
  const chat = await ChatUnderTest.open(mockUrl, options)
  try {
    await test(chat)
  } finally {
    await chat.close()
  }
}

describe('Live Agent contract, consumer: the hop server chasitor client', () => {
  it('opens a chat and polls: ack=-1&pc=0 first, then ack = the last sequence, the same ack after a 204, pc + 1 each time', async () => {
    await executeAll(newPact(), [...OPENING, LA.emptyPoll, LA.pollAfterEmpty, LA.pollAgentEnded], async (mockUrl) =>
      withChat(mockUrl, {}, async (chat) => {
        await expect(chat.outcome).resolves.toMatchObject({ kind: 'over', reason: 'agent-ended', detail: 'agent' })
        expect(chat.eventTypes()).toEqual(['ChatRequestSuccess', 'ChatEstablished', 'ChatMessage', 'ChatEnded'])
        expect(chat.polls()).toEqual([
          ['-1', '0'],
          ['1', '1'],
          ['1', '2'],
          ['2', '3'],
        ])
      })
    )
  })

  it('numbers visitor posts 2, 3, then ChatEnd 4, while a poll is held open', async () => {
    await executeAll(newPact(), [...OPENING, LA.chatMessage2, LA.chatMessage3, LA.chatEnd], async (mockUrl) =>
      withChat(mockUrl, { routes: routeBy({ when: holdPollsFrom(1), then: HOLD }) }, async (chat) => {
        await chat.established()
        const session = chat.runningSession
        const first = session.enqueue({ kind: 'ChatMessage', text: EXAMPLE.visitorText })
        const second = session.enqueue({ kind: 'ChatMessage', text: 'It was due yesterday.' })
        await expect(first).resolves.toMatchObject({ status: 'delivered', sequence: 2 })
        await expect(second).resolves.toMatchObject({ status: 'delivered', sequence: 3 })
        await expect(session.end()).resolves.toMatchObject({ status: 'delivered', sequence: 4 })
        await expect(chat.outcome).resolves.toMatchObject({ kind: 'over', reason: 'visitor-ended' })
        expect(chat.sequencesOf('Chasitor/ChatMessage')).toEqual(['2', '3'])
        expect(chat.sequencesOf('Chasitor/ChatEnd')).toEqual(['4'])
      })
    )
  })

  it('resends a POST whose answer was lost with the same sequence', async () => {
    const routes = routeBy(
      { when: holdPollsFrom(1), then: HOLD },
      { when: (r) => r.path.endsWith('Chasitor/ChatMessage'), then: { kind: 'lose-response' }, times: 1 }
    )
    await executeAll(newPact(), [...OPENING, LA.chatMessageRetried], async (mockUrl) =>
      withChat(mockUrl, { routes }, async (chat) => {
        await chat.established()
        await expect(
          chat.runningSession.enqueue({ kind: 'ChatMessage', text: EXAMPLE.visitorText })
        ).resolves.toMatchObject({ status: 'delivered', sequence: 2 })
        // Both attempts reached the server; the second one is the retry the contract describes.
        expect(chat.sequencesOf('Chasitor/ChatMessage')).toEqual(['2', '2'])
      })
    )
  })

  it('recovers from 409 "Out of sync" by resending with Actual + 1', async () => {
    const routes = routeBy(
      { when: holdPollsFrom(1), then: HOLD },
      // Live Agent refuses a typing notification without counting its number: the client's numbers run ahead.
      {
        when: (r) => r.path.endsWith('Chasitor/ChasitorTyping'),
        then: { kind: 'answer', status: 400, body: 'Bad Request' },
        times: 1,
      }
    )
    await executeAll(newPact(), [...OPENING, LA.chatMessageOutOfSync, LA.chatMessage2], async (mockUrl) =>
      withChat(mockUrl, { routes }, async (chat) => {
        await chat.established()
        const session = chat.runningSession
        const typing = session.enqueue({ kind: 'ChasitorTyping' })
        const message = session.enqueue({ kind: 'ChatMessage', text: EXAMPLE.visitorText })
        await expect(typing).resolves.toMatchObject({ status: 'dropped', reason: 'rejected' })
        await expect(message).resolves.toMatchObject({ status: 'delivered', sequence: 2 })
        expect(chat.sequencesOf('Chasitor/ChasitorTyping')).toEqual(['2'])
        expect(chat.sequencesOf('Chasitor/ChatMessage')).toEqual(['3', '2'])
      })
    )
  })

  it('follows a 503 hand-over: ReconnectSession (offset, affinity null), new affinity, ChasitorResyncState without a sequence, then sequence 1', async () => {
    const interactions = [
      ...OPENING,
      LA.pollHandover,
      LA.reconnectSession,
      LA.pollAfterReconnect,
      LA.resyncState,
      LA.chatMessageAfterHandover,
    ]
    await executeAll(newPact(), interactions, async (mockUrl) => {
      let buffered: ReturnType<ChatUnderTest['runningSession']['enqueue']> | undefined
      let chat: ChatUnderTest | undefined
      // The visitor writes while the session is being handed over: the message must wait for the resync.
      const onCursor = (cursor: { handover?: string }) => {
        if (cursor.handover === 'reconnect' && !buffered && chat) {
          const session = chat.runningSession
          setImmediate(() => (buffered = session.enqueue({ kind: 'ChatMessage', text: EXAMPLE.visitorText })))
        }
      }
      await withChat(mockUrl, { routes: routeBy({ when: holdPollsFrom(3), then: HOLD }), onCursor }, async (opened) => {
        chat = opened
        await chat.established()
        // (eventually awaits the promise the probe returns: the outcome of the buffered post.)
        const outcome = await eventually('the buffered message to be sent', () => buffered)
        expect(outcome).toMatchObject({ status: 'delivered', sequence: 1 })
        expect(chat.polls()).toEqual([
          ['-1', '0'],
          ['1', '1'],
          ['1', '2'],
          ['2', '3'],
        ])
        // Pact cannot say "this header is absent"; ChasitorResyncState must carry no sequence (§4.5).
        const [resync] = chat.proxy.requestsTo('Chasitor/ChasitorResyncState')
        expect(header(resync!, 'x-liveagent-sequence')).toBeUndefined()
        expect(chat.eventTypes()).toEqual(['ChatRequestSuccess', 'ChatEstablished', 'ChasitorSessionData'])
      })
    })
  })

  it('ends the chat when the session expired (403)', async () => {
    await executeAll(newPact(), [...OPENING, LA.pollExpired], async (mockUrl) =>
      withChat(mockUrl, {}, async (chat) => {
        await expect(chat.outcome).resolves.toMatchObject({ kind: 'over', reason: 'session-invalid' })
        expect(chat.polls()).toEqual([
          ['-1', '0'],
          ['1', '1'],
        ])
      })
    )
  })

  describe('Visitor/Availability', () => {
    const query = { organizationId: LIVE_AGENT_IDS.organizationId, deploymentId: LIVE_AGENT_IDS.deploymentId }

    it('reads an available button', async () => {
      await executeAll(newPact(), [LA.availability], async (mockUrl) => {
        const client = new LiveAgentClient({ endpoint: `${mockUrl}/chat`, apiVersion: EXAMPLE.apiVersion })
        try {
          await expect(client.availability({ ...query, ids: [LIVE_AGENT_IDS.buttonId] })).resolves.toEqual([
            { id: LIVE_AGENT_IDS.buttonId, isAvailable: true },
          ])
        } finally {
          client.close()
        }
      })
    })

    it('reads a missing isAvailable as unavailable', async () => {
      await executeAll(newPact(), [LA.unavailability], async (mockUrl) => {
        const client = new LiveAgentClient({ endpoint: `${mockUrl}/chat`, apiVersion: EXAMPLE.apiVersion })
        try {
          await expect(client.availability({ ...query, ids: [LIVE_AGENT_IDS.buttonId] })).resolves.toEqual([
            { id: LIVE_AGENT_IDS.buttonId, isAvailable: false },
          ])
        } finally {
          client.close()
        }
      })
    })
  })
})
