// Provider side of the stream's message interactions: each event is produced by the simulator itself (a guest opens a
// conversation over REST, the agent side acts through the admin handle) and read off the real SSE stream with a
// plain reader, so the verifier checks what the simulator sends, not a copy of the contract.
import { randomUUID } from 'node:crypto'
import type { MockServer } from '@liveagent-hop/mock-server'
import { ENHANCED_IDS, STREAM_EVENT, STREAM_EXAMPLE, type StreamEventDescription } from './contract.js'

export interface RecordedEvent {
  name: string
  data: unknown
}

const API = '/iamessage/api/v2'
const WAIT_MS = 5000

interface Guest {
  token: string
  lastEventId: string
  conversationId: string
}

async function openGuest(mock: MockServer): Promise<Guest> {
  const tokenRes = await fetch(`${mock.url}${API}/authorization/unauthenticated/access-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ENHANCED_IDS, capabilitiesVersion: '1', platform: 'Web' }),
  })
  if (tokenRes.status !== 200) throw new Error(`recording: the token request answered ${tokenRes.status}`)
  const { accessToken, lastEventId } = (await tokenRes.json()) as { accessToken: string; lastEventId: string }
  const conversationId = randomUUID()
  const created = await fetch(`${mock.url}${API}/conversation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ conversationId, esDeveloperName: ENHANCED_IDS.esDeveloperName }),
  })
  if (created.status !== 201) throw new Error(`recording: create conversation answered ${created.status}`)
  return { token: accessToken, lastEventId, conversationId }
}

/** Reads the guest's stream from its first event until a frame named `name` whose data satisfies `match`. */
async function readUntil(
  mock: MockServer,
  guest: Guest,
  name: string,
  match: (data: Record<string, unknown>) => boolean
): Promise<RecordedEvent> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), WAIT_MS)
  try {
    const res = await fetch(`${mock.url}/eventrouter/v1/sse`, {
      headers: {
        authorization: `Bearer ${guest.token}`,
        'x-org-id': ENHANCED_IDS.orgId,
        'last-event-id': guest.lastEventId,
      },
      signal: controller.signal,
    })
    if (res.status !== 200 || !res.body) throw new Error(`recording: the stream answered ${res.status}`)
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const field = (key: string) =>
          frame
            .split('\n')
            .find((line) => line.startsWith(`${key}: `))
            ?.slice(key.length + 2)
        const data = field('data')
        if (field('event') !== name || data === undefined) continue
        const parsed = JSON.parse(data) as Record<string, unknown>
        if (match(parsed)) return { name, data: parsed }
      }
    }
    throw new Error(`recording: the stream ended before ${name}`)
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

const payloadOf = (data: Record<string, unknown>) =>
  JSON.parse(String((data['conversationEntry'] as { entryPayload: string }).entryPayload)) as Record<string, unknown>
const roleOf = (data: Record<string, unknown>) =>
  (data['conversationEntry'] as { sender: { role: string } }).sender.role

/** How to make the simulator send each event, and how to recognise it on the stream. */
const RECIPES: Record<
  StreamEventDescription,
  { act: (mock: MockServer, id: string) => void; name: string; match: (data: Record<string, unknown>) => boolean }
> = {
  [STREAM_EVENT.routed]: {
    act: () => undefined,
    name: 'CONVERSATION_ROUTING_RESULT',
    match: (d) => payloadOf(d)['failureType'] === 'None',
  },
  [STREAM_EVENT.queuePosition]: {
    act: (mock, id) => mock.enhanced.queueUpdate(id, STREAM_EXAMPLE.queuePosition),
    name: 'CONVERSATION_QUEUE_POSITION',
    match: () => true,
  },
  [STREAM_EVENT.agentJoined]: {
    act: (mock, id) => mock.enhanced.accept(id, { agentName: STREAM_EXAMPLE.agentName }),
    name: 'CONVERSATION_PARTICIPANT_CHANGED',
    match: () => true,
  },
  [STREAM_EVENT.agentTyping]: {
    act: (mock, id) => {
      mock.enhanced.accept(id, { agentName: STREAM_EXAMPLE.agentName })
      mock.enhanced.agentTyping(id, true)
    },
    name: 'CONVERSATION_TYPING_STARTED_INDICATOR',
    match: () => true,
  },
  [STREAM_EVENT.agentMessage]: {
    act: (mock, id) => {
      mock.enhanced.accept(id, { agentName: STREAM_EXAMPLE.agentName })
      mock.enhanced.agentMessage(id, STREAM_EXAMPLE.agentText)
    },
    name: 'CONVERSATION_MESSAGE',
    match: (d) => roleOf(d) === 'Agent',
  },
  [STREAM_EVENT.agentEnded]: {
    act: (mock, id) => {
      mock.enhanced.accept(id, { agentName: STREAM_EXAMPLE.agentName })
      mock.enhanced.endChat(id)
    },
    name: 'CONVERSATION_SESSION_STATUS_CHANGED',
    match: (d) => payloadOf(d)['sessionStatus'] === 'Ended',
  },
}

/** Records one real event of each kind from the simulator (run with the `manual` scenario). */
export async function recordStreamEvents(mock: MockServer): Promise<Record<StreamEventDescription, RecordedEvent>> {
  const recorded: Partial<Record<StreamEventDescription, RecordedEvent>> = {}
  for (const [description, recipe] of Object.entries(RECIPES) as [
    StreamEventDescription,
    (typeof RECIPES)[StreamEventDescription],
  ][]) {
    mock.enhanced.reset()
    const guest = await openGuest(mock)
    recipe.act(mock, guest.conversationId)
    recorded[description] = await readUntil(mock, guest, recipe.name, recipe.match)
  }
  mock.enhanced.reset()
  return recorded as Record<StreamEventDescription, RecordedEvent>
}
