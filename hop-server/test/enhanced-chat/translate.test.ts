// Translation of Enhanced Chat stream events, shaped as the simulator and the protocol notes show them (entryPayload
// a JSON string inside the envelope), into the bridge's webhook events.
import { describe, expect, it } from '@jest/globals'
import { translateEnhancedBatch } from '../../src/backends/enhanced-chat/translate.js'
import { eventEnvelopeSchema, type StreamEvent } from '../../src/backends/enhanced-chat/wire.js'
import type { ChatSnapshot } from '../../src/pump/translate.js'

const AT = Date.parse('2026-11-30T10:00:00.000Z')
const CONV = 'cebf41a4-f8a5-48ab-a628-7283c794c71c'
const JANE = { role: 'Agent', appType: 'agent', subject: '005000000000001', clientIdentifier: '005000000000001' }
const BOB = { role: 'Agent', appType: 'agent', subject: '005000000000002', clientIdentifier: '005000000000002' }
const SYSTEM = { role: 'System', appType: 'conversation', subject: 'automated-process', clientIdentifier: 'x' }
const ROUTER = { role: 'Router', appType: 'conversation', subject: 'router', clientIdentifier: 'router' }
const GUEST = { role: 'EndUser', appType: 'iamessage', subject: 'v2/iamessage/UNAUTH/NA/uid:1', clientIdentifier: 'g' }

let nextId = 2147867900
/** One SSE event as it comes off the wire: the envelope parsed by the client's own schema. */
function sse(name: string, sender: object, displayName: string, payload: object, conversationId = CONV): StreamEvent {
  const identifier = `entry-${nextId}`
  const data = {
    channelPlatformKey: 'key',
    channelType: 'embedded_messaging',
    channelAddressIdentifier: 'addr',
    conversationId,
    conversationEntry: {
      identifier,
      entryType: 'x',
      entryPayload: JSON.stringify({ id: identifier, ...payload }),
      senderDisplayName: displayName,
      sender,
      relatedRecords: ['0Mw000000000001'],
      transcriptedTimestamp: AT,
      clientTimestamp: AT,
    },
  }
  const parsed = eventEnvelopeSchema.parse(JSON.parse(JSON.stringify(data)))
  return { id: String(nextId++), name, conversationId: parsed.conversationId, entry: parsed.conversationEntry }
}
const text = (id: string, body: string) => ({
  entryType: 'Message',
  messageReason: null,
  abstractMessage: { messageType: 'StaticContentMessage', id, staticContent: { formatType: 'Text', text: body } },
})
const participant = (operation: 'add' | 'remove', who: typeof JANE, name: string) => ({
  entryType: 'ParticipantChanged',
  entries: [{ operation, displayName: name, menuMetadata: null, participant: who }],
})
const routing = (routingType: string, failureType = 'None', wait: number | null = null) => ({
  entryType: 'RoutingResult',
  routingType,
  failureType,
  failureReason: failureType === 'None' ? null : 'No routing target accepted the work item',
  estimatedWaitTime: { estimatedWaitTimeInSeconds: wait, isEWTRequested: wait !== null },
  routingConfigurationDetails: { routingConfigurationType: 'Queue', queueId: failureType === 'None' ? '00G1' : '' },
})
const status = (sessionStatus: string, sessionEndedByRole?: string) => ({
  entryType: 'SessionStatusChanged',
  sessionStatus,
  ...(sessionEndedByRole ? { sessionEndedByRole } : {}),
})

const START: ChatSnapshot = { state: 'connecting', progress: {} }
const CONTEXT = { conversationId: CONV }
const summary = (events: { type: string; data: object }[]) => events.map((e) => [e.type, e.data])

describe('translating Enhanced Chat events', () => {
  it('maps a hand-off: queued with position, agent joined, typing, message; the guest’s echo is dropped', () => {
    const result = translateEnhancedBatch(
      [
        sse('CONVERSATION_SESSION_STATUS_CHANGED', SYSTEM, 'Automated Process', status('Waiting')),
        sse('CONVERSATION_ROUTING_RESULT', ROUTER, 'Omni-Channel', routing('Initial')),
        sse('CONVERSATION_QUEUE_POSITION', ROUTER, 'Omni-Channel', { entryType: 'QueuePosition', position: 2 }),
        sse('CONVERSATION_PARTICIPANT_CHANGED', SYSTEM, 'Automated Process', participant('add', JANE, 'Jane Agent')),
        sse('CONVERSATION_SESSION_STATUS_CHANGED', SYSTEM, 'Automated Process', status('Active')),
        sse('CONVERSATION_MESSAGE', GUEST, 'Guest', text('5321d8cb-6505-49e3-9d29-5edd1efb5915', 'hello')),
        sse('CONVERSATION_DELIVERY_ACKNOWLEDGEMENT', JANE, 'Jane Agent', { entryType: 'DeliveryAcknowledgement' }),
        sse('CONVERSATION_TYPING_STARTED_INDICATOR', JANE, 'Jane Agent', { entryType: 'TypingStartedIndicator' }),
        sse('CONVERSATION_MESSAGE', JANE, 'Jane Agent', text('a1b2', 'Hi, how can I help?')),
      ],
      START,
      CONTEXT,
      AT
    )
    const jane = { id: JANE.subject, name: 'Jane Agent' }
    expect(summary(result.events)).toEqual([
      ['chat.queued', { position: 0 }],
      ['chat.queued', { position: 2 }],
      ['agent.joined', { agent: jane }],
      ['agent.typing', { typing: true }],
      ['agent.message', { text: 'Hi, how can I help?', agent: jane }],
    ])
    expect(result.state).toEqual({ state: 'agent' })
    expect(result.progress).toEqual({ agent: jane })
    expect(result.agentMessages).toBe(1)
  })

  it('carries the estimated wait of orgs that show a wait time instead of positions', () => {
    const result = translateEnhancedBatch(
      [sse('CONVERSATION_ROUTING_RESULT', ROUTER, 'Omni-Channel', routing('Initial', 'None', 90))],
      START,
      CONTEXT,
      AT
    )
    expect(summary(result.events)).toEqual([['chat.queued', { position: 0, estimatedWaitTime: 90 }]])
  })

  it('recognises the agent’s end from participant removed + session Ended, with no close event', () => {
    const inChat: ChatSnapshot = { state: 'agent', progress: { agent: { id: JANE.subject, name: 'Jane Agent' } } }
    const removed = translateEnhancedBatch(
      [sse('CONVERSATION_PARTICIPANT_CHANGED', SYSTEM, 'Automated Process', participant('remove', JANE, 'Jane Agent'))],
      inChat,
      CONTEXT,
      AT
    )
    expect(removed.events).toEqual([]) // a remove alone may be a transfer
    expect(removed.state).toBeUndefined()
    const ended = translateEnhancedBatch(
      [
        sse('CONVERSATION_SESSION_STATUS_CHANGED', SYSTEM, 'Automated Process', status('Ended', 'Agent')),
        sse('CONVERSATION_MESSAGE', JANE, 'Jane Agent', text('late', 'after the end')),
      ],
      { state: 'agent', progress: removed.progress },
      CONTEXT,
      AT
    )
    expect(summary(ended.events)).toEqual([
      ['chat.ended', { reason: 'agent', detail: 'the session was ended by Agent' }],
    ])
    expect(ended.state).toMatchObject({ state: 'ended', endReason: 'agent' })
  })

  it('reports a transfer (remove, routing result Transfer, add) as chat.transferred, not as an end', () => {
    const inChat: ChatSnapshot = { state: 'agent', progress: { agent: { id: JANE.subject, name: 'Jane Agent' } } }
    const result = translateEnhancedBatch(
      [
        sse('CONVERSATION_PARTICIPANT_CHANGED', SYSTEM, 'Automated Process', participant('remove', JANE, 'Jane Agent')),
        sse('CONVERSATION_ROUTING_RESULT', ROUTER, 'Omni-Channel', routing('Transfer')),
        sse('CONVERSATION_PARTICIPANT_CHANGED', SYSTEM, 'Automated Process', participant('add', BOB, 'Bob Agent')),
      ],
      inChat,
      CONTEXT,
      AT
    )
    expect(summary(result.events)).toEqual([['chat.transferred', { agent: { id: BOB.subject, name: 'Bob Agent' } }]])
  })

  it('ends with no_agent when routing fails, and visitor when the end user ended or closed', () => {
    const failed = translateEnhancedBatch(
      [sse('CONVERSATION_ROUTING_RESULT', ROUTER, 'Omni-Channel', routing('Initial', 'RoutingError'))],
      START,
      CONTEXT,
      AT
    )
    expect(failed.state).toMatchObject({ state: 'ended', endReason: 'no_agent' })
    expect(failed.events[0]?.data).toMatchObject({ detail: expect.stringContaining('RoutingError') })
    const closed = translateEnhancedBatch(
      [
        sse('CONVERSATION_SESSION_STATUS_CHANGED', SYSTEM, 'Automated Process', status('Ended', 'EndUser')),
        sse('CONVERSATION_CLOSE_CONVERSATION', GUEST, 'Guest', { entryType: 'CloseConversation' }),
      ],
      { state: 'agent', progress: { agent: { id: JANE.subject, name: 'Jane Agent' } } },
      CONTEXT,
      AT
    )
    expect(summary(closed.events)).toEqual([
      ['chat.ended', { reason: 'visitor', detail: 'the end user ended the session' }],
    ])
  })

  it('ignores other conversations, the bridge’s own message ids, unknown events, and keeps the last of two typing events', () => {
    const result = translateEnhancedBatch(
      [
        sse('CONVERSATION_MESSAGE', JANE, 'Jane Agent', text('x', 'not ours'), '11111111-1111-4111-8111-111111111111'),
        sse('CONVERSATION_MESSAGE', { ...GUEST, role: 'Chatbot' }, 'Bot', text('own-id', 'sent by the bridge')),
        sse('CONVERSATION_PROGRESS_INDICATOR', JANE, 'Jane Agent', { entryType: 'ProgressIndicator' }),
        sse('CONVERSATION_TYPING_STARTED_INDICATOR', JANE, 'Jane Agent', { entryType: 'TypingStartedIndicator' }),
        sse('CONVERSATION_TYPING_STOPPED_INDICATOR', JANE, 'Jane Agent', { entryType: 'TypingStoppedIndicator' }),
      ],
      { state: 'agent', progress: { agent: { id: JANE.subject, name: 'Jane Agent' } } },
      { conversationId: CONV, isOwnMessage: (id) => id === 'own-id' },
      AT
    )
    expect(summary(result.events)).toEqual([['agent.typing', { typing: false }]])
  })

  it('turns an agent’s attachment into its caption and link', () => {
    const result = translateEnhancedBatch(
      [
        sse('CONVERSATION_MESSAGE', JANE, 'Jane Agent', {
          entryType: 'Message',
          abstractMessage: {
            messageType: 'StaticContentMessage',
            id: 'f1',
            staticContent: {
              formatType: 'Attachments',
              text: 'Here is the form',
              attachments: [{ id: 'a', name: 'form.pdf', mimeType: 'application/pdf', url: 'https://x/form.pdf' }],
            },
          },
        }),
      ],
      { state: 'agent', progress: { agent: { id: JANE.subject, name: 'Jane Agent' } } },
      CONTEXT,
      AT
    )
    expect(result.events[0]?.data).toMatchObject({ text: 'Here is the form\nform.pdf: https://x/form.pdf' })
  })
})
