// Live Agent events → the bridge's event vocabulary (../chat-backend.ts), and how a session that is over without an
// event ends for the bot. Pure. The pump applies the rules every backend shares (pump/translate.ts).
import type { EndReason } from '../../store/types.js'
import type { BackendEvent } from '../chat-backend.js'
import type { ChatOverReason } from './cursor.js'
import type { LiveAgentEvent } from './events.js'

/** ChatEnded reasons and what the bot is told. Anything else counts as the agent's doing. */
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

const ended = (end: { endReason: EndReason; endDetail?: string }): BackendEvent =>
  end.endDetail === undefined
    ? { type: 'ended', reason: end.endReason }
    : { type: 'ended', reason: end.endReason, detail: end.endDetail }

const agent = (name: string | undefined, id: string | undefined) => ({
  ...(id !== undefined ? { id } : {}),
  ...(name !== undefined ? { name } : {}),
})

/** One Live Agent event in the bridge's words; undefined for what means nothing to the bot. */
export function bridgeEventOf(event: LiveAgentEvent): BackendEvent | undefined {
  switch (event.type) {
    case 'ChatRequestSuccess':
      return queued(event.message.queuePosition, event.message.estimatedWaitTime)
    case 'QueueUpdate':
      return queued(event.message.position, event.message.estimatedWaitTime)
    case 'ChatEstablished':
      return { type: 'agent-joined', agent: agent(event.message.name, event.message.userId) }
    case 'ChatTransferred':
      return { type: 'agent-transferred', agent: agent(event.message.name, event.message.userId) }
    case 'ChatResumedAfterTransfer':
      return { type: 'agent-resumed', agent: agent(event.message.name, event.message.userId) }
    case 'ChatMessage':
      return {
        type: 'agent-message',
        text: event.message.text,
        agent: agent(event.message.name, event.message.agentId),
      }
    case 'AgentTyping':
      return { type: 'agent-typing', typing: true }
    case 'AgentNotTyping':
      return { type: 'agent-typing', typing: false }
    case 'ChatEnded':
      return ended(endOfChatEnded(event.message.reason))
    case 'ChatRequestFail':
      return ended(endOfRequestFail(event.message.reason))
    default:
      // ChasitorSessionData, AgentDisconnect (the chat goes on), CustomEvent, unknown types…: nothing for the bot.
      return undefined
  }
}

const isTyping = (event: LiveAgentEvent | undefined) =>
  event?.type === 'AgentTyping' || event?.type === 'AgentNotTyping'

/**
 * A batch in the bridge's words, in order. Of two typing events in a row only the later one counts: Live Agent may
 * deliver them out of order (docs/live-agent-protocol.md), so the earlier one says nothing reliable.
 */
export function bridgeEventsOf(events: readonly LiveAgentEvent[]): BackendEvent[] {
  const out: BackendEvent[] = []
  for (const [index, event] of events.entries()) {
    if (isTyping(event) && isTyping(events[index + 1])) continue
    const bridged = bridgeEventOf(event)
    if (bridged) out.push(bridged)
  }
  return out
}

function queued(position: number | undefined, estimatedWaitTime: number | undefined): BackendEvent {
  return {
    type: 'queued',
    ...(position !== undefined ? { position } : {}),
    ...(estimatedWaitTime !== undefined ? { estimatedWaitTime } : {}),
  }
}
