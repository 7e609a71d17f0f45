// The durable state of the hop server and the operations on it. Two implementations follow the same contract
// (test/store/store-contract.ts runs one suite against both): SQLite for one process, Redis for several replicas.
//
// Every operation that must not be torn is one atomic step in the store (a SQLite transaction, a Redis Lua
// script): creating a chat with its transcript items and first lease; appending webhook events together with
// the Live Agent cursor they came from; ending a chat with its `chat.ended` event. Writes made by a pump are
// fenced by the pump's lease: a replica that has lost a chat cannot write to it any more.

import type { BackendName } from '../backends/chat-backend.js'
import type { EnhancedChatTarget } from '../backends/enhanced-chat/target.js'

/** Values a JSON document can hold; a backend's cursor is stored as one. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

import type { ChatState, EndReason, HopEventType, TranscriptMode } from '@liveagent-hop/bridge-contract'
import type { CreateChatBody, LiveAgentTarget, PrechatDetail, TranscriptLine, VisitorInfo } from '../http/schemas.js'

export type {
  ChatState,
  EndReason,
  HopEventType,
  LiveAgentTarget,
  PrechatDetail,
  TranscriptLine,
  TranscriptMode,
  VisitorInfo,
}

/** Everything the create-chat request carried, its defaults applied (ChatService.create); it never changes afterwards. */
export type ChatRequest = Omit<Required<CreateChatBody>, 'backend' | 'liveAgent' | 'enhancedChat'> & {
  /** The Salesforce backend of the chat; absent in chats stored before it could be named (then Live Agent). */
  backend?: BackendName
  /** The Live Agent target: present for `live-agent` chats. */
  liveAgent?: LiveAgentTarget
  /** The Enhanced Chat target: present for `enhanced-chat` chats. */
  enhancedChat?: EnhancedChatTarget
}

export interface AgentInfo {
  id: string
  name: string
}

/** What the pump learns from Live Agent while the chat is not ended. */
export interface ChatProgress {
  queuePosition?: number
  estimatedWaitTime?: number
  agent?: AgentInfo
}

export interface ChatRecord {
  chatId: string
  tenant: string
  conversationId: string
  request: ChatRequest
  state: ChatState
  progress: ChatProgress
  endReason?: EndReason
  endDetail?: string
  createdAt: number
  endedAt?: number
}

export type OutboxKind = 'transcript' | 'message' | 'end'

/** One POST to Live Agent, in order per chat. Positions start at 1 and have no gaps. */
export interface OutboxItem {
  position: number
  kind: OutboxKind
  /** The visitor's message id (idempotency key); `transcript:<n>` or `end` for the others. */
  messageId: string
  text: string
}

export interface NewChat {
  chatId: string
  tenant: string
  request: ChatRequest
  createdAt: number
  /** Transcript messages to send once the agent joins, ahead of anything the visitor types. */
  transcriptItems: string[]
}

/** The pump's durable position: the backend's cursor and how far the visitor outbox got. */
export interface PumpState {
  /** The backend's cursor (a BackendCursor, or an untagged Live Agent cursor stored before tags), null before the chat was opened. */
  cursor: Json
  /** Last outbox position that was sent (or dropped because the chat ended first). */
  outboxDone: number
  /** Outbox position whose POST may be in flight; the cursor knows whether it completed. */
  outboxSending: number | null
  /** The backend side is over: nothing more to stream or post. (The name predates other backends; it is stored.) */
  liveAgentClosed: boolean
}

export const INITIAL_PUMP_STATE: PumpState = {
  cursor: null,
  outboxDone: 0,
  outboxSending: null,
  liveAgentClosed: false,
}

export interface NewHopEvent {
  type: HopEventType
  at: string
  data: { [key: string]: Json }
}

export interface StoredHopEvent extends NewHopEvent {
  seq: number
}

/** The oldest undelivered event of a chat, with what delivery needs. */
export interface WebhookHead {
  chatId: string
  tenant: string
  conversationId: string
  webhookUrl: string
  event: StoredHopEvent
  attempts: number
  /** When delivery of this chat's head started failing; undefined while healthy. */
  failingSince?: number
}

/** A status change the pump commits with a batch. `ended` also needs a reason. */
export type StateUpdate =
  { state: 'connecting' | 'queued' | 'agent' } | { state: 'ended'; endReason: EndReason; endDetail?: string }

export interface PumpBatch {
  events: NewHopEvent[]
  state?: StateUpdate
  progress?: ChatProgress
  pump: PumpState
  at: number
}

export type CommitResult =
  /** The lease is gone: the caller must stop pumping this chat. */
  | { status: 'lease_lost' }
  /** Saved. `seqs` are the seq numbers given to the events (empty when the chat had already ended). */
  | { status: 'ok'; seqs: number[]; chatEnded: boolean }

export type EnqueueResult = 'accepted' | 'duplicate' | 'ended' | 'not_found'
export type EndResult = 'ended' | 'already_ended' | 'not_found'

export interface HopStore {
  readonly kind: 'sqlite' | 'redis'

  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>
  close(): Promise<void>

  // Chats ---------------------------------------------------------------------------------------------------

  /** Idempotent per tenant and open conversation: returns the open chat of that conversation if there is one. */
  createChat(chat: NewChat, owner: string, leaseTtlMs: number): Promise<{ chat: ChatRecord; created: boolean }>
  getChat(chatId: string): Promise<ChatRecord | undefined>
  /** Ends a chat on request: state `ended`, its `chat.ended` event and an `end` item for the pump, atomically. */
  requestEnd(chatId: string, reason: EndReason, at: number): Promise<EndResult>

  // Visitor outbox ------------------------------------------------------------------------------------------

  /** With `tenant`, a chat of another tenant is `not_found` (so the caller needs no read of the chat first). */
  enqueueVisitorMessage(chatId: string, messageId: string, text: string, tenant?: string): Promise<EnqueueResult>
  readOutbox(chatId: string, afterPosition: number, limit: number): Promise<OutboxItem[]>
  /** The last outbox position of each chat (chats that do not exist are left out). */
  outboxLasts(chatIds: readonly string[]): Promise<Map<string, number>>

  // Pump (fenced by the lease) -------------------------------------------------------------------------------

  loadPumpState(chatId: string): Promise<PumpState>
  savePumpState(chatId: string, owner: string, pump: PumpState): Promise<boolean>
  /** Appends events (seq +1 each, no gaps), applies the state change and saves the pump state, atomically. */
  commitBatch(chatId: string, owner: string, batch: PumpBatch): Promise<CommitResult>

  // Webhook outbox ------------------------------------------------------------------------------------------

  /**
   * Chats whose oldest undelivered event is due at `now`, earliest first; with `owner`, only chats whose live
   * lease it holds (so a dead replica's backlog never crowds out the caller's own chats).
   */
  dueWebhookChats(now: number, limit: number, owner?: string): Promise<string[]>
  webhookHead(chatId: string): Promise<WebhookHead | undefined>
  /** Removes event `seq` (if it is still the head) and makes the next one due at once. */
  ackWebhook(chatId: string, seq: number): Promise<void>
  /** Records a failed attempt of event `seq` and when to try again. */
  failWebhook(chatId: string, seq: number, nextAttemptAt: number, now: number): Promise<void>
  /** Moves every undelivered event of the chat to the dead letters; returns how many. */
  deadLetterWebhooks(chatId: string, now: number): Promise<number>
  deadLetters(chatId: string): Promise<StoredHopEvent[]>
  pendingWebhookCount(chatId: string): Promise<number>

  // Leases --------------------------------------------------------------------------------------------------

  /** Takes up to `limit` active chats that have no live lease (new, released or expired). */
  acquireLeases(owner: string, ttlMs: number, limit: number): Promise<string[]>
  /**
   * On start: extends and returns every live lease that already names `owner`, left by a previous process with
   * the same replica id (after a crash), so that process's chats resume at once instead of after the TTL.
   */
  reclaimLeases(owner: string, ttlMs: number): Promise<string[]>
  /** Extends the leases `owner` still holds; returns those (the others were lost). */
  renewLeases(owner: string, chatIds: readonly string[], ttlMs: number): Promise<string[]>
  releaseLeases(owner: string, chatIds: readonly string[]): Promise<void>
  leaseOwner(chatId: string): Promise<string | undefined>
  /** Drops the chat from the active set if it has ended and every event was delivered; releases its lease. */
  retireChat(chatId: string, owner: string): Promise<boolean>
  activeChatCount(): Promise<number>

  // Misc ----------------------------------------------------------------------------------------------------

  /** True the first time `key` is seen within `ttlMs` (replay protection across replicas). */
  rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean>
  /** Deletes retired chats that ended before `endedBefore`, with their outboxes and dead letters. */
  purgeEnded(endedBefore: number, limit: number): Promise<number>

  // Notifications between replicas (best effort; scans cover a lost one) -------------------------------------

  publish(note: StoreNote): Promise<void>
  subscribe(listener: (note: StoreNote) => void): void
}

export type StoreNote =
  | { kind: 'outbox'; chatId: string }
  | { kind: 'webhook'; chatId: string }
  | { kind: 'typing'; chatId: string; typing: boolean }
