// The Live Agent contract: one interaction per resource and per state that matters (the hop server's chasitor
// client is the consumer). Everything the client must echo or count is matched exactly in the consumer test: the
// session key, affinity token and session id it was given, the offset of the last batch, `ack`, `pc`,
// X-LIVEAGENT-SEQUENCE, the `null` affinity of ReconnectSession, the ChatEnd reason. Values that depend on the
// provider's session (key, affinity, id, offset, and the ack and sequence numbers the state implies) are injected
// from the provider state at verification (`providerValue`); the rest are literals or shapes.
import { MatchersV3, type PactV4 } from '@pact-foundation/pact'
import type { Interaction } from '../support/interactions.js'
import { providerValue } from '../support/matchers.js'
import { EXAMPLE, LIVE_AGENT_IDS, PATTERN, STATE, type AcceptedParams, type DeliveredParams } from './contract.js'

const { boolean, eachLike, integer, regex, string } = MatchersV3

const REST = '/chat/rest'
const PATH = {
  sessionId: `${REST}/System/SessionId`,
  messages: `${REST}/System/Messages`,
  reconnect: `${REST}/System/ReconnectSession`,
  chasitorInit: `${REST}/Chasitor/ChasitorInit`,
  chatMessage: `${REST}/Chasitor/ChatMessage`,
  chatEnd: `${REST}/Chasitor/ChatEnd`,
  resyncState: `${REST}/Chasitor/ChasitorResyncState`,
  availability: `${REST}/Visitor/Availability`,
} as const

const HTTP = { ok: 200, noContent: 204, forbidden: 403, conflict: 409, unavailable: 503 } as const

const versionHeader = { 'X-LIVEAGENT-API-VERSION': regex(PATTERN.apiVersion, EXAMPLE.apiVersion) }

/** Headers of every session resource: the key and the affinity token of this session (§1.1). */
function sessionHeaders(affinityExample: string = EXAMPLE.affinityToken) {
  return {
    ...versionHeader,
    'X-LIVEAGENT-AFFINITY': providerValue('${affinityToken}', affinityExample),
    'X-LIVEAGENT-SESSION-KEY': providerValue('${sessionKey}', EXAMPLE.sessionKey),
  }
}

/**
 * A sequenced POST: the exact X-LIVEAGENT-SEQUENCE the protocol requires at this point (§5). `expression` names
 * the provider-state value it stands for: `${nextSequence}` (the next number the server expects),
 * `${lastAcceptedSequence}` (a retry), `${skippedSequence}` (a gap).
 */
function sequencedHeaders(expression: string, sequence: number, affinityExample?: string) {
  return { ...sessionHeaders(affinityExample), 'X-LIVEAGENT-SEQUENCE': providerValue(expression, String(sequence)) }
}

/**
 * A Messages poll with the exact ack and pc the client must send (§3.3, §4.3). The ack is the last sequence the
 * client received, which the provider state names (`${lastSequence}`); pc is the client's own counter.
 */
function poll(pact: PactV4, given: { state: string; params: DeliveredParams }, description: string) {
  return (pc: number, affinityExample?: string) =>
    pact
      .addInteraction()
      .given(given.state, { ...given.params })
      .uponReceiving(description)
      .withRequest('GET', PATH.messages, (b) =>
        b
          .query({ ack: providerValue('${lastSequence}', String(given.params.lastSequence)), pc: String(pc) })
          .headers(sessionHeaders(affinityExample))
      )
}

/** A 200 Messages batch: `sequence` is the number of its last event, events being numbered 0, 1, 2… (§4.4). */
function batch(messages: unknown[], sequence: number, offset: number) {
  return { messages, sequence, offset: integer(offset) }
}

const agentMessageEvent = {
  type: 'ChatMessage',
  message: {
    text: string(EXAMPLE.agentText),
    name: string(EXAMPLE.agent.name),
    agentId: regex(PATTERN.agentId, EXAMPLE.agent.userId),
  },
}

const chatMessageBody = { text: string(EXAMPLE.visitorText) }

export const LIVE_AGENT_INTERACTIONS = {
  /** GET System/SessionId with affinity `null`: the first request of every session (§3.1). */
  sessionId: (pact) =>
    pact
      .addInteraction()
      .given(STATE.online)
      .uponReceiving('a request for a new session')
      .withRequest('GET', PATH.sessionId, (b) => b.headers({ ...versionHeader, 'X-LIVEAGENT-AFFINITY': 'null' }))
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          id: regex(PATTERN.uuid, EXAMPLE.sessionId),
          key: regex(PATTERN.sessionKey, EXAMPLE.sessionKey),
          affinityToken: regex(PATTERN.affinityToken, EXAMPLE.affinityToken),
          clientPollTimeout: integer(EXAMPLE.clientPollTimeoutSec),
        })
      ),

  /** POST Chasitor/ChasitorInit, sequence 1, carrying the session id from SessionId (§3.2, §5). */
  chasitorInit: (pact) =>
    pact
      .addInteraction()
      .given(STATE.sessionCreated)
      .uponReceiving('a ChasitorInit with sequence 1')
      .withRequest('POST', PATH.chasitorInit, (b) =>
        b.headers(sequencedHeaders('${nextSequence}', 1)).jsonBody({
          organizationId: regex(PATTERN.organizationId, LIVE_AGENT_IDS.organizationId),
          deploymentId: regex(PATTERN.deploymentId, LIVE_AGENT_IDS.deploymentId),
          buttonId: regex(PATTERN.buttonId, LIVE_AGENT_IDS.buttonId),
          sessionId: providerValue('${sessionId}', EXAMPLE.sessionId),
          userAgent: string(EXAMPLE.visitor.userAgent),
          language: string('en-US'),
          screenResolution: string(EXAMPLE.visitor.screenResolution),
          visitorName: string(EXAMPLE.visitor.name),
          prechatDetails: eachLike({
            label: string(EXAMPLE.prechatDetail.label),
            value: string(EXAMPLE.prechatDetail.value),
            transcriptFields: eachLike(EXAMPLE.prechatDetail.transcriptFields[0]),
            displayToAgent: boolean(EXAMPLE.prechatDetail.displayToAgent),
          }),
          prechatEntities: [],
          receiveQueueUpdates: boolean(true),
          isPost: true,
        })
      )
      .willRespondWith(HTTP.ok),

  /** The first poll, `ack=-1&pc=0`: ChatRequestSuccess (routed) then ChatEstablished (accepted), events 0 and 1. */
  firstPoll: (pact) =>
    poll(
      pact,
      { state: STATE.chatAccepted, params: { lastSequence: -1 } },
      'the first Messages poll'
    )(0).willRespondWith(HTTP.ok, (b) =>
      b.jsonBody(
        batch(
          [
            {
              type: 'ChatRequestSuccess',
              message: {
                queuePosition: integer(1),
                estimatedWaitTime: integer(60),
                connectionTimeout: integer(EXAMPLE.connectionTimeoutMs),
              },
            },
            {
              type: 'ChatEstablished',
              message: { name: string(EXAMPLE.agent.name), userId: regex(PATTERN.agentId, EXAMPLE.agent.userId) },
            },
          ],
          1,
          EXAMPLE.offset
        )
      )
    ),

  /** Nothing new within the hold time: 204, no body; the ack stays where it was (§3.3). */
  emptyPoll: (pact) =>
    poll(
      pact,
      { state: STATE.nothingNew, params: { lastSequence: 1 } },
      'a Messages poll acknowledging sequence 1 when nothing happened'
    )(1).willRespondWith(HTTP.noContent),

  /** After a 204 the same ack again, and pc one higher: the agent's message is event 2. */
  pollAfterEmpty: (pact) =>
    poll(
      pact,
      { state: STATE.agentMessage, params: { lastSequence: 1 } },
      'a Messages poll repeating ack 1 after a 204'
    )(2).willRespondWith(HTTP.ok, (b) => b.jsonBody(batch([agentMessageEvent], 2, EXAMPLE.offset + 2))),

  /** ack = the previous batch's sequence (2); the agent ended the chat: ChatEnded is event 3. */
  pollAgentEnded: (pact) =>
    poll(
      pact,
      { state: STATE.agentEnded, params: { lastSequence: 2 } },
      'a Messages poll acknowledging sequence 2 when the agent ended the chat'
    )(3).willRespondWith(HTTP.ok, (b) =>
      b.jsonBody(
        batch(
          [{ type: 'ChatEnded', message: { reason: regex(PATTERN.chatEndedReason, 'agent') } }],
          3,
          EXAMPLE.offset + 3
        )
      )
    ),

  /** The first visitor message: sequence 2, right after ChasitorInit's 1. */
  chatMessage2: (pact) =>
    chatMessage(pact, '${nextSequence}', 2, { lastAcceptedSequence: 1 }, 'a ChatMessage with sequence 2'),

  /** The next one: sequence 3. */
  chatMessage3: (pact) =>
    chatMessage(pact, '${nextSequence}', 3, { lastAcceptedSequence: 2 }, 'a ChatMessage with sequence 3'),

  /** A retry after a lost answer carries the same number, which the server already has: 200, applied once (§5). */
  chatMessageRetried: (pact) =>
    chatMessage(
      pact,
      '${lastAcceptedSequence}',
      2,
      { lastAcceptedSequence: 2 },
      'a ChatMessage retried with the sequence the server already accepted'
    ),

  /** A gap: the server has 1, the client sends 3. 409 with the text the client reads "Actual" from (§5, §8). */
  chatMessageOutOfSync: (pact) =>
    pact
      .addInteraction()
      .given(STATE.postsAccepted, { lastAcceptedSequence: 1 } satisfies AcceptedParams)
      .uponReceiving('a ChatMessage that skips a sequence number')
      .withRequest('POST', PATH.chatMessage, (b) =>
        b.headers(sequencedHeaders('${skippedSequence}', 3)).jsonBody(chatMessageBody)
      )
      .willRespondWith(HTTP.conflict, (b) =>
        b
          .headers({ 'Content-Type': 'text/plain' })
          .body('text/plain', Buffer.from('Out of sync Ack. Expected 3. Actual 1'))
      ),

  /** ChatEnd {reason:"client"}, sequenced like any other post (§3.4). */
  chatEnd: (pact) =>
    pact
      .addInteraction()
      .given(STATE.postsAccepted, { lastAcceptedSequence: 3 } satisfies AcceptedParams)
      .uponReceiving('a ChatEnd with sequence 4')
      .withRequest('POST', PATH.chatEnd, (b) =>
        b.headers(sequencedHeaders('${nextSequence}', 4)).jsonBody({ reason: 'client' })
      )
      .willRespondWith(HTTP.ok),

  /** A server hand-over: the poll answers 503 (§4.5). */
  pollHandover: (pact) =>
    poll(
      pact,
      { state: STATE.handoverStarting, params: { lastSequence: 1 } },
      'a Messages poll while the session moves to another server'
    )(1).willRespondWith(HTTP.unavailable),

  /** ReconnectSession: affinity `null`, the offset of the last batch; answers the new affinity token (§4.5). */
  reconnectSession: (pact) =>
    pact
      .addInteraction()
      .given(STATE.handoverPending, { lastSequence: 1 } satisfies DeliveredParams)
      .uponReceiving('a ReconnectSession with the last offset')
      .withRequest('GET', PATH.reconnect, (b) =>
        b.query({ 'ReconnectSession.offset': providerValue('${offset}', String(EXAMPLE.offset)) }).headers({
          ...versionHeader,
          'X-LIVEAGENT-AFFINITY': 'null',
          'X-LIVEAGENT-SESSION-KEY': providerValue('${sessionKey}', EXAMPLE.sessionKey),
        })
      )
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          messages: [
            {
              type: 'ReconnectSession',
              message: {
                resetSequence: true,
                affinityToken: regex(PATTERN.affinityToken, EXAMPLE.affinityAfterHandover),
              },
            },
          ],
        })
      ),

  /** Polling resumes with the new affinity and the same ack; ChasitorSessionData comes first (§4.5). */
  pollAfterReconnect: (pact) =>
    poll(
      pact,
      { state: STATE.reconnected, params: { lastSequence: 1 } },
      'a Messages poll with the new affinity token after ReconnectSession'
    )(2, EXAMPLE.affinityAfterHandover).willRespondWith(HTTP.ok, (b) =>
      b.jsonBody(batch([{ type: 'ChasitorSessionData' }], 2, EXAMPLE.offset + 2))
    ),

  /** ChasitorResyncState {organizationId}, with no X-LIVEAGENT-SEQUENCE (§4.5; the consumer test checks the absence). */
  resyncState: (pact) =>
    pact
      .addInteraction()
      .given(STATE.sessionDataDelivered, { lastSequence: 2 } satisfies DeliveredParams)
      .uponReceiving('a ChasitorResyncState after ChasitorSessionData')
      .withRequest('POST', PATH.resyncState, (b) =>
        b
          .headers(sessionHeaders(EXAMPLE.affinityAfterHandover))
          .jsonBody({ organizationId: regex(PATTERN.organizationId, LIVE_AGENT_IDS.organizationId) })
      )
      .willRespondWith(HTTP.ok),

  /** After ReconnectSession the numbering restarts: the buffered message goes out with sequence 1 (§5). */
  chatMessageAfterHandover: (pact) =>
    pact
      .addInteraction()
      .given(STATE.resynced, { lastSequence: 2 } satisfies DeliveredParams)
      .uponReceiving('a ChatMessage with sequence 1 after a hand-over')
      .withRequest('POST', PATH.chatMessage, (b) =>
        b.headers(sequencedHeaders('${nextSequence}', 1, EXAMPLE.affinityAfterHandover)).jsonBody(chatMessageBody)
      )
      .willRespondWith(HTTP.ok),

  /** An expired session answers 403 (§8): the chat is over. */
  pollExpired: (pact) =>
    poll(
      pact,
      { state: STATE.expired, params: { lastSequence: 1 } },
      'a Messages poll on an expired session'
    )(1).willRespondWith(HTTP.forbidden),

  /** Visitor/Availability: version header only; the answer is wrapped in `messages` (§3.7). */
  availability: (pact) => availability(pact, STATE.available, { isAvailable: true }),

  /** An unavailable button comes back without `isAvailable`, which means false (§3.7). */
  unavailability: (pact) => availability(pact, STATE.unavailable, {}),
} satisfies Record<string, Interaction>

function chatMessage(pact: PactV4, expression: string, sequence: number, params: AcceptedParams, description: string) {
  return pact
    .addInteraction()
    .given(STATE.postsAccepted, { ...params })
    .uponReceiving(description)
    .withRequest('POST', PATH.chatMessage, (b) =>
      b.headers(sequencedHeaders(expression, sequence)).jsonBody(chatMessageBody)
    )
    .willRespondWith(HTTP.ok)
}

function availability(pact: PactV4, state: string, result: { isAvailable?: boolean }) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(`an availability check of the button (${state})`)
    .withRequest('GET', PATH.availability, (b) =>
      b.headers(versionHeader).query({
        org_id: regex(PATTERN.organizationId, LIVE_AGENT_IDS.organizationId),
        deployment_id: regex(PATTERN.deploymentId, LIVE_AGENT_IDS.deploymentId),
        'Availability.ids': regex(PATTERN.buttonIdList, `[${LIVE_AGENT_IDS.buttonId}]`),
      })
    )
    .willRespondWith(HTTP.ok, (b) =>
      b.jsonBody({
        messages: [
          {
            type: 'Availability',
            message: { results: [{ id: regex(PATTERN.buttonId, LIVE_AGENT_IDS.buttonId), ...result }] },
          },
        ],
      })
    )
}
