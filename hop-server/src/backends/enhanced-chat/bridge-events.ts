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
  const own = state.ownMessageIds
  const translation = translateEnhancedBatch(
    stream,
    state.snapshot,
    // Asked only of a message whose sender is not the end user: a scan, not a Set built per event.
    { conversationId: state.conversationId, isOwnMessage: (id) => own.includes(id) },
    at
  )
  const events = translation.events.map(toBackendEvent)
  const snapshot = { state: translation.state?.state ?? state.snapshot.state, progress: translation.progress }
  const end = events.find((event) => event.type === 'ended')
  return {
    events,
    snapshot: withoutUndefined(snapshot),
    ...(end ? { ended: { reason: end.reason, ...(end.detail ? { detail: end.detail } : {}) } } : {}),
  }
}

/**
 * The snapshot as JSON would store it (a translator's progress may hold a field set to undefined): the cursor state
 * is handed to the pump as it is, uncopied, and must read the same before and after a restart.
 */
function withoutUndefined(snapshot: CursorState['snapshot']): CursorState['snapshot'] {
  const progress: CursorState['snapshot']['progress'] = {}
  const { queuePosition, estimatedWaitTime, agent } = snapshot.progress
  if (queuePosition !== undefined) progress.queuePosition = queuePosition
  if (estimatedWaitTime !== undefined) progress.estimatedWaitTime = estimatedWaitTime
  if (agent !== undefined) progress.agent = { id: agent.id, name: agent.name }
  return { state: snapshot.state, progress }
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
