// The Enhanced Chat REST contract: one interaction per call the hop server's client makes. What the client must
// send exactly is matched exactly (org id, deployment name, the token and conversation id it was given, message
// and entry types); server-made values are shapes. The token and the conversation id of the provider's session are
// injected from the provider state at verification (`providerValue`).
import { MatchersV3, type PactV4 } from '@pact-foundation/pact'
import type { Interaction } from '../support/interactions.js'
import { providerValue } from '../support/matchers.js'
import { ENHANCED_IDS, EXAMPLE, PATTERN, STATE } from './contract.js'

const { eachLike, regex, string } = MatchersV3

const API = '/iamessage/api/v2'
const HTTP = { ok: 200, created: 201, accepted: 202, noContent: 204, unauthorized: 401 } as const

const bearer = () => ({ Authorization: providerValue('Bearer ${accessToken}', `Bearer ${EXAMPLE.accessToken}`) })
const conversationPath = (suffix = '') =>
  providerValue(
    `${API}/conversation/\${conversationId}${suffix}`,
    `${API}/conversation/${EXAMPLE.conversationId}${suffix}`
  )
const deploymentQuery = { esDeveloperName: ENHANCED_IDS.esDeveloperName }

function inConversation(pact: PactV4, state: string, description: string) {
  return pact.addInteraction().given(state).uponReceiving(description)
}

export const ENHANCED_CHAT_INTERACTIONS = {
  /** POST …/access-token: a guest token for the org's deployment (15-character org id, v2 capabilities, Web). */
  accessToken: (pact) =>
    pact
      .addInteraction()
      .given(STATE.online)
      .uponReceiving('a request for a guest access token')
      .withRequest('POST', `${API}/authorization/unauthenticated/access-token`, (b) =>
        b.jsonBody({
          orgId: ENHANCED_IDS.orgId,
          esDeveloperName: ENHANCED_IDS.esDeveloperName,
          capabilitiesVersion: '1',
          platform: 'Web',
        })
      )
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          accessToken: regex(PATTERN.jwt, EXAMPLE.accessToken),
          lastEventId: regex(PATTERN.eventId, EXAMPLE.lastEventId),
        })
      ),

  /** POST /conversation with the client's lowercase UUID v4 and the pre-chat fields: 201, no body. */
  createConversation: (pact) =>
    pact
      .addInteraction()
      .given(STATE.tokenIssued)
      .uponReceiving('a new conversation with routing attributes')
      .withRequest('POST', `${API}/conversation`, (b) =>
        b.headers(bearer()).jsonBody({
          conversationId: regex(PATTERN.uuidV4, EXAMPLE.conversationId),
          esDeveloperName: ENHANCED_IDS.esDeveloperName,
          routingAttributes: { _firstName: string(EXAMPLE.firstName) },
        })
      )
      .willRespondWith(HTTP.created),

  /** GET /conversation/{id}: the routing status. */
  routingStatus: (pact) =>
    inConversation(pact, STATE.conversationOpen, 'a routing status request')
      .withRequest('GET', conversationPath(), (b) => b.headers(bearer()))
      .willRespondWith(HTTP.ok, (b) =>
        b.jsonBody({
          // The verifier injects provider-state values into requests only: the answer's id is matched by shape.
          conversationId: regex(PATTERN.uuidV4, EXAMPLE.conversationId),
          routingStatus: regex(PATTERN.routingStatus, 'ROUTED'),
        })
      ),

  /** POST …/message: a text message with the client's own message id; 202 with the entry it became. */
  sendMessage: (pact) =>
    inConversation(pact, STATE.conversationOpen, 'a text message from the end user')
      .withRequest('POST', conversationPath('/message'), (b) =>
        b.headers(bearer()).jsonBody({
          esDeveloperName: ENHANCED_IDS.esDeveloperName,
          message: {
            id: regex(PATTERN.uuidV4, EXAMPLE.messageId),
            messageType: 'StaticContentMessage',
            staticContent: { formatType: 'Text', text: string(EXAMPLE.visitorText) },
          },
        })
      )
      .willRespondWith(HTTP.accepted, (b) =>
        b.jsonBody({ conversationEntries: eachLike({ id: string(EXAMPLE.entryId) }) })
      ),

  /** POST …/entry: the end user started typing. */
  typingStarted: (pact) =>
    inConversation(pact, STATE.conversationOpen, 'a typing started indicator')
      .withRequest('POST', conversationPath('/entry'), (b) =>
        b
          .headers(bearer())
          .jsonBody({ entryType: 'TypingStartedIndicator', id: regex(PATTERN.uuidV4, EXAMPLE.entryId) })
      )
      .willRespondWith(HTTP.accepted),

  /** DELETE …/session?esDeveloperName=: ends the messaging session, keeps the conversation. */
  endSession: (pact) =>
    inConversation(pact, STATE.conversationOpen, 'the end of the messaging session')
      .withRequest('DELETE', conversationPath('/session'), (b) => b.headers(bearer()).query(deploymentQuery))
      .willRespondWith(HTTP.noContent),

  /** DELETE /conversation/{id}?esDeveloperName=: closes the conversation. */
  closeConversation: (pact) =>
    inConversation(pact, STATE.conversationOpen, 'the close of the conversation')
      .withRequest('DELETE', conversationPath(), (b) => b.headers(bearer()).query(deploymentQuery))
      .willRespondWith(HTTP.noContent),

  /** An expired guest token: 401 with Salesforce's message. */
  expiredToken: (pact) =>
    inConversation(pact, STATE.tokenExpired, 'a routing status request with an expired token')
      .withRequest('GET', conversationPath(), (b) => b.headers(bearer()))
      .willRespondWith(HTTP.unauthorized, (b) => b.jsonBody({ message: string('Jwt is expired') })),
} satisfies Record<string, Interaction>
