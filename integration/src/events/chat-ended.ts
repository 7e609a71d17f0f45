import { knownEndReason, type HopEventOf } from '../hop-contract.js'
import { applyHopEvent, type EventOutcome, type HopEventProps } from './apply-hop-event.js'

/**
 * The last event of every chat: the reason stored (state, conversation tag, handoffEnded event) and hitlStopped so
 * the HITL plugin tells the customer (its one notice) and hands the conversation back to the bot.
 */
export const handleChatEnded = (props: HopEventProps<HopEventOf<'chat.ended'>>): Promise<EventOutcome> => {
  const { reason, detail } = props.event.data
  const known = knownEndReason(reason)
  if (!known) {
    props.logger
      .forBot()
      .warn(`Chat ${props.event.chatId} ended for a reason this version does not know ("${reason}"); stored as error.`)
  }
  const storedDetail = known ? detail : [`unknown end reason: ${reason}`, detail].filter(Boolean).join('; ')
  return applyHopEvent(props, {
    type: 'chat.ended',
    seq: props.event.seq,
    reason: known ?? 'error',
    ...(storedDetail ? { detail: storedDetail } : {}),
  })
}
