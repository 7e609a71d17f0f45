import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/** A message from the agent, created in the hitl conversation as the agent's Botpress user. */
export const handleAgentMessage = (props: HopEventProps<HopEventOf<'agent.message'>>): Promise<EventOutcome> =>
  applyHopEvent(props, {
    type: 'agent.message',
    seq: props.event.seq,
    text: props.event.data.text,
    agent: props.event.data.agent,
  })
