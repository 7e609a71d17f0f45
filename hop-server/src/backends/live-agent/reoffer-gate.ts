// Typing and sneak peek posts after a restart, until the re-offered messages are queued.
//
// The hop server defers a ChatMessage's queuing record to its next write (conversation.ts, isDeferrable), so a
// kill -9 can lose the record of a message the previous process had already sent under number N. The resumed cursor
// then does not hold it, and the pump re-offers it only when it re-reads the visitor outbox. Until then N belongs to
// that message: resent under N, the server drops it as a repeat. A typing post numbered first would take N (the
// server ignores it as a repeat) and push the message to N + 1, where the server accepts it again: the agent sees it
// twice. So after such a restart (mayHoldUnrecordedSends in handover.ts) hints wait here until the caller says every
// stored message has been offered (`open`), or at most `waitMs`. ChatMessages never wait: they come from the outbox,
// in order, behind the re-offered ones. Only the latest hint is kept (a later one replaces it and shares its
// outcome): the agent needs the visitor's current state, not its history.
import type { LiveAgentLogger } from './logger.js'
import type { ChasitorPost } from './posts.js'

/** A hint held by the gate: the latest post, and the ids of the earlier hints it replaced. */
export interface HeldHint {
  id: string
  post: ChasitorPost
  replaced: string[]
}

export interface ReofferGateOptions {
  /** Closed from the start: the resumed cursor may lack messages the previous process sent. */
  closed: boolean
  /** The longest a hint is held when `open` never comes (DEFAULTS.reofferWaitMs). */
  waitMs: number
  /** Queues the held hint once the gate opens (in the session, behind the re-offered messages). */
  release(hint: HeldHint): void
  logger: LiveAgentLogger
  chatId: string
}

export class ReofferGate {
  private isClosed: boolean
  private held: HeldHint | undefined
  /** Started by the first hint held, not at resume: a chat nobody types in never gets a timer. */
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly options: ReofferGateOptions) {
    this.isClosed = options.closed
  }

  /** Hints must wait (the re-offer has not been signalled, and the wait has not run out). */
  get closed(): boolean {
    return this.isClosed
  }

  /** Keeps `post` until the gate opens; an earlier hint held is replaced (its id waits for this one's outcome). */
  hold(id: string, post: ChasitorPost): void {
    const replaced = this.held ? [...this.held.replaced, this.held.id] : []
    this.held = { id, post, replaced }
    this.timer ??= setTimeout(() => this.open('wait-elapsed'), this.options.waitMs)
  }

  /**
   * Every message stored before the restart has been offered (`offered`), or the wait ran out: hints go on, the held
   * one first. Idempotent.
   */
  open(why: 'offered' | 'wait-elapsed'): void {
    if (!this.isClosed) return
    this.isClosed = false
    this.clearTimer()
    const { chatId, waitMs } = this.options
    if (why === 'wait-elapsed') {
      this.options.logger.warn(
        { chatId, waitMs },
        'the re-offer of stored visitor messages was not signalled in time; typing goes on (a hint may take the ' +
          'number of a message the previous process sent, which the agent would then see twice)'
      )
    } else {
      this.options.logger.debug({ chatId }, 'stored visitor messages re-offered; typing goes on')
    }
    const hint = this.held
    this.held = undefined
    if (hint) this.options.release(hint)
  }

  /** The session is over or stopped: no timer outlives it. The held hint's waiters are answered by the session. */
  dispose(): void {
    this.isClosed = false
    this.held = undefined
    this.clearTimer()
  }

  private clearTimer(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
