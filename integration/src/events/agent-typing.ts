import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/**
 * AgentTyping / AgentNotTyping. Applied (its seq counts) but shown nowhere: sdk 5.4.3's client has no typing
 * indicator an integration can set.
 */
export const handleAgentTyping = (props: HopEventProps<HopEventOf<'agent.typing'>>): Promise<EventOutcome> =>
  applyHopEvent(props, { type: 'agent.typing', seq: props.event.seq, typing: props.event.data.typing })
