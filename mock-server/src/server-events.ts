// The bodies of the server events the simulator appends that carry more than a few fields (§6).
import type { ChasitorInitRequest } from './chasitor-requests.js'
import type { SimulatedChat } from './simulated-chat.js'

export const ESTIMATED_WAIT_PER_POSITION_S = 60

const SAMPLE_GEO = {
  organization: 'Mock ISP',
  countryName: 'France',
  countryCode: 'FR',
  city: 'Paris',
  latitude: 48.86,
  longitude: 2.35,
}

export function chatRequestSuccess(
  session: SimulatedChat,
  request: ChasitorInitRequest,
  connectionTimeoutMs: number
): Record<string, unknown> {
  const queuePosition = session.queuePosition ?? 0
  return {
    queuePosition,
    estimatedWaitTime: queuePosition * ESTIMATED_WAIT_PER_POSITION_S,
    geoLocation: SAMPLE_GEO,
    url: '',
    oref: '',
    postChatUrl: '',
    customDetails: (request.prechatDetails ?? []).filter((d) => d.displayToAgent !== false),
    visitorId: session.visitorId,
    connectionTimeout: connectionTimeoutMs,
    sensitiveDataRules: [],
    transcriptSaveEnabled: false,
  }
}

/** The first event after a ReconnectSession: where the chat stands, with its transcript (§4.5). */
export function chasitorSessionData(session: SimulatedChat): Record<string, unknown> {
  return {
    queuePosition: session.state === 'active' ? 0 : (session.queuePosition ?? 0),
    geoLocation: SAMPLE_GEO,
    url: '',
    oref: '',
    postChatUrl: '',
    sneakPeekEnabled: true,
    chatMessages: session.transcript
      .filter((entry) => entry.from !== 'system')
      .map((entry, index) => ({
        type: entry.from === 'agent' ? 'Agent' : 'Chasitor',
        name: entry.from === 'agent' ? (session.agent?.name ?? '') : session.visitorName,
        content: entry.text,
        timestamp: Date.parse(entry.at),
        sequence: index,
      })),
  }
}
