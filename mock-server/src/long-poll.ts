import { BODY } from './protocol.js'
import type { PollReply, SimulatedChat } from './simulated-chat.js'

/**
 * Holds Messages polls open and answers them. There is no polling loop: a new event wakes the held
 * request directly (in a microtask, so events appended in the same tick travel in one batch), and each
 * held poll owns exactly one timer, cleared when it is answered.
 */
export class LongPollBroker {
  private readonly held = new Set<SimulatedChat>()
  private readonly wakeScheduled = new Set<SimulatedChat>()

  constructor(
    private readonly holdMs: number,
    /** Called whenever a session's poll opens or closes (answered, aborted or dropped). */
    private readonly onPollStateChange: (session: SimulatedChat) => void = () => {}
  ) {}

  get heldCount(): number {
    return this.held.size
  }

  /** Answers at once when events are pending (403 when the session ended), else holds the request. */
  open(session: SimulatedChat, reply: PollReply, ack: number): void {
    const batch = session.batchAfter(ack)
    if (batch) return reply.batch(batch)
    if (session.ended) return reply.refuse(403, BODY.invalidSession)
    const timer = setTimeout(this.onHoldElapsed, this.holdMs, session)
    const poll = { reply, ack, timer }
    session.hold(poll)
    this.held.add(session)
    reply.onClientGone(() => {
      // The client went away (aborted poll): the session no longer has a poll in flight.
      if (session.heldPoll === poll) this.release(session)
    })
    this.onPollStateChange(session)
  }

  /** Something changed for this session: deliver what its held poll is waiting for. */
  wake(session: SimulatedChat): void {
    if (!session.heldPoll || this.wakeScheduled.has(session)) return
    this.wakeScheduled.add(session)
    queueMicrotask(() => {
      this.wakeScheduled.delete(session)
      const held = session.heldPoll
      if (!held) return
      const batch = session.batchAfter(held.ack)
      if (batch) this.release(session)!.batch(batch)
      else if (session.ended) this.release(session)!.refuse(403, BODY.invalidSession)
    })
  }

  /** Answers the held poll (if any) with an error status, e.g. 409 on a duplicate poll or 503 on a hand-over. */
  fail(session: SimulatedChat, status: number, body: string): boolean {
    const reply = this.release(session)
    if (!reply) return false
    reply.refuse(status, body)
    return true
  }

  /** Drops every held poll without an answer (server shutdown). */
  destroyAll(): void {
    for (const session of [...this.held]) this.release(session)?.destroy()
  }

  private release(session: SimulatedChat): PollReply | undefined {
    const held = session.release()
    if (!held) return undefined
    clearTimeout(held.timer)
    this.held.delete(session)
    this.onPollStateChange(session)
    return held.reply
  }

  private readonly onHoldElapsed = (session: SimulatedChat): void => {
    this.release(session)?.empty()
  }
}
