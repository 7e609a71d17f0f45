// The session cursor: everything needed to continue a chat in another process, as plain JSON.
// It holds the session key, so store it like a secret.
import { z } from 'zod'
import { LiveAgentInputError } from './errors.js'
import { describeIssues } from './events.js'
import { chasitorPostSchema, type ChasitorPost } from './posts.js'

export const CURSOR_VERSION = 1

/** Why a chat is over for good. */
export const CHAT_OVER_REASONS = [
  'agent-ended', // ChatEnded arrived (agent, idle timeout, …: see `detail`)
  'request-failed', // ChatRequestFail arrived (no agent, blocked, …: see `detail`)
  'visitor-ended', // our ChatEnd (or DELETE SessionId before an agent joined) was accepted
  'session-invalid', // 403: the session expired, was deleted or ended on the server
  'duplicate-poll', // 409 on Messages: the server saw two polls and terminated the chat
] as const
export type ChatOverReason = (typeof CHAT_OVER_REASONS)[number]

/**
 * Steps of the 503 hand-over (§4.5), recorded so a restart continues where it stopped:
 * `reconnect` → call ReconnectSession; `await-session-data` → poll until ChasitorSessionData;
 * `resync` → POST ChasitorResyncState, then resend the buffered posts.
 */
export const HANDOVER_STAGES = ['reconnect', 'await-session-data', 'resync'] as const
export type HandoverStage = (typeof HANDOVER_STAGES)[number]

const nonNegativeInt = z.number().int().nonnegative()

export const pendingPostSchema = z.strictObject({
  id: z.string().min(1),
  post: chasitorPostSchema,
  /** Present once the post went (or may have gone) out: a resend uses this same number. */
  sequence: z.number().int().positive().optional(),
  /**
   * A ChatMessage that had this sequence when a hand-over restarted the numbering: it may have reached the
   * server. ChasitorSessionData's transcript decides whether it is resent (see handover-transcript.ts).
   */
  sequenceBeforeHandover: z.number().int().positive().optional(),
})
export interface PendingPost {
  id: string
  post: ChasitorPost
  sequence?: number
  sequenceBeforeHandover?: number
}

export const sessionCursorSchema = z.strictObject({
  version: z.literal(CURSOR_VERSION),
  /** Session id (also ChasitorInit.sessionId). */
  id: z.string().min(1),
  /** Session key: the credential. Never log it (see redactKey). */
  key: z.string().min(1),
  affinityToken: z.string().min(1),
  /** Needed by ChasitorResyncState after a hand-over. */
  organizationId: z.string().min(1),
  /** Last `sequence` received in a 200 Messages batch; -1 before the first. */
  ack: z.number().int().min(-1),
  /** Messages requests sent so far, retries included: the next poll's `pc`. Best effort across crashes. */
  pc: nonNegativeInt,
  /** Latest non-zero `offset` of a Messages batch (0: none yet), for ReconnectSession. */
  lastOffset: nonNegativeInt,
  /** X-LIVEAGENT-SEQUENCE of the next post that has none yet. */
  nextSequence: z.number().int().positive(),
  /** ChatEstablished arrived: an agent accepted, posts other than ChasitorInit may go out. */
  established: z.boolean(),
  /** Retry budget for network errors and 5xx (ChatRequestSuccess.connectionTimeout, else a default). */
  connectionTimeoutMs: z.number().int().positive(),
  /** From SessionId; a poll is aborted after this plus a margin. */
  clientPollTimeoutSec: z.number().positive(),
  handover: z.enum(HANDOVER_STAGES).optional(),
  /** Epoch ms when this client last aborted a poll; a resumed session waits the grace period from there. */
  lastPollAbortedAt: nonNegativeInt.optional(),
  /** Posts not yet accepted by the server, in send order. The first one may be in flight. */
  pendingPosts: z.array(pendingPostSchema),
  /** Ids of the latest delivered posts, so re-enqueuing one after a restart is recognised as a duplicate. */
  deliveredPostIds: z.array(z.string()),
  /**
   * Visitor ChatMessages the server holds, as far as this client knows: accepted ones are counted, and each
   * hand-over's transcript re-bases it. Absent in cursors written before it existed (then: unknown).
   */
  acceptedChatMessages: nonNegativeInt.optional(),
  /** The text of the latest of them, to recognise a repeat of an uncertain message in the transcript. */
  lastChatMessageText: z.string().optional(),
  /**
   * Set after a restart while a previous process may have sent ChatMessages this cursor does not record (the hop
   * server defers those records, see mayHoldUnrecordedSends in handover.ts), until a hand-over's transcript checked
   * them. Stored with the process's next write, so a restart in the middle of that hand-over keeps it.
   */
  unrecordedSends: z.literal(true).optional(),
  /**
   * While that hand-over awaits its transcript: the number the next ChatMessage queued would have had before the
   * numbering restarted. A message the pump re-offers only now is marked with it and checked with the others.
   */
  nextSequenceBeforeHandover: z.number().int().positive().optional(),
  /**
   * Visitor lines that transcript showed past the messages it checked: sent by the previous process, not re-offered
   * yet. A ChatMessage queued with the next of these texts has landed already.
   */
  landedUnqueuedTexts: z.array(z.string()).min(1).optional(),
  over: z.strictObject({ reason: z.enum(CHAT_OVER_REASONS), detail: z.string().optional() }).optional(),
})

export interface SessionCursor {
  version: typeof CURSOR_VERSION
  id: string
  key: string
  affinityToken: string
  organizationId: string
  ack: number
  pc: number
  lastOffset: number
  nextSequence: number
  established: boolean
  connectionTimeoutMs: number
  clientPollTimeoutSec: number
  handover?: HandoverStage
  lastPollAbortedAt?: number
  pendingPosts: PendingPost[]
  deliveredPostIds: string[]
  acceptedChatMessages?: number
  lastChatMessageText?: string
  unrecordedSends?: true
  nextSequenceBeforeHandover?: number
  landedUnqueuedTexts?: string[]
  over?: { reason: ChatOverReason; detail?: string }
}

/** Validates a cursor read back from storage (an object or its JSON text). Throws LiveAgentInputError. */
export function parseCursor(input: unknown): SessionCursor {
  let value = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input)
    } catch {
      throw new LiveAgentInputError('Invalid session cursor: not valid JSON')
    }
  }
  const parsed = sessionCursorSchema.safeParse(value)
  if (!parsed.success) throw new LiveAgentInputError(`Invalid session cursor: ${describeIssues(parsed.error)}`)
  return parsed.data as SessionCursor
}

export function serializeCursor(cursor: SessionCursor): string {
  return JSON.stringify(cursor)
}

/**
 * A deep copy, so a cursor handed to a hook can never be changed behind the caller's back (or vice versa). Written
 * out field by field: the session copies its cursor twice per change, and structuredClone costs several times more.
 * Only ChasitorInit's body nests deeper than one level; it is queued once per chat.
 */
export function cloneCursor(cursor: SessionCursor): SessionCursor {
  const copy: SessionCursor = {
    ...cursor,
    pendingPosts: cursor.pendingPosts.map(clonePendingPost),
    deliveredPostIds: [...cursor.deliveredPostIds],
  }
  if (cursor.over) copy.over = { ...cursor.over }
  if (cursor.landedUnqueuedTexts) copy.landedUnqueuedTexts = [...cursor.landedUnqueuedTexts]
  return copy
}

function clonePendingPost(pending: PendingPost): PendingPost {
  const post = pending.post.kind === 'ChasitorInit' ? structuredClone(pending.post) : { ...pending.post }
  return { ...pending, post }
}

/**
 * The draft of the next cursor for a commit: a copy of everything a commit may change in place (the top level and
 * each pending post's entry), sharing what no commit mutates (post bodies, `over`; arrays are replaced, not
 * edited, except pendingPosts, copied here). Far cheaper than cloneCursor on every message.
 */
export function draftCursor(cursor: SessionCursor): SessionCursor {
  return { ...cursor, pendingPosts: cursor.pendingPosts.map(copyPending) }
}

function copyPending(pending: PendingPost): PendingPost {
  return { ...pending }
}
