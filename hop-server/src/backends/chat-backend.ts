// The seam between the hop server and a Salesforce chat backend (Live Agent today, Enhanced Chat next). The pump,
// the store, the HTTP API and the webhooks talk only to these definitions; everything a protocol needs (Live Agent's
// acknowledgements, poll counter and post numbering; Enhanced Chat's token, Last-Event-Id and 22-messages-a-minute
// pacing) stays inside its backend folder. docs/architecture.md ("The backend seam") tells how the pieces meet and how to add a backend.
//
// Definitions only. The registry that picks a backend per chat is backends/registry.ts.
import type { ChatRecord, ChatRequest, EndReason, Json } from '../store/types.js'

// ------------------------------------------------------------------------------------------------- names

/** Every backend the bridge contract can name in a create-chat request. */
export const BACKEND_NAMES = ['live-agent', 'enhanced-chat'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]
/** A create-chat request that names no backend uses this one (every request before the field existed). */
export const DEFAULT_BACKEND: BackendName = 'live-agent'

// ------------------------------------------------------------------------------------------------- cursor

/**
 * Where a chat stands with its backend, stored with the chat and handed back to resume it in another process.
 * Opaque outside the backend that wrote it: `state` is whatever that backend needs (Live Agent: session key,
 * acknowledged batch, poll counter, queued posts with their numbers; Enhanced Chat: token, conversation id,
 * Last-Event-Id, queued message ids). It holds credentials: never log it.
 */
export interface BackendCursor {
  /** The backend that wrote it; a cursor is only ever resumed by that backend. */
  backend: BackendName
  /** The layout of `state`, so a backend can refuse (or upgrade) a cursor written by another version of itself. */
  version: number
  state: Json
}

/** A cursor with what the pump needs to know about it, without reading it. Persist it before the backend goes on. */
export interface Checkpoint {
  cursor: BackendCursor
  /**
   * Ids of the visitor posts this cursor holds, queued or delivered (the `id`s given to `send`). The pump derives
   * from them how far the visitor outbox got, in the same write as the cursor.
   */
  postIds: readonly string[]
  /** The backend side of the chat is over: nothing more to stream or send. */
  over: boolean
  /**
   * Set by a backend when losing this checkpoint in a crash costs nothing but a replay: resuming from the last
   * stored one and re-offering the visitor outbox brings Salesforce to the same state without a loss or a
   * duplicate (Live Agent: a post queued or accepted, or a chat message numbered in order). The pump may then store
   * it with its next write instead of at once. Absent: persist before the backend goes on.
   */
  deferrable?: boolean
}

// ------------------------------------------------------------------------------------------------- events

/** An agent as a backend reports it; a missing part is filled from the agent the chat already has. */
export interface AgentRef {
  id?: string
  name?: string
}

/**
 * What happened on the Salesforce side, in the bridge's words. The pump turns these into the bridge contract's
 * webhook events and the chat state (pump/translate.ts), so every backend gets the same rules: nothing after an end,
 * a late queue update ignored once an agent is there, a missing agent id or name filled from the chat's agent.
 */
export type BackendEvent =
  | { type: 'queued'; position?: number; estimatedWaitTime?: number }
  | { type: 'agent-joined'; agent: AgentRef }
  /** Another agent took the chat: always announced. */
  | { type: 'agent-transferred'; agent: AgentRef }
  /** The chat is back with an agent after a transfer: announced only when the agent is not the one the chat had. */
  | { type: 'agent-resumed'; agent: AgentRef }
  | { type: 'agent-message'; text: string; agent: AgentRef }
  | { type: 'agent-typing'; typing: boolean }
  | { type: 'ended'; reason: EndReason; detail?: string }

export type BackendEventType = BackendEvent['type']

// ------------------------------------------------------------------------------------------------- outcomes

/** A visitor post: a chat message (part of one, for long texts) under an idempotency id chosen by the pump. */
export interface VisitorMessage {
  /** Stable across restarts (`outbox:<position>`): a post already queued or delivered under it is not sent again. */
  id: string
  text: string
}

/** What became of one post. Never a rejection. */
export type SendOutcome =
  | { status: 'delivered'; id: string }
  /** Delivered before (a restart re-offered it). */
  | { status: 'duplicate'; id: string }
  | {
      status: 'dropped'
      id: string
      /** chat-over: the chat ended first; not-established: too early (typing before an agent); rejected: refused for good. */
      reason: 'chat-over' | 'not-established' | 'rejected'
      error?: Error
    }
  /** The conversation stopped first. `queued`: the post is in the cursor and the next owner sends it. */
  | { status: 'interrupted'; id: string; queued: boolean }

/**
 * Why a conversation could not go on.
 * - `persist`: a hook threw (the store refused or failed a write). Nothing was acknowledged past the last stored
 *   checkpoint; the pump decides (lease lost, or restart from the stored cursor).
 * - `backend`: the protocol gave up for good (retries spent, numbering out of sync, a hand-over that failed). A
 *   retry of the whole chat would not help: the chat ends with reason `error` and `detail`.
 * - `internal`: a defect (an exception nobody expected). Retrying would hit it again: the chat ends with reason
 *   `error` and `detail`, once, and is not picked up again.
 */
export type FailureKind = 'persist' | 'backend' | 'internal'

export interface ConversationFailure {
  kind: FailureKind
  /** One sentence for the log and the `chat.ended` event's `detail` (no credential in it). */
  detail: string
  error: unknown
}

/** How `run()` ended. Never a rejection. */
export type ConversationOutcome =
  /** The chat is over on the backend side (an agent ended it, nobody took it, the visitor ended it, expiry…). */
  | { kind: 'ended'; reason: EndReason; detail?: string }
  /** `stop()` was called: the stored cursor resumes it. */
  | { kind: 'stopped' }
  | { kind: 'failed'; failure: ConversationFailure }

export type OpenOutcome =
  | { kind: 'opened'; checkpoint: Checkpoint }
  /** `stillWanted()` said no while retrying: nothing to open any more. */
  | { kind: 'abandoned' }
  /** The backend refused for good, or kept failing past its retry budget: the chat ends with `error` and `detail`. */
  | { kind: 'failed'; detail: string }

// ------------------------------------------------------------------------------------------------- the seam

export interface ConversationHooks {
  /**
   * Events in order, with the checkpoint that acknowledges them. Persist both in one transaction before returning:
   * the backend acknowledges them to Salesforce (Live Agent: with the next poll; Enhanced Chat: moving
   * Last-Event-Id) only after this resolved, so a crash before replays them. A throw fails the conversation with
   * kind `persist` and the cursor does not move.
   */
  onEvents(events: readonly BackendEvent[], checkpoint: Checkpoint): Promise<void>
  /**
   * Every other cursor change (a post queued, a write-ahead id or sequence before a send, a post accepted, a
   * server move recorded): persist it before returning; the backend acts on it only after. A `deferrable` one may
   * be stored with the next write instead. A throw fails the conversation with kind `persist` and the change is not
   * applied.
   */
  onCheckpoint(checkpoint: Checkpoint): Promise<void>
}

export interface ResumeContext {
  /** The chat as stored (its request carries the backend's target). */
  chat: ChatRecord
  hooks: ConversationHooks
  /** Already bound to the chat (hopChatId); the backend adds its own fields. */
  logger: BackendLogger
}

/**
 * One open chat on a backend: it streams the backend's events into `hooks.onEvents` and sends the visitor's posts,
 * in order, exactly once across restarts (each post is in a persisted checkpoint before it goes out). One instance
 * per chat and process; a new owner builds another from the stored cursor.
 */
export interface ChatConversation {
  /** Streams until the chat is over, stopped or failed. Calling it again returns the same promise. */
  run(): Promise<ConversationOutcome>
  /**
   * Queues a visitor message; resolves when the backend accepted it, or with why not. Queued posts go out in call
   * order, paced as the backend requires (Enhanced Chat: 22 a minute). Posts before an agent joined are held.
   */
  send(message: VisitorMessage): Promise<SendOutcome>
  /** The visitor is (not) typing. A hint: dropped when it cannot be delivered at once. */
  typing(typing: boolean): void
  /**
   * Every visitor message stored so far has been handed to `send` (the pump calls it after each pass over the
   * outbox). A backend whose resumed cursor may lack messages it had sent holds hints until then (Live Agent: a
   * typing post would otherwise take the sequence number of a message not re-offered yet).
   */
  outboxOffered?(): void
  /** Ends the chat from the visitor side, behind the posts already queued. */
  end(): Promise<SendOutcome>
  /**
   * Stops at once: the open poll or stream is closed, a post in flight is abandoned (it stays in the cursor and is
   * resent with the same idempotency key). Resolves with the latest checkpoint for the pump to store.
   */
  stop(): Promise<Checkpoint>
}

/** An agent-availability answer for one routing target (Live Agent: a button). */
export interface ButtonAvailability {
  id: string
  available: boolean
  estimatedWaitTime?: number
}

/** A business-hours window of an Enhanced Chat deployment (ISO times). */
export interface BusinessHoursWindow {
  start: string
  end: string
}

/**
 * What Salesforce lets an Enhanced Chat guest know before a hand-off: whether the deployment exists and its business
 * hours. Never whether an agent is free: Salesforce has no such call for guests, so `available` is null and
 * `agentsKnown` false. `withinBusinessHours` is null when the deployment sets no active business hours (chats are
 * not limited by hours) or when its hours could not be read (`businessHours` null then).
 */
export interface GuestAvailability {
  backend: 'enhanced-chat'
  available: null
  agentsKnown: false
  deploymentFound: boolean
  withinBusinessHours: boolean | null
  businessHours: { active: boolean; windows: BusinessHoursWindow[] } | null
  /** One plain sentence saying what is known and what is not. */
  message: string
}

/** One backend, shared by every chat that uses it in this process. */
export interface ChatBackend {
  readonly name: BackendName
  /**
   * How long after `stop()` Salesforce may still see this process's connection to a chat as open (Live Agent: an
   * aborted long poll). A replica stops its chats at least this long before their leases could expire, so the next
   * owner never overlaps it. 0 when a new connection simply replaces the old one.
   */
  readonly releaseGraceMs: number
  /**
   * Why this chat's target may not be called (a host off the allowlist, a missing target), or undefined. Checked
   * when the chat is created (a 400 then) and again before every resume, since the allowlist may have changed.
   */
  targetProblem(request: ChatRequest): string | undefined
  /**
   * Does the least that yields a resumable cursor (Live Agent: a session id; Enhanced Chat: a guest token and a
   * chosen conversation id) and returns it; everything after happens in `run()`, so a crash after the cursor was
   * stored resumes instead of repeating. Retries what a retry can fix, within the backend's budget, asking
   * `stillWanted` between tries (the visitor may have left).
   */
  open(chat: ChatRecord, options: { signal: AbortSignal; stillWanted(): Promise<boolean> }): Promise<OpenOutcome>
  /**
   * The conversation for a stored cursor of this backend. Throws BackendCursorError (backends/errors.ts) when the
   * cursor cannot be used (another version, damaged): the pump then ends the chat, since retrying cannot help.
   */
  resume(cursor: BackendCursor, context: ResumeContext): ChatConversation
  /**
   * What can be known before a hand-off: Live Agent answers per button whether an agent could take a chat;
   * Enhanced Chat only whether the deployment exists and its business hours (GuestAvailability).
   */
  availability?(
    request: Pick<ChatRequest, 'liveAgent' | 'enhancedChat'>
  ): Promise<ButtonAvailability[] | GuestAvailability>
  /** Closes shared resources (keep-alive pools). Conversations are stopped by then. */
  close(): void
}

/** The subset of pino the backends use (so a test can pass a plain object). */
export interface BackendLogger {
  debug(object: object, message?: string): void
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  child(bindings: Record<string, unknown>): BackendLogger
}
