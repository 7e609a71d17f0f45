import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/**
 * The last event of every chat: a notice for the reason, the reason stored (state, conversation tag, handoffEnded
 * event) and hitlStopped so the HITL plugin hands the conversation back to the bot.
 */
export const handleChatEnded = (props: HopEventProps<HopEventOf<'chat.ended'>>): Promise<EventOutcome> =>
  applyHopEvent(props, {
    type: 'chat.ended',
    seq: props.event.seq,
    reason: props.event.data.reason,
    ...(props.event.data.detail ? { detail: props.event.data.detail } : {}),
  })
