// The Enhanced Chat stream's events as message interactions: one per event the hop server acts on. The contents
// are the SSE `data` (the envelope); the metadata carry the SSE `event` name. Inside the envelope,
// `conversationEntry.entryPayload` is a JSON string on the wire, so it is matched by what it must contain.
import { MatchersV3, type PactV4 } from '@pact-foundation/pact'
import type { AsynchronousMessage } from '@pact-foundation/pact/src/v4/message/types.js'
import { EXAMPLE, PATTERN, STREAM_EVENT, STREAM_EXAMPLE, type StreamEventDescription } from './contract.js'

const { regex, string } = MatchersV3

/** A JSON-string payload that carries `entryType` and each of `fragments` (as the stream writes them). */
function payload(example: Record<string, unknown>, ...fragments: string[]) {
  const json = JSON.stringify(example)
  const lookaheads = [`"entryType":"${String(example['entryType'])}"`, ...fragments]
    .map((f) => `(?=.*${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`)
    .join('')
  return regex(`^\\{${lookaheads}.*\\}$`, json)
}

/**
 * The envelope. The sender's role is exact where the hop server acts on it (an agent's message or typing, as opposed
 * to the end user's echo); for platform events (router, system) any role will do.
 */
function envelope(entryType: string, role: string, displayName: string, entryPayload: unknown) {
  const exactRole = role === 'Agent'
  return {
    conversationId: regex(PATTERN.uuidV4, EXAMPLE.conversationId),
    conversationEntry: {
      identifier: string('8a3e6c1f-2b4d-4f6a-9c8e-1d2f3a4b5c6d'),
      entryType,
      sender: {
        role: exactRole ? role : string(role),
        subject: string(exactRole ? STREAM_EXAMPLE.agentId : 'automated-process'),
      },
      senderDisplayName: string(displayName),
      entryPayload,
    },
  }
}

const participantAdded = {
  entryType: 'ParticipantChanged',
  id: 'p1',
  entries: [
    {
      operation: 'add',
      displayName: STREAM_EXAMPLE.agentName,
      participant: { role: 'Agent', appType: 'agent', subject: STREAM_EXAMPLE.agentId },
    },
  ],
}

/** Each event: its SSE name and its envelope. */
export const STREAM_MESSAGES: Record<StreamEventDescription, { name: string; data: Record<string, unknown> }> = {
  [STREAM_EVENT.routed]: {
    name: 'CONVERSATION_ROUTING_RESULT',
    data: envelope(
      'RoutingResult',
      'Router',
      'Omni-Channel',
      payload(
        { entryType: 'RoutingResult', routingType: 'Initial', failureType: 'None' },
        '"routingType":"Initial"',
        '"failureType":"None"'
      )
    ),
  },
  [STREAM_EVENT.queuePosition]: {
    name: 'CONVERSATION_QUEUE_POSITION',
    data: envelope(
      'QueuePosition',
      'Router',
      'Omni-Channel',
      payload({ entryType: 'QueuePosition', position: STREAM_EXAMPLE.queuePosition }, '"position":')
    ),
  },
  [STREAM_EVENT.agentJoined]: {
    name: 'CONVERSATION_PARTICIPANT_CHANGED',
    data: envelope(
      'ParticipantChanged',
      'System',
      'Automated Process',
      payload(participantAdded, '"operation":"add"', '"role":"Agent"', '"displayName":')
    ),
  },
  [STREAM_EVENT.agentTyping]: {
    name: 'CONVERSATION_TYPING_STARTED_INDICATOR',
    data: envelope(
      'TypingStartedIndicator',
      'Agent',
      STREAM_EXAMPLE.agentName,
      payload({ entryType: 'TypingStartedIndicator' })
    ),
  },
  [STREAM_EVENT.agentMessage]: {
    name: 'CONVERSATION_MESSAGE',
    data: envelope(
      'Message',
      'Agent',
      STREAM_EXAMPLE.agentName,
      payload(
        {
          entryType: 'Message',
          abstractMessage: {
            messageType: 'StaticContentMessage',
            id: 'm1',
            staticContent: { formatType: 'Text', text: STREAM_EXAMPLE.agentText },
          },
        },
        '"abstractMessage":',
        '"formatType":"Text"',
        '"text":'
      )
    ),
  },
  [STREAM_EVENT.agentEnded]: {
    name: 'CONVERSATION_SESSION_STATUS_CHANGED',
    data: envelope(
      'SessionStatusChanged',
      'System',
      'Automated Process',
      payload(
        { entryType: 'SessionStatusChanged', sessionStatus: 'Ended', sessionEndedByRole: 'Agent' },
        '"sessionStatus":"Ended"',
        '"sessionEndedByRole":"Agent"'
      )
    ),
  },
}

/** Registers the message interaction and runs `consume` with the example message. */
export function expectStreamEvent<T>(
  pact: PactV4,
  description: StreamEventDescription,
  consume: (message: AsynchronousMessage) => Promise<T>
): Promise<T | undefined> {
  const { name, data } = STREAM_MESSAGES[description]
  return pact
    .addAsynchronousInteraction()
    .expectsToReceive(description, (b) => b.withMetadata({ event: name }).withJSONContent(data))
    .executeTest(consume)
}
