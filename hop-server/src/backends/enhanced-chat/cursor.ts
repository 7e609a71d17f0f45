// The Enhanced Chat cursor: everything a process needs to take a chat over from the store. It holds the guest
// token (a credential: never log it), the conversation id chosen before the create call, the stream's Last-Event-Id,
// the translator's snapshot, the visitor posts with the message id each is sent under (chosen and stored before the
// send, so a retry or a new owner sends it under the same id), and the send times of the last minute (the pacing
// window survives a restart too).
import { z } from 'zod'
import type { Json } from '../../store/types.js'
import type { BackendCursor, Checkpoint } from '../chat-backend.js'
import { BackendCursorError } from '../errors.js'

export const BACKEND_NAME = 'enhanced-chat' as const
export const CURSOR_VERSION = 1
/** Delivered post ids kept to answer a re-offered post as a duplicate; the pump never re-offers older ones. */
export const KEPT_DELIVERED_IDS = 50

const agentSchema = z.object({ id: z.string(), name: z.string() })

const postSchema = z.object({
  /** The pump's post id (`outbox:<position>`). */
  id: z.string(),
  /** The lowercase UUID v4 the message is sent under (Salesforce's client-chosen `message.id`). */
  messageId: z.string(),
  text: z.string(),
})
export type QueuedPost = z.output<typeof postSchema>

export const cursorStateSchema = z.object({
  token: z.string().min(1),
  /** Unix ms the token expires at, when the token says. */
  expiresAt: z.number().optional(),
  conversationId: z.string(),
  created: z.boolean(),
  lastEventId: z.string(),
  snapshot: z.object({
    state: z.enum(['connecting', 'queued', 'agent', 'ended']),
    progress: z.object({
      queuePosition: z.number().optional(),
      estimatedWaitTime: z.number().optional(),
      agent: agentSchema.optional(),
    }),
  }),
  /** Posts not yet delivered, in order. */
  queued: z.array(postSchema),
  /** Ids of the latest delivered posts (most recent last). */
  delivered: z.array(z.string()),
  /** Message ids this bridge sent (their echoes on the stream are the visitor's own words). */
  ownMessageIds: z.array(z.string()),
  /** Send times (Unix ms) within the last pacing window. */
  sentAt: z.array(z.number()),
  /** Message id of the post whose send may be in flight: the next owner looks it up before sending again. */
  sending: z.string().optional(),
  /** When (Unix ms) the first try of `sending` was stored: how far back the look-up reads. */
  sendingSince: z.number().optional(),
  /** Why the chat is over, once it is. */
  end: z
    .object({ reason: z.enum(['agent', 'visitor', 'no_agent', 'timeout', 'error']), detail: z.string().optional() })
    .optional(),
  /** The visitor asked to end: end session, then close, once the queued posts are out. */
  ending: z.boolean(),
  over: z.boolean(),
})
export type CursorState = z.output<typeof cursorStateSchema>

export function newCursorState(
  token: { accessToken: string; lastEventId: string; expiresAt?: number },
  conversationId: string
): CursorState {
  return {
    token: token.accessToken,
    ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
    conversationId,
    created: false,
    lastEventId: token.lastEventId,
    snapshot: { state: 'connecting', progress: {} },
    queued: [],
    delivered: [],
    ownMessageIds: [],
    sentAt: [],
    ending: false,
    over: false,
  }
}

/**
 * The checkpoint of a state. The state itself goes in, not a copy: states are copy-on-write (a committed one is never
 * edited) and hold JSON values only (no undefined), so the pump may keep it and the store serialise it as it is.
 */
export function checkpointOf(state: CursorState, deferrable = false): Checkpoint {
  const postIds = state.delivered.slice()
  for (const post of state.queued) postIds.push(post.id)
  return {
    cursor: { backend: BACKEND_NAME, version: CURSOR_VERSION, state: state as unknown as Json },
    postIds,
    over: state.over,
    ...(deferrable ? { deferrable } : {}),
  }
}

/** The state of a stored cursor; BackendCursorError when it is another backend's, another version's or damaged. */
export function parseCursor(cursor: BackendCursor): CursorState {
  if (cursor.backend !== BACKEND_NAME)
    throw new BackendCursorError(BACKEND_NAME, `the stored cursor belongs to the ${cursor.backend} backend`)
  if (cursor.version !== CURSOR_VERSION)
    throw new BackendCursorError(
      BACKEND_NAME,
      `the stored cursor has version ${cursor.version}; this build reads ${CURSOR_VERSION}`
    )
  const parsed = cursorStateSchema.safeParse(cursor.state)
  if (!parsed.success)
    throw new BackendCursorError(BACKEND_NAME, 'the stored Enhanced Chat cursor is damaged', { cause: parsed.error })
  return parsed.data
}
