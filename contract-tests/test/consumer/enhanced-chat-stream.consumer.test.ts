// Consumer side of the Enhanced Chat stream contract: each event, as the SSE reader hands it on (its `event` name
// and its `data` envelope), goes through the hop server's envelope schema and its translation into bridge events.
import { PactV4 } from '@pact-foundation/pact'
import { eventEnvelopeSchema, translateEnhancedBatch, type StreamEvent } from '@liveagent-hop/hop-server/enhanced-chat'
import {
  ENHANCED_CHAT,
  EXAMPLE,
  STREAM_EVENT,
  STREAM_EXAMPLE,
  type StreamEventDescription,
} from '../../src/enhanced-chat/contract.js'
import { expectStreamEvent } from '../../src/enhanced-chat/stream-events.js'
import { HOP_SERVER } from '../../src/participants.js'
import { PACT_DIR, pactLogLevel } from '../../src/paths.js'

const newPact = () =>
  new PactV4({ consumer: HOP_SERVER, provider: ENHANCED_CHAT, dir: PACT_DIR, logLevel: pactLogLevel() })

const AT = Date.parse('2026-11-30T10:00:00.000Z')
const JANE = { id: STREAM_EXAMPLE.agentId, name: STREAM_EXAMPLE.agentName }
const waiting = { state: 'queued' as const, progress: { queuePosition: 0 } }
const withAgent = { state: 'agent' as const, progress: { agent: JANE } }

/** The chat's state before the event, and the bridge events the hop server must make of it. */
const EXPECTED: Record<StreamEventDescription, { before: typeof waiting | typeof withAgent; events: unknown[] }> = {
  [STREAM_EVENT.routed]: {
    before: { state: 'queued', progress: { queuePosition: 0 } },
    events: [['chat.queued', { position: 0 }]],
  },
  [STREAM_EVENT.queuePosition]: {
    before: waiting,
    events: [['chat.queued', { position: STREAM_EXAMPLE.queuePosition }]],
  },
  [STREAM_EVENT.agentJoined]: { before: waiting, events: [['agent.joined', { agent: JANE }]] },
  [STREAM_EVENT.agentTyping]: { before: withAgent, events: [['agent.typing', { typing: true }]] },
  [STREAM_EVENT.agentMessage]: {
    before: withAgent,
    events: [['agent.message', { text: STREAM_EXAMPLE.agentText, agent: JANE }]],
  },
  [STREAM_EVENT.agentEnded]: {
    before: withAgent,
    events: [['chat.ended', { reason: 'agent', detail: 'the session was ended by Agent' }]],
  },
}

describe('Enhanced Chat stream contract, consumer: the hop server reader and translation', () => {
  it.each(Object.values(STREAM_EVENT))('reads %s', async (description) => {
    await expectStreamEvent(newPact(), description, async (message) => {
      const envelope = eventEnvelopeSchema.parse(message.contents.content)
      const name = String((message.metadata as Record<string, unknown>)['event'])
      const event: StreamEvent = {
        id: '2147867901',
        name,
        conversationId: envelope.conversationId,
        entry: envelope.conversationEntry,
      }
      const expected = EXPECTED[description]
      const result = translateEnhancedBatch([event], expected.before, { conversationId: EXAMPLE.conversationId }, AT)
      expect(result.events.map((e) => [e.type, e.data])).toEqual(expected.events)
    })
  })
})
