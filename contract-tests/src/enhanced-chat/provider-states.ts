// Provider states of the Enhanced Chat contract, set up on the simulator: each handler starts from a clean simulator,
// gets a guest token and opens a conversation through the simulator's own REST API (as a guest would), and returns
// the token and the conversation id for the verifier to inject. A state that cannot be reached throws.
import { randomUUID } from 'node:crypto'
import type { MockServer } from '@liveagent-hop/mock-server'
import { ENHANCED_IDS, STATE, type EnhancedChatState } from './contract.js'

type StateHandler = () => Promise<Record<string, string> | undefined>

async function call(mock: MockServer, path: string, init: RequestInit, status: number): Promise<string> {
  const res = await fetch(`${mock.url}/iamessage/api/v2${path}`, init)
  const text = await res.text()
  if (res.status !== status) throw new Error(`state setup: ${path} answered ${res.status} (${text}), not ${status}`)
  return text
}

async function guestToken(mock: MockServer): Promise<string> {
  mock.enhanced.reset()
  const body = JSON.stringify({ ...ENHANCED_IDS, capabilitiesVersion: '1', platform: 'Web' })
  const text = await call(
    mock,
    '/authorization/unauthenticated/access-token',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body },
    200
  )
  return (JSON.parse(text) as { accessToken: string }).accessToken
}

async function openConversation(mock: MockServer): Promise<{ accessToken: string; conversationId: string }> {
  const accessToken = await guestToken(mock)
  const conversationId = randomUUID()
  const body = JSON.stringify({ conversationId, esDeveloperName: ENHANCED_IDS.esDeveloperName })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }
  await call(mock, '/conversation', { method: 'POST', headers, body }, 201)
  return { accessToken, conversationId }
}

export function enhancedChatStateHandlers(mock: MockServer): Record<EnhancedChatState, StateHandler> {
  return {
    [STATE.online]: async () => {
      mock.enhanced.reset()
      return undefined
    },
    [STATE.tokenIssued]: async () => ({ accessToken: await guestToken(mock) }),
    [STATE.conversationOpen]: async () => openConversation(mock),
    [STATE.tokenExpired]: async () => {
      const open = await openConversation(mock)
      mock.enhanced.expireToken(open.conversationId)
      return open
    },
  }
}
