// The hop server's /v1 API as the integration uses it (docs/bridge-contract.md, "Hop server API"). Every request is
// signed: the contract pins the three signing headers by shape (the consumer test also checks each signature with
// the hop server's own verifier, and the provider verification signs each request afresh with the tenant secret).
// The chat id in a path, the conversation id and the URLs are the provider's: they come from the provider state,
// and the consumer test matches them exactly (`providerValue`).
import { MatchersV3 } from '@pact-foundation/pact'
import type { Interaction } from '../support/interactions.js'
import { providerValue } from '../support/matchers.js'
import {
  BRIDGE_STATE,
  EXAMPLE,
  HANDOFF,
  PATTERN,
  TENANT,
  UNKNOWN_TENANT,
  type MessageAcceptedParams,
} from './contract.js'

const { boolean, eachLike, regex, string } = MatchersV3

const HTTP = {
  ok: 200,
  created: 201,
  accepted: 202,
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  conflict: 409,
} as const

/** A backend name no hop server knows. */
export const UNKNOWN_BACKEND = 'carrier-pigeon'

/** The signing headers of the bridge contract; the tenant is a literal, it names whose secret signed. */
function signed(tenant: string = TENANT.id) {
  return {
    'x-hop-tenant': tenant,
    'x-hop-timestamp': regex(PATTERN.timestamp, EXAMPLE.timestamp),
    'x-hop-signature': regex(PATTERN.signature, EXAMPLE.signature),
  }
}

/** `/v1/chats/<the chat of the provider state>` + suffix. */
function chatPath(suffix = '') {
  return providerValue(`/v1/chats/\${chatId}${suffix}`, `/v1/chats/${EXAMPLE.chatId}${suffix}`)
}

/** A prechat detail the agent sees; buildChatRequest maps none of them to a transcript field. */
const shownDetail = (label: string, value: string) => ({ label, value, transcriptFields: [], displayToAgent: true })

/** A transcript line; its time comes from the bot conversation's history and varies, so only its shape is pinned. */
const transcriptLine = (role: 'visitor' | 'bot', text: string) => ({
  role,
  text,
  at: regex(PATTERN.isoTime, HANDOFF.at),
})

/**
 * The create-chat body the integration's buildChatRequest makes of the example hand-off (`integrationChatRequest`
 * in integration-under-test.ts): literal wherever the integration decides the value from its configuration and the
 * hand-off, so that any change to what it sends (a field dropped, renamed or added, a value or a line mapped differently)
 * fails the consumer test; the provider's values come from the state.
 */
const createChatBody = {
  conversationId: providerValue('${conversationId}', EXAMPLE.conversationId),
  webhookUrl: providerValue('${webhookUrl}', EXAMPLE.webhookUrl),
  liveAgent: {
    endpoint: providerValue('${liveAgentEndpoint}', EXAMPLE.liveAgent.endpoint),
    organizationId: EXAMPLE.liveAgent.organizationId,
    deploymentId: EXAMPLE.liveAgent.deploymentId,
    buttonId: EXAMPLE.liveAgent.buttonId,
    apiVersion: EXAMPLE.liveAgent.apiVersion,
  },
  visitor: { name: EXAMPLE.visitor.name, language: EXAMPLE.visitor.language },
  prechatDetails: [
    shownDetail('Email', EXAMPLE.email),
    shownDetail('Subject', HANDOFF.title),
    shownDetail('Description', HANDOFF.description),
  ],
  prechatEntities: [],
  transcript: [
    transcriptLine('visitor', HANDOFF.conversation.question),
    transcriptLine('bot', HANDOFF.conversation.botAnswer),
    transcriptLine('visitor', HANDOFF.conversation.askForHuman),
  ],
  transcriptDelivery: { mode: HANDOFF.transcriptMode, prechatField: HANDOFF.transcriptPrechatField },
}

/**
 * The same hand-off on Enhanced Chat (`integrationEnhancedChatRequest`): the backend named, the deployment as the
 * target with the pre-chat fields the configuration maps as routing attributes, no Live Agent target; the rest as
 * above. The SCRT2 URL is the provider's (the simulator's).
 */
const createEnhancedChatBody = {
  backend: 'enhanced-chat',
  conversationId: createChatBody.conversationId,
  webhookUrl: createChatBody.webhookUrl,
  enhancedChat: {
    scrtUrl: providerValue('${scrtUrl}', EXAMPLE.enhancedChat.scrtUrl),
    orgId: EXAMPLE.enhancedChat.orgId,
    esDeveloperName: EXAMPLE.enhancedChat.esDeveloperName,
    routingAttributes: { _firstName: EXAMPLE.visitor.name, _email: EXAMPLE.email, _subject: HANDOFF.title },
  },
  visitor: createChatBody.visitor,
  prechatDetails: createChatBody.prechatDetails,
  prechatEntities: createChatBody.prechatEntities,
  transcript: createChatBody.transcript,
  transcriptDelivery: createChatBody.transcriptDelivery,
}

/** The availability query of the example Enhanced Chat deployment (`esDeveloperName` given). */
function enhancedChatAvailabilityQuery(esDeveloperName: string) {
  return {
    backend: 'enhanced-chat',
    scrtUrl: providerValue('${scrtUrl}', EXAMPLE.enhancedChat.scrtUrl),
    orgId: EXAMPLE.enhancedChat.orgId,
    esDeveloperName,
  }
}

/** The answer to a create: the chat's status view plus whether it is new. */
function createdChat(created: boolean) {
  return {
    chatId: regex(PATTERN.chatId, EXAMPLE.chatId),
    conversationId: string(EXAMPLE.conversationId),
    state: regex(PATTERN.chatState, 'connecting'),
    created,
  }
}

/** `{ statusCode, error, message }`: what every error of the hop API looks like. */
function errorBody(statusCode: number, error: string, message: string) {
  return { statusCode, error, message: string(message) }
}

export const BRIDGE_API_INTERACTIONS = {
  createChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noChat)
      .uponReceiving('a request to create a chat')
      .withRequest('POST', '/v1/chats', (b) => b.headers(signed()).jsonBody(createChatBody))
      .willRespondWith(HTTP.created, (b) => b.jsonBody(createdChat(true))),

  /** `backend` names the Salesforce backend; `live-agent` is also what a request without it gets. */
  createChatNamingBackend: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noChat)
      .uponReceiving('a request to create a chat that names the live-agent backend')
      .withRequest('POST', '/v1/chats', (b) =>
        b.headers(signed()).jsonBody({ ...createChatBody, backend: 'live-agent' })
      )
      .willRespondWith(HTTP.created, (b) => b.jsonBody(createdChat(true))),

  createChatOnUnknownBackend: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noChat)
      .uponReceiving('a request to create a chat on a backend the hop server does not know')
      .withRequest('POST', '/v1/chats', (b) =>
        b.headers(signed()).jsonBody({ ...createChatBody, backend: UNKNOWN_BACKEND })
      )
      .willRespondWith(HTTP.badRequest, (b) =>
        b.jsonBody(
          errorBody(
            HTTP.badRequest,
            'Bad Request',
            `backend must be one of live-agent, enhanced-chat (got "${UNKNOWN_BACKEND}")`
          )
        )
      ),

  /** A chat names one backend and carries that backend's target only. */
  createChatWithOtherBackendsTarget: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noChat)
      .uponReceiving('a request to create an Enhanced Chat chat that carries a Live Agent target')
      .withRequest('POST', '/v1/chats', (b) =>
        b.headers(signed()).jsonBody({ ...createChatBody, backend: 'enhanced-chat' })
      )
      .willRespondWith(HTTP.badRequest, (b) =>
        b.jsonBody(
          errorBody(HTTP.badRequest, 'Bad Request', 'liveAgent does not belong in a chat on the enhanced-chat backend')
        )
      ),

  /** Idempotent per conversation: a repeated create answers the open chat (startHitl may be retried). */
  createChatAgain: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.openChat)
      .uponReceiving('a repeated request to create the chat of a conversation')
      .withRequest('POST', '/v1/chats', (b) => b.headers(signed()).jsonBody(createChatBody))
      .willRespondWith(HTTP.ok, (b) => b.jsonBody(createdChat(false))),

  sendMessage: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.waiting)
      .uponReceiving('a visitor message')
      .withRequest('POST', chatPath('/messages'), (b) =>
        b.headers(signed()).jsonBody({ messageId: string(EXAMPLE.messageId), text: string(EXAMPLE.visitorText) })
      )
      .willRespondWith(HTTP.accepted, (b) => b.jsonBody({ accepted: true, duplicate: false })),

  /** Idempotent per messageId: the integration may resend after a timeout; nothing is sent twice. */
  sendMessageAgain: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.messageAccepted, { messageId: EXAMPLE.messageId } satisfies MessageAcceptedParams)
      .uponReceiving('a visitor message with a messageId already accepted')
      .withRequest('POST', chatPath('/messages'), (b) =>
        b.headers(signed()).jsonBody({ messageId: EXAMPLE.messageId, text: string(EXAMPLE.visitorText) })
      )
      .willRespondWith(HTTP.accepted, (b) => b.jsonBody({ accepted: true, duplicate: true })),

  sendMessageToEndedChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.ended)
      .uponReceiving('a visitor message to an ended chat')
      .withRequest('POST', chatPath('/messages'), (b) =>
        b.headers(signed()).jsonBody({ messageId: string(EXAMPLE.messageId), text: string(EXAMPLE.visitorText) })
      )
      .willRespondWith(HTTP.conflict, (b) => b.jsonBody(errorBody(HTTP.conflict, 'Conflict', 'chat has ended'))),

  typing: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.agentJoined)
      .uponReceiving('a visitor typing indicator')
      .withRequest('POST', chatPath('/typing'), (b) => b.headers(signed()).jsonBody({ typing: boolean(true) }))
      .willRespondWith(HTTP.accepted),

  endChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.agentJoined)
      .uponReceiving('a request to end the chat')
      .withRequest('POST', chatPath('/end'), (b) => b.headers(signed()).jsonBody({ reason: 'visitor' }))
      .willRespondWith(HTTP.accepted, (b) => b.jsonBody({ state: 'ended' })),

  getChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.agentJoined)
      .uponReceiving('a request for the status of a chat with an agent')
      .withRequest('GET', chatPath(), (b) => b.headers(signed()))
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          chatId: regex(PATTERN.chatId, EXAMPLE.chatId),
          conversationId: string(EXAMPLE.conversationId),
          state: 'agent',
          agent: {
            id: regex('^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$', EXAMPLE.agent.id),
            name: string(EXAMPLE.agent.name),
          },
        })
      ),

  getMissingChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noSuchChat)
      .uponReceiving('a request for the status of a chat that does not exist')
      .withRequest('GET', `/v1/chats/${EXAMPLE.missingChatId}`, (b) => b.headers(signed()))
      .willRespondWith(HTTP.notFound, (b) => b.jsonBody(errorBody(HTTP.notFound, 'Not Found', 'chat not found'))),

  unknownTenant: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.unknownTenant)
      .uponReceiving('a request signed for a tenant the hop server does not know')
      .withRequest('GET', `/v1/chats/${EXAMPLE.missingChatId}`, (b) => b.headers(signed(UNKNOWN_TENANT.id)))
      .willRespondWith(HTTP.unauthorized, (b) =>
        b.jsonBody(errorBody(HTTP.unauthorized, 'Unauthorized', 'unknown tenant'))
      ),

  /** An Enhanced Chat hand-off: the integration names the backend and sends the deployment as the target. */
  createEnhancedChat: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noChat)
      .uponReceiving('a request to create an Enhanced Chat chat')
      .withRequest('POST', '/v1/chats', (b) => b.headers(signed()).jsonBody(createEnhancedChatBody))
      .willRespondWith(HTTP.created, (b) => b.jsonBody(createdChat(true))),

  /**
   * Enhanced Chat availability: never the agents (`available` null, `agentsKnown` false), only what Salesforce tells
   * a guest: the deployment exists, and whether it is within its business hours, with the windows.
   */
  enhancedChatAvailability: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.outsideBusinessHours)
      .uponReceiving('an availability check of an Enhanced Chat deployment outside its business hours')
      .withRequest('GET', '/v1/availability', (b) =>
        b.headers(signed()).query(enhancedChatAvailabilityQuery(EXAMPLE.enhancedChat.esDeveloperName))
      )
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          backend: 'enhanced-chat',
          available: null,
          agentsKnown: false,
          deploymentFound: true,
          withinBusinessHours: false,
          businessHours: {
            active: true,
            windows: eachLike({
              start: regex(PATTERN.isoTime, '2026-11-30T09:00:00.000Z'),
              end: regex(PATTERN.isoTime, '2026-11-30T17:00:00.000Z'),
            }),
          },
          message: regex(
            '^Salesforce does not tell a guest whether agents are available\\. .*outside its business hours.*$',
            'Salesforce does not tell a guest whether agents are available. The deployment Botpress_Handoff exists but it is outside its business hours (they open again at 2026-11-30T09:00:00.000Z): a hand-off now is likely to find nobody.'
          ),
        })
      ),

  /** A deployment Salesforce does not know: a 200 that says so, naming esDeveloperName, so a save can refuse it. */
  enhancedChatAvailabilityUnknownDeployment: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.noSuchDeployment)
      .uponReceiving('an availability check of an Enhanced Chat deployment the org does not have')
      .withRequest('GET', '/v1/availability', (b) =>
        b.headers(signed()).query(enhancedChatAvailabilityQuery(EXAMPLE.unknownDeployment))
      )
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          backend: 'enhanced-chat',
          available: null,
          agentsKnown: false,
          deploymentFound: false,
          withinBusinessHours: null,
          businessHours: null,
          message: regex(
            `^esDeveloperName: Salesforce does not know the deployment ${EXAMPLE.unknownDeployment} .*$`,
            `esDeveloperName: Salesforce does not know the deployment ${EXAMPLE.unknownDeployment} in the org ${EXAMPLE.enhancedChat.orgId}, so a hand-off to it would fail. Salesforce does not tell a guest whether agents are available.`
          ),
        })
      ),

  availability: (pact) =>
    pact
      .addInteraction()
      .given(BRIDGE_STATE.available)
      .uponReceiving('an availability check')
      .withRequest('GET', '/v1/availability', (b) =>
        b.headers(signed()).query({
          endpoint: providerValue('${liveAgentEndpoint}', EXAMPLE.liveAgent.endpoint),
          organizationId: EXAMPLE.liveAgent.organizationId,
          deploymentId: EXAMPLE.liveAgent.deploymentId,
          buttonId: EXAMPLE.liveAgent.buttonId,
          apiVersion: EXAMPLE.liveAgent.apiVersion,
        })
      )
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          available: true,
          buttons: eachLike({
            id: regex('^573[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$', EXAMPLE.liveAgent.buttonId),
            available: boolean(true),
          }),
        })
      ),
} satisfies Record<string, Interaction>
