import type { HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/** ChatRequestSuccess and every QueueUpdate: the customer hears their position when it changes (if configured). */
export const handleChatQueued = (props: HopEventProps<HopEventOf<'chat.queued'>>): Promise<EventOutcome> =>
  applyHopEvent(props, {
    type: 'chat.queued',
    seq: props.event.seq,
    position: props.event.data.position,
    ...(props.event.data.estimatedWaitTime === undefined
      ? {}
      : { estimatedWaitTime: props.event.data.estimatedWaitTime }),
  })
