// Live Agent events → bridge-contract webhook events (docs/bridge-contract.md), plus the chat status they imply.
// Pure functions: the pump commits their result in one store transaction with the cursor that acknowledged them.
import type { ChatOverReason, LiveAgentEvent } from '../live-agent/index.js'
import {
  agentJoinedEvent,
  agentMessageEvent,
  agentTypingEvent,
  endedEvent,
  queuedEvent,
  transferredEvent,
} from '../store/events.js'
import type { AgentInfo, ChatProgress, ChatState, EndReason, NewHopEvent, StateUpdate } from '../store/types.js'

/** ChatEnded reasons (§6) and what the bot is told. Anything else counts as the agent's doing. */
const CHAT_ENDED_REASONS: Record<string, EndReason> = {
  agent: 'agent',
  client: 'visitor',
  clientIdleTimeout: 'timeout',
  agentsUnavailable: 'no_agent',
  agentPushTimeout: 'no_agent',
  NoPost: 'error',
}
/** ChatRequestFail reasons: only `Unavailable` means "nobody there"; the others are errors. */
const REQUEST_FAIL_NO_AGENT = 'Unavailable'
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

export function endOfChatEnded(reason: string | undefined): { endReason: EndReason; endDetail?: string } {
  const raw = reason ?? 'unknown'
  const endReason = CHAT_ENDED_REASONS[raw] ?? 'agent'
  return endReason === 'agent' && raw === 'agent' ? { endReason } : { endReason, endDetail: raw }
}

export function endOfRequestFail(reason: string | undefined): { endReason: EndReason; endDetail?: string } {
  const raw = reason ?? 'Unknown'
  return { endReason: raw === REQUEST_FAIL_NO_AGENT ? 'no_agent' : 'error', endDetail: raw }
}

/** How a session that is over without a ChatEnded/ChatRequestFail event ends for the bot. */
export function endOfSession(
  reason: ChatOverReason,
  detail: string | undefined
): { endReason: EndReason; endDetail: string } {
  switch (reason) {
    case 'visitor-ended':
      return { endReason: 'visitor', endDetail: detail ?? 'visitor-ended' }
    case 'session-invalid':
      return { endReason: 'timeout', endDetail: `the Live Agent session expired or was closed (${detail ?? '403'})` }
    case 'duplicate-poll':
      return { endReason: 'error', endDetail: 'Live Agent terminated the chat after a duplicate poll (409)' }
    case 'agent-ended':
      return { endReason: 'agent', endDetail: detail ?? 'agent' }
    case 'request-failed':
      return { endReason: 'no_agent', endDetail: detail ?? 'request failed' }
  }
}

function agentOf(name: string | undefined, id: string | undefined, fallback: AgentInfo | undefined): AgentInfo {
  return { id: id ?? fallback?.id ?? UNKNOWN_AGENT_ID, name: name ?? fallback?.name ?? '' }
}

const isTyping = (event: LiveAgentEvent) => event.type === 'AgentTyping' || event.type === 'AgentNotTyping'

/** Translates one batch, in order. Nothing follows a chat.ended. */
export function translateBatch(events: readonly LiveAgentEvent[], snapshot: ChatSnapshot, at: number): Translation {
  const out: NewHopEvent[] = []
  const progress: ChatProgress = { ...snapshot.progress }
  let state: StateUpdate | undefined
  let agentMessages = 0
  const setState = (next: ChatState) => {
    if (next !== (state?.state ?? snapshot.state)) state = { state: next as 'connecting' | 'queued' | 'agent' }
  }

  for (const [index, event] of events.entries()) {
    if (state?.state === 'ended') break
    switch (event.type) {
      case 'ChatRequestSuccess':
      case 'QueueUpdate': {
        const position = event.type === 'QueueUpdate' ? event.message.position : event.message.queuePosition
        const wait = event.message.estimatedWaitTime
        // Once an agent is there, a late queue update means nothing to the visitor.
        if ((state?.state ?? snapshot.state) === 'agent') break
        progress.queuePosition = position ?? 0
        if (wait !== undefined && wait >= 0) progress.estimatedWaitTime = wait
        else delete progress.estimatedWaitTime
        setState('queued')
        out.push(queuedEvent(position ?? 0, wait !== undefined && wait >= 0 ? wait : undefined, at))
        break
      }
      case 'ChatEstablished': {
        const agent = agentOf(event.message.name, event.message.userId, undefined)
        progress.agent = agent
        delete progress.queuePosition
        delete progress.estimatedWaitTime
        setState('agent')
        out.push(agentJoinedEvent(agent, at))
        break
      }
      case 'ChatTransferred':
      case 'ChatResumedAfterTransfer': {
        const agent = agentOf(event.message.name, event.message.userId, progress.agent)
        const changed = agent.id !== progress.agent?.id || agent.name !== progress.agent?.name
        progress.agent = agent
        setState('agent')
        if (event.type === 'ChatTransferred' || changed) out.push(transferredEvent(agent, at))
        break
      }
      case 'ChatMessage': {
        const agent = agentOf(event.message.name, event.message.agentId, progress.agent)
        out.push(agentMessageEvent(event.message.text, agent, at))
        agentMessages += 1
        break
      }
      case 'AgentTyping':
      case 'AgentNotTyping': {
        // Two typing events in a row: only the later one matters (and they may come out of order, §9.13).
        const next = events[index + 1]
        if (next && isTyping(next)) break
        out.push(agentTypingEvent(event.type === 'AgentTyping', at))
        break
      }
      case 'ChatEnded':
      case 'ChatRequestFail': {
        const end =
          event.type === 'ChatEnded' ? endOfChatEnded(event.message.reason) : endOfRequestFail(event.message.reason)
        state = { state: 'ended', ...end }
        out.push(endedEvent(end.endReason, end.endDetail, at))
        break
      }
      default:
        // ChasitorSessionData, AgentDisconnect (the chat goes on), CustomEvent, unknown types…: nothing for the bot.
        break
    }
  }
  return { events: out, ...(state ? { state } : {}), progress, agentMessages }
}
