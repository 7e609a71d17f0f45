import type { ServerResponse } from 'node:http'
import type { FastifyReply } from 'fastify'
import { BODY } from './protocol.js'
import type { Batch, SimulatedChat } from './simulated-chat.js'

// A held response is tagged with its session and broker so that one shared 'close' listener serves every poll.
const SESSION_OF_RESPONSE = Symbol('liveagent-mock.session')
const BROKER_OF_RESPONSE = Symbol('liveagent-mock.broker')
type TaggedResponse = ServerResponse & { [SESSION_OF_RESPONSE]?: SimulatedChat; [BROKER_OF_RESPONSE]?: LongPollBroker }

function onHeldResponseClosed(this: TaggedResponse): void {
  const session = this[SESSION_OF_RESPONSE]
  if (session) this[BROKER_OF_RESPONSE]?.clientGone(session, this)
}

/**
 * Holds Messages polls open and answers them. There is no polling loop: a new event wakes the held
 * request directly (in a microtask, so events appended in the same tick travel in one batch), and each
 * held poll owns exactly one timer, cleared when it is answered.
 */
export class LongPollBroker {
  private readonly held = new Set<SimulatedChat>()

  constructor(
    private readonly holdMs: number,
    /** Called whenever a session's poll opens or closes (answered, aborted or dropped). */
    private readonly onPollStateChange: (session: SimulatedChat) => void = () => {}
  ) {}

  get heldCount(): number {
    return this.held.size
  }

  /** Answers at once when events are pending (403 when the session ended), else holds the request. */
  open(session: SimulatedChat, reply: FastifyReply, ack: number): FastifyReply {
    const batch = session.batchAfter(ack)
    if (batch) return sendBatch(reply, batch)
    if (session.ended) return sendText(reply, 403, BODY.invalidSession)
    const timer = setTimeout(this.onHoldElapsed, this.holdMs, session)
    session.heldPoll = { reply, ack, timer }
    this.held.add(session)
    const raw = reply.raw as TaggedResponse
    raw[SESSION_OF_RESPONSE] = session
    raw[BROKER_OF_RESPONSE] = this
    raw.once('close', onHeldResponseClosed)
    this.onPollStateChange(session)
    return reply
  }

  /** Something changed for this session: deliver what its held poll is waiting for. */
  wake(session: SimulatedChat): void {
    if (!session.heldPoll || session.wakeScheduled) return
    session.wakeScheduled = true
    queueMicrotask(() => {
      session.wakeScheduled = false
      const held = session.heldPoll
      if (!held) return
      const batch = session.batchAfter(held.ack)
      if (batch) sendBatch(this.release(session)!, batch)
      else if (session.ended) sendText(this.release(session)!, 403, BODY.invalidSession)
    })
  }

  /** Answers the held poll (if any) with an error status, e.g. 409 on a duplicate poll or 503 on a hand-over. */
  fail(session: SimulatedChat, status: number, body: string): boolean {
    const reply = this.release(session)
    if (!reply) return false
    sendText(reply, status, body)
    return true
  }

  /** Drops every held poll without an answer (server shutdown). */
  destroyAll(): void {
    for (const session of [...this.held]) this.release(session)?.raw.destroy()
  }

  private release(session: SimulatedChat): FastifyReply | undefined {
    const held = session.heldPoll
    if (!held) return undefined
    clearTimeout(held.timer)
    session.heldPoll = undefined
    session.lastPollEndAt = Date.now()
    this.held.delete(session)
    this.onPollStateChange(session)
    return held.reply
  }

  private readonly onHoldElapsed = (session: SimulatedChat): void => {
    const reply = this.release(session)
    if (reply) reply.code(204).send()
  }

  /** The client went away (aborted poll): the session no longer has a poll in flight. */
  clientGone(session: SimulatedChat, raw: ServerResponse): void {
    if (session.heldPoll?.reply.raw === raw) this.release(session)
  }
}

export function sendBatch(reply: FastifyReply, batch: Batch): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(batch))
}

export function sendText(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(body)
}
