import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/** ChatEstablished: hitlAssigned with the agent's Botpress user; the HITL plugin tells the customer. */
export const handleAgentJoined = (props: HopEventProps<HopEventOf<'agent.joined'>>): Promise<EventOutcome> =>
  applyHopEvent(props, { type: 'agent.joined', seq: props.event.seq, agent: props.event.data.agent })
