// Stream events → the seam's BackendEvents. What each Enhanced Chat event means stays in translate.ts (one owner);
// this maps its bridge events onto the seam's vocabulary and moves the translator's snapshot, which the cursor keeps.
import type { EndReason, NewHopEvent } from '../../store/types.js'
import type { BackendEvent } from '../chat-backend.js'
import type { CursorState } from './cursor.js'
import { translateEnhancedBatch } from './translate.js'
import type { StreamEvent } from './wire.js'

export interface BridgeBatch {
  events: BackendEvent[]
  snapshot: CursorState['snapshot']
  /** Set when the batch ended the chat. */
  ended?: { reason: EndReason; detail?: string }
}

export function bridgeEventsOf(
  stream: readonly StreamEvent[],
  state: Pick<CursorState, 'snapshot' | 'conversationId' | 'ownMessageIds'>,
  at: number
): BridgeBatch {
  const own = new Set(state.ownMessageIds)
  const translation = translateEnhancedBatch(
    stream,
    state.snapshot,
    { conversationId: state.conversationId, isOwnMessage: (id) => own.has(id) },
    at
  )
  const events = translation.events.map(toBackendEvent)
  const snapshot = { state: translation.state?.state ?? state.snapshot.state, progress: translation.progress }
  const end = events.find((event) => event.type === 'ended')
  return {
    events,
    snapshot: JSON.parse(JSON.stringify(snapshot)) as CursorState['snapshot'],
    ...(end ? { ended: { reason: end.reason, ...(end.detail ? { detail: end.detail } : {}) } } : {}),
  }
}

type Data = Record<string, unknown>
const agentOf = (data: Data) => data['agent'] as { id: string; name: string }

function toBackendEvent(event: NewHopEvent): BackendEvent {
  const data = event.data as Data
  switch (event.type) {
    case 'chat.queued':
      return {
        type: 'queued',
        ...(typeof data['position'] === 'number' ? { position: data['position'] } : {}),
        ...(typeof data['estimatedWaitTime'] === 'number' ? { estimatedWaitTime: data['estimatedWaitTime'] } : {}),
      }
    case 'agent.joined':
      return { type: 'agent-joined', agent: agentOf(data) }
    case 'chat.transferred':
      return { type: 'agent-transferred', agent: agentOf(data) }
    case 'agent.message':
      return { type: 'agent-message', text: String(data['text']), agent: agentOf(data) }
    case 'agent.typing':
      return { type: 'agent-typing', typing: data['typing'] === true }
    case 'chat.ended':
      return {
        type: 'ended',
        reason: data['reason'] as EndReason,
        ...(typeof data['detail'] === 'string' ? { detail: data['detail'] } : {}),
      }
  }
}
