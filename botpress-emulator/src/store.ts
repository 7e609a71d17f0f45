// The data of one bot on Botpress: users, conversations, messages, events and states, with the semantics an
// integration relies on (get-or-create by tags, state patches, 404 for what does not exist). Each method is one API
// operation, with the operation's input and answer (`getUser({ id })` → `{ user }`), so the HTTP routes and the
// in-process client are thin. Nothing is persisted: a new store is a new bot.
import { randomBytes } from 'node:crypto'
import type { Conversation, Event, Message, State, User } from '@botpress/client'
import { notFound } from './api-error.js'
import { CallLog } from './call-log.js'
import { cleanTags, discriminator, matchesTags, type Tags, type TagsInput } from './tags.js'

export type StateType = State['type']
export type StateKey = { type: StateType; id: string; name: string }

const RUN_TAG_BYTES = 3
const ID_DIGITS = 6

export type StoreOptions = {
  botId?: string
  /** Conversations created through the API belong to the integration that calls it. */
  integrationName?: string
}

export class BotpressStore {
  public readonly botId: string
  public readonly integrationName: string
  public readonly users = new Map<string, User>()
  public readonly conversations = new Map<string, Conversation>()
  /** In creation order. */
  public readonly messages: Message[] = []
  /** In creation order. */
  public readonly events: Event[] = []
  public readonly states = new Map<string, State>()
  public readonly log = new CallLog()
  private _counter = 0
  private _lastTime = 0
  /**
   * Ids differ from one store to the next (the hop server keeps chats across playground restarts, and a late event
   * for a conversation of a previous run must not land on a new conversation that got the same number); within a
   * store they sort in creation order.
   */
  private readonly _run = randomBytes(RUN_TAG_BYTES).toString('hex')

  public constructor(options: StoreOptions = {}) {
    this.botId = options.botId ?? 'bot_emulated'
    this.integrationName = options.integrationName ?? 'liveagent-hop'
  }

  // call log (see call-log.ts)

  public get calls() {
    return this.log.calls
  }

  public failNext(operation: string, times = 1): void {
    this.log.failNext(operation, times)
  }

  public record(operation: string, input: unknown): void {
    this.log.record(operation, input)
  }

  public callsOf(operation: string): unknown[] {
    return this.log.callsOf(operation)
  }

  // users

  /** `id` is the emulator's own: Botpress makes the bot's user itself, the API takes no id. */
  public createUser(input: { id?: string; name?: string; pictureUrl?: string; tags?: TagsInput }): { user: User } {
    const now = this._now()
    const user: User = { id: input.id ?? this._id('user'), createdAt: now, updatedAt: now, tags: cleanTags(input.tags) }
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    this.users.set(user.id, user)
    return { user }
  }

  public getUser(input: { id: string }): { user: User } {
    const user = this.users.get(input.id)
    if (!user) throw notFound(`User ${input.id}`)
    return { user }
  }

  public getOrCreateUser(input: {
    name?: string
    pictureUrl?: string
    tags: TagsInput
    discriminateByTags?: string[]
  }): { user: User } {
    const filter = discriminator(input.tags, input.discriminateByTags)
    const existing = [...this.users.values()].find((user) => matchesTags(user.tags, filter))
    return existing ? { user: existing } : this.createUser(input)
  }

  public updateUser(input: { id: string; name?: string; pictureUrl?: string; tags?: TagsInput }): { user: User } {
    const { user } = this.getUser(input)
    Object.assign(user.tags, cleanTags(input.tags))
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    user.updatedAt = this._now()
    return { user }
  }

  // conversations

  /** `integration` is the emulator's own: a channel integration (the web chat) creates its conversations too. */
  public createConversation(input: { channel: string; integration?: string; tags?: TagsInput }): {
    conversation: Conversation
  } {
    const now = this._now()
    const conversation: Conversation = {
      id: this._id('conv'),
      createdAt: now,
      updatedAt: now,
      channel: input.channel,
      integration: input.integration ?? this.integrationName,
      tags: cleanTags(input.tags),
    }
    this.conversations.set(conversation.id, conversation)
    return { conversation }
  }

  public getConversation(input: { id: string }): { conversation: Conversation } {
    const conversation = this.conversations.get(input.id)
    if (!conversation) throw notFound(`Conversation ${input.id}`)
    return { conversation }
  }

  public getOrCreateConversation(input: {
    channel: string
    integration?: string
    tags: TagsInput
    discriminateByTags?: string[]
  }): { conversation: Conversation } {
    const filter = discriminator(input.tags, input.discriminateByTags)
    const existing = [...this.conversations.values()].find(
      (conversation) => conversation.channel === input.channel && matchesTags(conversation.tags, filter)
    )
    return existing ? { conversation: existing } : this.createConversation(input)
  }

  public listConversations(input: { channel?: string; tags?: Tags; sortDirection?: 'asc' | 'desc' }): {
    conversations: Conversation[]
    meta: { nextToken?: string }
  } {
    // Map order is creation order, which the strictly increasing clock makes createdAt order too.
    const found = [...this.conversations.values()].filter(
      (conversation) =>
        (!input.channel || conversation.channel === input.channel) && matchesTags(conversation.tags, input.tags)
    )
    return { conversations: input.sortDirection === 'desc' ? found.reverse() : found, meta: {} }
  }

  public updateConversation(input: { id: string; tags?: TagsInput }): { conversation: Conversation } {
    const { conversation } = this.getConversation(input)
    Object.assign(conversation.tags, cleanTags(input.tags))
    conversation.updatedAt = this._now()
    return { conversation }
  }

  // messages

  /**
   * What an integration creates through the API is an incoming message (the bot hears it); `direction` is the
   * emulator's own, for what the bot itself writes.
   */
  public createMessage(input: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
    tags?: TagsInput
    direction?: Message['direction']
  }): { message: Message } {
    this.getConversation({ id: input.conversationId })
    this.getUser({ id: input.userId })
    const now = this._now()
    const message: Message = {
      id: this._id('msg'),
      createdAt: now,
      updatedAt: now,
      type: input.type,
      payload: input.payload,
      direction: input.direction ?? 'incoming',
      userId: input.userId,
      conversationId: input.conversationId,
      tags: cleanTags(input.tags),
    }
    this.messages.push(message)
    return { message }
  }

  /** `created` tells a new message (the bot hears of it) from one found by its tags; the API does not answer it. */
  public getOrCreateMessage(input: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
    tags: TagsInput
    discriminateByTags?: string[]
  }): { message: Message; created: boolean } {
    const filter = discriminator(input.tags, input.discriminateByTags)
    const existing = this.messages.find(
      (message) => message.conversationId === input.conversationId && matchesTags(message.tags, filter)
    )
    return existing ? { message: existing, created: false } : { ...this.createMessage(input), created: true }
  }

  public getMessage(input: { id: string }): { message: Message } {
    const message = this.messages.find((candidate) => candidate.id === input.id)
    if (!message) throw notFound(`Message ${input.id}`)
    return { message }
  }

  public updateMessage(input: { id: string; tags?: TagsInput }): { message: Message } {
    const { message } = this.getMessage(input)
    Object.assign(message.tags, cleanTags(input.tags))
    message.updatedAt = this._now()
    return { message }
  }

  /**
   * Newest first, as the Cloud lists them: the HITL plugin takes "the first page (newest first)" as the recent
   * history (botpress-hitl-plugin spec §3 step 5). Both earlier emulations listed oldest first, which let a caller
   * that forgot to sort pass; the integration sorts by createdAt (transcript-source.ts).
   */
  public listMessages(input: { conversationId?: string; tags?: Tags }): {
    messages: Message[]
    meta: { nextToken?: string }
  } {
    const found = this.messages.filter(
      (message) =>
        (!input.conversationId || message.conversationId === input.conversationId) &&
        matchesTags(message.tags, input.tags)
    )
    return { messages: found.reverse(), meta: {} }
  }

  // events

  public createEvent(input: {
    type: string
    payload: Record<string, unknown>
    conversationId?: string
    userId?: string
    messageId?: string
  }): { event: Event } {
    const event: Event = {
      id: this._id('evt'),
      createdAt: this._now(),
      type: input.type,
      payload: input.payload,
      status: 'pending',
      failureReason: null,
    }
    if (input.conversationId) event.conversationId = input.conversationId
    if (input.userId) event.userId = input.userId
    if (input.messageId) event.messageId = input.messageId
    this.events.push(event)
    return { event }
  }

  public getEvent(input: { id: string }): { event: Event } {
    const event = this.events.find((candidate) => candidate.id === input.id)
    if (!event) throw notFound(`Event ${input.id}`)
    return { event }
  }

  // states

  public getState(input: StateKey): { state: State; meta: { cached: boolean } } {
    const state = this.states.get(stateKeyOf(input))
    if (!state) throw notFound(`State ${input.name} of ${input.type} ${input.id}`)
    return { state, meta: { cached: false } }
  }

  /** A null payload deletes the state (404 when there is none). */
  public setState(input: StateKey & { payload: Record<string, unknown> | null }): { state: State } {
    const key = stateKeyOf(input)
    const existing = this.states.get(key)
    if (input.payload === null) {
      if (!existing) throw notFound(`State ${input.name} of ${input.type} ${input.id}`)
      this.states.delete(key)
      return { state: existing }
    }
    const now = this._now()
    // A state keeps its id and createdAt when set again (the playground's rule; the tests' store made a new id):
    // it is the same record, updated.
    const state: State = {
      id: existing?.id ?? this._id('state'),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      botId: this.botId,
      name: input.name,
      type: input.type,
      payload: structuredClone(input.payload),
    }
    if (input.type === 'conversation') state.conversationId = input.id
    if (input.type === 'user') state.userId = input.id
    this.states.set(key, state)
    return { state }
  }

  public patchState(input: StateKey & { payload: Record<string, unknown> }): { state: State } {
    const { state } = this.getState(input)
    state.payload = { ...state.payload, ...structuredClone(input.payload) }
    state.updatedAt = this._now()
    return { state }
  }

  public getOrSetState(input: StateKey & { payload: Record<string, unknown> }): {
    state: State
    meta: { cached: boolean }
  } {
    const existing = this.states.get(stateKeyOf(input))
    return { state: existing ?? this.setState(input).state, meta: { cached: false } }
  }

  // reading helpers for tests and the playground (not API operations)

  public eventsOf(type: string): Event[] {
    return this.events.filter((event) => event.type === type)
  }

  /** The payload of a conversation state, or undefined. */
  public conversationState(conversationId: string, name: string): Record<string, unknown> | undefined {
    return this.states.get(stateKeyOf({ type: 'conversation', id: conversationId, name }))?.payload
  }

  /** Texts of a conversation's messages, in order, with who wrote them. */
  public transcript(conversationId: string): { user: string; text: string }[] {
    return this.messages
      .filter((message) => message.conversationId === conversationId)
      .map((message) => ({
        user: this.users.get(message.userId)?.name ?? message.userId,
        text: String(message.payload.text),
      }))
  }

  private _id(prefix: string): string {
    this._counter += 1
    return `${prefix}_${this._run}${String(this._counter).padStart(ID_DIGITS, '0')}`
  }

  /**
   * The wall clock, moved on by at least a millisecond per write: creation order is createdAt order on every
   * machine (the integration sorts a conversation's messages by it). The integration tests' store had a fixed
   * clock (2026-11-24), the playground's the bare wall clock; real times with a guaranteed order serve both.
   */
  private _now(): string {
    this._lastTime = Math.max(Date.now(), this._lastTime + 1)
    return new Date(this._lastTime).toISOString()
  }
}

const stateKeyOf = (key: StateKey): string => `${key.type}/${key.id}/${key.name}`
