// Builders for the webhook events of the bridge contract (docs/bridge-contract.md, "Webhook events").
import type { AgentInfo, EndReason, NewHopEvent } from './types.js'

const iso = (at: number) => new Date(at).toISOString()

export function endedEvent(reason: EndReason, detail: string | undefined, at: number): NewHopEvent {
  return { type: 'chat.ended', at: iso(at), data: detail ? { reason, detail } : { reason } }
}

export function queuedEvent(position: number, estimatedWaitTime: number | undefined, at: number): NewHopEvent {
  return {
    type: 'chat.queued',
    at: iso(at),
    data: estimatedWaitTime === undefined ? { position } : { position, estimatedWaitTime },
  }
}

export function agentJoinedEvent(agent: AgentInfo, at: number): NewHopEvent {
  return { type: 'agent.joined', at: iso(at), data: { agent: { ...agent } } }
}

export function agentMessageEvent(text: string, agent: AgentInfo, at: number): NewHopEvent {
  return { type: 'agent.message', at: iso(at), data: { text, agent: { ...agent } } }
}

export function agentTypingEvent(typing: boolean, at: number): NewHopEvent {
  return { type: 'agent.typing', at: iso(at), data: { typing } }
}

export function transferredEvent(agent: AgentInfo, at: number): NewHopEvent {
  return { type: 'chat.transferred', at: iso(at), data: { agent: { ...agent } } }
}
