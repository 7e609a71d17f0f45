// One Live Agent chat behind the backend seam: a ChatSession whose cursor travels as a backend-tagged checkpoint,
// whose batches reach the pump in the bridge's words, and whose outcomes become the seam's. The protocol itself
// (polls, acks, sequence numbers, server moves) stays in session.ts.
import type {
  BackendCursor,
  ChatConversation,
  Checkpoint,
  ConversationOutcome,
  ResumeContext,
  SendOutcome,
  VisitorMessage,
} from '../chat-backend.js'
import type { Json } from '../../store/types.js'
import { bridgeEventsOf, endOfSession } from './bridge-events.js'
import type { LiveAgentClient } from './client.js'
import { CURSOR_VERSION, type SessionCursor } from './cursor.js'
import { ChatSession, type PostOutcome, type SessionOutcome } from './session.js'

export const BACKEND_NAME = 'live-agent'

export interface LiveAgentConversationOptions {
  minChatMessageGapMs: number
  maxConnectionTimeoutMs: number
}

/** The seam's cursor for a session cursor. */
export function backendCursorOf(cursor: SessionCursor): BackendCursor {
  return { backend: BACKEND_NAME, version: CURSOR_VERSION, state: cursor as unknown as Json }
}

/** The post ids a session cursor holds, queued or delivered. */
export function postIdsOf(cursor: SessionCursor): string[] {
  return [...cursor.pendingPosts.map((post) => post.id), ...cursor.deliveredPostIds]
}

export function checkpointOf(cursor: SessionCursor, deferrable = false): Checkpoint {
  return {
    cursor: backendCursorOf(cursor),
    postIds: postIdsOf(cursor),
    over: cursor.over !== undefined,
    ...(deferrable ? { deferrable } : {}),
  }
}

/**
 * Whether `next` may be lost in a crash, given that `previous` (the checkpoint handed out before it) was stored or
 * is itself deferrable. True when `next` only queues posts, records posts the server accepted or refused, or numbers
 * visitor chat messages in order. Resumed from an older cursor, the pump re-offers the same messages in the same
 * order (from the visitor outbox, under the same ids) and they get the same numbers again; the server drops the
 * ones it had (a number at or below the last it accepted, §5 of the Live Agent notes), as it already does for the
 * one post that may be in flight. Anything else that uses a number (typing, ChatEnd, ChasitorInit, a renumbering
 * after a 409 or a hand-over) must be stored first: a replay would not number it the same.
 */
export function isDeferrable(previous: SessionCursor, next: SessionCursor): boolean {
  if (previous.over || next.over) return false
  if (
    next.id !== previous.id ||
    next.key !== previous.key ||
    next.affinityToken !== previous.affinityToken ||
    next.handover !== previous.handover ||
    next.established !== previous.established ||
    next.ack !== previous.ack ||
    next.lastOffset !== previous.lastOffset
  ) {
    return false
  }
  const before = new Map(previous.pendingPosts.map((pending) => [pending.id, pending]))
  let numbered = 0
  for (const pending of next.pendingPosts) {
    if (pending.sequence === undefined) continue
    const earlier = before.get(pending.id)
    if (earlier?.sequence === pending.sequence) continue
    if (pending.post.kind !== 'ChatMessage' || earlier?.sequenceBeforeHandover !== undefined) return false
    numbered += 1
  }
  return next.nextSequence - previous.nextSequence === numbered
}

function sendOutcomeOf(outcome: PostOutcome): SendOutcome {
  return outcome.status === 'delivered' ? { status: 'delivered', id: outcome.id } : outcome
}

export function conversationOutcomeOf(outcome: SessionOutcome): ConversationOutcome {
  switch (outcome.kind) {
    case 'stopped':
      return { kind: 'stopped' }
    case 'over': {
      const end = endOfSession(outcome.reason, outcome.detail)
      return { kind: 'ended', reason: end.endReason, detail: end.endDetail }
    }
    case 'failed': {
      const { error } = outcome
      if (error.kind === 'hook-failed') {
        return { kind: 'failed', failure: { kind: 'persist', detail: error.message, error: error.cause ?? error } }
      }
      if (error.kind === 'internal') {
        return {
          kind: 'failed',
          failure: { kind: 'internal', detail: `internal error in the Live Agent session: ${causeOf(error)}`, error },
        }
      }
      // The session cannot go on (retries exhausted, out of sync, hand-over failed…): the chat is over.
      return {
        kind: 'failed',
        failure: { kind: 'backend', detail: `Live Agent session failed (${error.kind}): ${error.message}`, error },
      }
    }
  }
}

function causeOf(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : error.message
}

export class LiveAgentConversation implements ChatConversation {
  private readonly session: ChatSession

  /** Throws LiveAgentInputError when the cursor is not a valid session cursor. */
  constructor(
    client: LiveAgentClient,
    cursor: SessionCursor,
    context: ResumeContext,
    options: LiveAgentConversationOptions
  ) {
    const { hooks } = context
    // The session hands each hook a copy of its cursor, so keeping the last one to compare with is safe.
    let previous = cursor
    this.session = new ChatSession({
      client,
      cursor,
      hooks: {
        onBatch: (events, next) => {
          previous = next
          return hooks.onEvents(bridgeEventsOf(events), checkpointOf(next))
        },
        onCursor: (next) => {
          const deferrable = isDeferrable(previous, next)
          previous = next
          return hooks.onCheckpoint(checkpointOf(next, deferrable))
        },
      },
      // The session logs its own `chatId` (the Live Agent session id); the hop chat id is bound by the caller.
      logger: context.logger.child({ part: 'session' }),
      minChatMessageGapMs: options.minChatMessageGapMs,
      maxConnectionTimeoutMs: options.maxConnectionTimeoutMs,
    })
  }

  // Chained rather than async: an open chat keeps no suspended frame here for its whole life.
  run(): Promise<ConversationOutcome> {
    return this.session.run().then(conversationOutcomeOf)
  }

  // Async (not chained): the session throws an invalid post at once, and the seam promises a rejection instead.
  async send(message: VisitorMessage): Promise<SendOutcome> {
    return sendOutcomeOf(await this.session.enqueue({ kind: 'ChatMessage', text: message.text }, { id: message.id }))
  }

  typing(typing: boolean): void {
    void this.session.enqueue({ kind: typing ? 'ChasitorTyping' : 'ChasitorNotTyping' })
  }

  outboxOffered(): void {
    this.session.storedPostsOffered()
  }

  async end(): Promise<SendOutcome> {
    return sendOutcomeOf(await this.session.end())
  }

  async stop(): Promise<Checkpoint> {
    return checkpointOf(await this.session.stop())
  }
}
