// Bridge events from any backend (../backends/chat-backend.ts) → bridge-contract webhook events
// (docs/bridge-contract.md), plus the chat status they imply. Pure functions: the pump commits their result in one
// store transaction with the checkpoint that acknowledged them. The rules here hold for every backend.
import type { AgentRef, BackendEvent } from '../backends/chat-backend.js'
import {
  agentJoinedEvent,
  agentMessageEvent,
  agentTypingEvent,
  endedEvent,
  queuedEvent,
  transferredEvent,
} from '../store/events.js'
import type { AgentInfo, ChatProgress, ChatState, NewHopEvent, StateUpdate } from '../store/types.js'

const UNKNOWN_AGENT_ID = 'unknown'

export interface ChatSnapshot {
  state: ChatState
  progress: ChatProgress
}

export interface Translation {
  events: NewHopEvent[]
  state?: StateUpdate
  progress: ChatProgress
  /** agent.message events in `events` (for the relay metric). */
  agentMessages: number
}

function agentOf(ref: AgentRef, fallback: AgentInfo | undefined): AgentInfo {
  return { id: ref.id ?? fallback?.id ?? UNKNOWN_AGENT_ID, name: ref.name ?? fallback?.name ?? '' }
}

/** Translates one batch, in order. Nothing follows a chat.ended. */
export function translateBatch(events: readonly BackendEvent[], snapshot: ChatSnapshot, at: number): Translation {
  const out: NewHopEvent[] = []
  const progress: ChatProgress = { ...snapshot.progress }
  let state: StateUpdate | undefined
  let agentMessages = 0
  const current = () => state?.state ?? snapshot.state
  const setState = (next: ChatState) => {
    if (next !== current()) state = { state: next as 'connecting' | 'queued' | 'agent' }
  }

  for (const event of events) {
    if (state?.state === 'ended') break
    switch (event.type) {
      case 'queued': {
        // Once an agent is there, a late queue update means nothing to the visitor.
        if (current() === 'agent') break
        const wait =
          event.estimatedWaitTime !== undefined && event.estimatedWaitTime >= 0 ? event.estimatedWaitTime : undefined
        progress.queuePosition = event.position ?? 0
        if (wait !== undefined) progress.estimatedWaitTime = wait
        else delete progress.estimatedWaitTime
        setState('queued')
        out.push(queuedEvent(event.position ?? 0, wait, at))
        break
      }
      case 'agent-joined': {
        const agent = agentOf(event.agent, undefined)
        progress.agent = agent
        delete progress.queuePosition
        delete progress.estimatedWaitTime
        setState('agent')
        out.push(agentJoinedEvent(agent, at))
        break
      }
      case 'agent-transferred':
      case 'agent-resumed': {
        const agent = agentOf(event.agent, progress.agent)
        const changed = agent.id !== progress.agent?.id || agent.name !== progress.agent?.name
        progress.agent = agent
        setState('agent')
        if (event.type === 'agent-transferred' || changed) out.push(transferredEvent(agent, at))
        break
      }
      case 'agent-message': {
        out.push(agentMessageEvent(event.text, agentOf(event.agent, progress.agent), at))
        agentMessages += 1
        break
      }
      case 'agent-typing':
        out.push(agentTypingEvent(event.typing, at))
        break
      case 'ended': {
        state =
          event.detail === undefined
            ? { state: 'ended', endReason: event.reason }
            : { state: 'ended', endReason: event.reason, endDetail: event.detail }
        out.push(endedEvent(event.reason, event.detail, at))
        break
      }
    }
  }
  return { events: out, ...(state ? { state } : {}), progress, agentMessages }
}
