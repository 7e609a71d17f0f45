import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/** ChatTransferred: hitlAssigned again with the new agent; the HITL plugin announces them once. */
export const handleChatTransferred = (props: HopEventProps<HopEventOf<'chat.transferred'>>): Promise<EventOutcome> =>
  applyHopEvent(props, { type: 'chat.transferred', seq: props.event.seq, agent: props.event.data.agent })
