// The in-memory data of the local Botpress: users, conversations, messages, events and states, with the semantics
// the integration relies on (get-or-create by tags, state patches, 404 for what does not exist). Nothing is persisted:
// a restart of the playground starts a fresh bot, as a new Botpress bot would.
import { randomBytes } from 'node:crypto'
import type { Conversation, Event, Message, State, User } from '@botpress/client'

export type Tags = Record<string, string>
/** Tags as callers send them: Botpress drops the ones set to null or undefined. */
export type TagsInput = Record<string, string | null | undefined>
export type StateType = State['type']

/** An error the API answers with its status code and Botpress's error body. */
export class ApiError extends Error {
  public constructor(
    public readonly code: number,
    public readonly type: string,
    message: string
  ) {
    super(message)
  }
}

const RUN_TAG_BYTES = 3
const HTTP_NOT_FOUND = 404
const HTTP_BAD_REQUEST = 400

const notFound = (what: string) => new ApiError(HTTP_NOT_FOUND, 'ResourceNotFound', `${what} does not exist`)
export const invalidInput = (message: string) => new ApiError(HTTP_BAD_REQUEST, 'InvalidPayload', message)

const matchesTags = (tags: Tags, filter: Tags | undefined): boolean =>
  !filter || Object.entries(filter).every(([key, value]) => tags[key] === value)

const cleanTags = (tags: TagsInput | undefined): Tags =>
  Object.fromEntries(
    Object.entries(tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  )

const discriminator = (tags: Tags, keys: string[] | undefined): Tags =>
  Object.fromEntries((keys ?? Object.keys(tags)).map((key) => [key, tags[key] ?? '']))

export type NewMessage = {
  conversationId: string
  userId: string
  type: string
  payload: Record<string, unknown>
  tags?: TagsInput
  direction: Message['direction']
}

export class BotpressStore {
  private readonly _users = new Map<string, User>()
  private readonly _conversations = new Map<string, Conversation>()
  private readonly _messages: Message[] = []
  private readonly _events: Event[] = []
  private readonly _states = new Map<string, State>()
  private _counter = 0
  /**
   * Ids differ from one run to the next: the hop server keeps chats across restarts, and a late event for a
   * conversation of the previous run must not land on a new conversation that happens to get the same number.
   */
  private readonly _run = randomBytes(RUN_TAG_BYTES).toString('hex')

  public constructor(public readonly botId: string) {}

  // users

  public createUser(input: { id?: string; name?: string; pictureUrl?: string; tags?: TagsInput }): User {
    const now = new Date().toISOString()
    const user: User = { id: input.id ?? this._id('user'), createdAt: now, updatedAt: now, tags: cleanTags(input.tags) }
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    this._users.set(user.id, user)
    return user
  }

  public getUser(id: string): User {
    const user = this._users.get(id)
    if (!user) throw notFound(`User ${id}`)
    return user
  }

  public getOrCreateUser(input: {
    name?: string
    pictureUrl?: string
    tags: Tags
    discriminateByTags?: string[]
  }): User {
    const filter = discriminator(cleanTags(input.tags), input.discriminateByTags)
    return [...this._users.values()].find((user) => matchesTags(user.tags, filter)) ?? this.createUser(input)
  }

  public updateUser(input: { id: string; name?: string; pictureUrl?: string; tags?: TagsInput }): User {
    const user = this.getUser(input.id)
    Object.assign(user.tags, cleanTags(input.tags))
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    user.updatedAt = new Date().toISOString()
    return user
  }

  // conversations

  public createConversation(input: { channel: string; integration: string; tags?: TagsInput }): Conversation {
    const now = new Date().toISOString()
    const conversation: Conversation = {
      id: this._id('conv'),
      createdAt: now,
      updatedAt: now,
      channel: input.channel,
      integration: input.integration,
      tags: cleanTags(input.tags),
    }
    this._conversations.set(conversation.id, conversation)
    return conversation
  }

  public getConversation(id: string): Conversation {
    const conversation = this._conversations.get(id)
    if (!conversation) throw notFound(`Conversation ${id}`)
    return conversation
  }

  public getOrCreateConversation(input: {
    channel: string
    integration: string
    tags: Tags
    discriminateByTags?: string[]
  }): Conversation {
    const filter = discriminator(cleanTags(input.tags), input.discriminateByTags)
    const existing = [...this._conversations.values()].find(
      (conversation) => conversation.channel === input.channel && matchesTags(conversation.tags, filter)
    )
    return existing ?? this.createConversation(input)
  }

  public listConversations(input: { channel?: string; tags?: Tags; sortDirection?: 'asc' | 'desc' }): Conversation[] {
    const found = [...this._conversations.values()].filter(
      (conversation) =>
        (!input.channel || conversation.channel === input.channel) && matchesTags(conversation.tags, input.tags)
    )
    // Insertion order is creation order; ids sort the same way, which keeps equal timestamps stable.
    return input.sortDirection === 'desc' ? found.reverse() : found
  }

  public updateConversation(input: { id: string; tags?: TagsInput }): Conversation {
    const conversation = this.getConversation(input.id)
    Object.assign(conversation.tags, cleanTags(input.tags))
    conversation.updatedAt = new Date().toISOString()
    return conversation
  }

  // messages

  public createMessage(input: NewMessage): Message {
    this.getConversation(input.conversationId)
    this.getUser(input.userId)
    const now = new Date().toISOString()
    const message: Message = {
      id: this._id('msg'),
      createdAt: now,
      updatedAt: now,
      type: input.type,
      payload: input.payload,
      direction: input.direction,
      userId: input.userId,
      conversationId: input.conversationId,
      tags: cleanTags(input.tags),
    }
    this._messages.push(message)
    return message
  }

  /** `created` tells a new message (the bot hears about it) from one found by its tags (a redelivery). */
  public getOrCreateMessage(input: NewMessage & { tags: Tags; discriminateByTags?: string[] }): {
    message: Message
    created: boolean
  } {
    const filter = discriminator(cleanTags(input.tags), input.discriminateByTags)
    const existing = this._messages.find(
      (message) => message.conversationId === input.conversationId && matchesTags(message.tags, filter)
    )
    return existing ? { message: existing, created: false } : { message: this.createMessage(input), created: true }
  }

  public getMessage(id: string): Message {
    const message = this._messages.find((candidate) => candidate.id === id)
    if (!message) throw notFound(`Message ${id}`)
    return message
  }

  public updateMessage(input: { id: string; tags?: TagsInput }): Message {
    const message = this.getMessage(input.id)
    Object.assign(message.tags, cleanTags(input.tags))
    message.updatedAt = new Date().toISOString()
    return message
  }

  public listMessages(input: { conversationId?: string; tags?: Tags }): Message[] {
    return this._messages.filter(
      (message) =>
        (!input.conversationId || message.conversationId === input.conversationId) &&
        matchesTags(message.tags, input.tags)
    )
  }

  // events

  public createEvent(input: {
    type: string
    payload: Record<string, unknown>
    conversationId?: string
    userId?: string
    messageId?: string
  }): Event {
    const event: Event = {
      id: this._id('evt'),
      createdAt: new Date().toISOString(),
      type: input.type,
      payload: input.payload,
      status: 'pending',
      failureReason: null,
    }
    if (input.conversationId) event.conversationId = input.conversationId
    if (input.userId) event.userId = input.userId
    if (input.messageId) event.messageId = input.messageId
    this._events.push(event)
    return event
  }

  public getEvent(id: string): Event {
    const event = this._events.find((candidate) => candidate.id === id)
    if (!event) throw notFound(`Event ${id}`)
    return event
  }

  // states

  public getState(key: StateKey): State {
    const state = this._states.get(stateKey(key))
    if (!state) throw notFound(`State ${key.name} of ${key.type} ${key.id}`)
    return state
  }

  /** A null payload deletes the state. */
  public setState(key: StateKey, payload: Record<string, unknown> | null): State {
    const existing = this._states.get(stateKey(key))
    if (payload === null) {
      if (!existing) throw notFound(`State ${key.name} of ${key.type} ${key.id}`)
      this._states.delete(stateKey(key))
      return existing
    }
    const now = new Date().toISOString()
    const state: State = {
      id: existing?.id ?? this._id('state'),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      botId: this.botId,
      name: key.name,
      type: key.type,
      payload: structuredClone(payload),
    }
    if (key.type === 'conversation') state.conversationId = key.id
    if (key.type === 'user') state.userId = key.id
    this._states.set(stateKey(key), state)
    return state
  }

  public patchState(key: StateKey, payload: Record<string, unknown>): State {
    const state = this.getState(key)
    state.payload = { ...state.payload, ...structuredClone(payload) }
    state.updatedAt = new Date().toISOString()
    return state
  }

  public getOrSetState(key: StateKey, payload: Record<string, unknown>): State {
    return this._states.get(stateKey(key)) ?? this.setState(key, payload)
  }

  private _id(prefix: string): string {
    this._counter += 1
    return `${prefix}_${this._run}${String(this._counter).padStart(6, '0')}`
  }
}

export type StateKey = { type: StateType; id: string; name: string }

const stateKey = (key: StateKey): string => `${key.type}/${key.id}/${key.name}`
