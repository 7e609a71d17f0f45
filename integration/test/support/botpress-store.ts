// An in-memory model of the parts of the Botpress API an integration uses: users, conversations, messages, events
// and states. The fake client (direct calls) and the fake Botpress API (HTTP) both sit on it, so the same assertions
// work for tests of the handlers and for tests through the SDK's real dispatcher.
import type { Conversation, Event, Message, State, User } from '@botpress/client'

type Tags = Record<string, string>
type StateType = State['type']

export class ApiFailure extends Error {
  public constructor(
    public readonly code: number,
    public readonly type: string,
    message: string
  ) {
    super(message)
  }
}

const notFound = (what: string) => new ApiFailure(404, 'ResourceNotFound', `${what} does not exist`)

const matchesTags = (tags: Tags, filter: Tags | undefined) =>
  !filter || Object.entries(filter).every(([key, value]) => tags[key] === value)

const cleanTags = (tags: Record<string, string | null | undefined> | undefined): Tags =>
  Object.fromEntries(
    Object.entries(tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  )

export type Call = { operation: string; input: unknown }

export class BotpressStore {
  public readonly users = new Map<string, User>()
  public readonly conversations = new Map<string, Conversation>()
  public readonly messages: Message[] = []
  public readonly events: Event[] = []
  public readonly states = new Map<string, State>()
  public readonly calls: Call[] = []
  private _counter = 0
  private _clock = Date.parse('2026-11-24T10:00:00.000Z')

  public constructor(
    public readonly botId = 'bot_test',
    public readonly integrationName = 'liveagent-hop'
  ) {}

  private readonly _failures: { operation: string; remaining: number }[] = []

  /** The next `times` calls of `operation` fail with a 500, before touching anything. */
  public failNext(operation: string, times = 1): void {
    this._failures.push({ operation, remaining: times })
  }

  /** Records a call, and throws if a failure was scheduled for it. */
  public record(operation: string, input: unknown): void {
    this.calls.push({ operation, input })
    const failure = this._failures.find((f) => f.operation === operation && f.remaining > 0)
    if (failure) {
      failure.remaining -= 1
      throw new ApiFailure(500, 'Internal', `scheduled failure of ${operation}`)
    }
  }

  public callsOf(operation: string): unknown[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.input)
  }

  // users
  public createUser(input: { name?: string; pictureUrl?: string; tags?: Tags }): { user: User } {
    const now = this._now()
    const user: User = { id: this._id('user'), createdAt: now, updatedAt: now, tags: cleanTags(input.tags) }
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

  public getOrCreateUser(input: { name?: string; pictureUrl?: string; tags: Tags; discriminateByTags?: string[] }): {
    user: User
  } {
    const keys = input.discriminateByTags ?? Object.keys(input.tags)
    const filter = Object.fromEntries(keys.map((key) => [key, input.tags[key] ?? '']))
    const existing = [...this.users.values()].find((user) => matchesTags(user.tags, filter))
    return existing ? { user: existing } : this.createUser(input)
  }

  public updateUser(input: { id: string; name?: string; tags?: Tags }): { user: User } {
    const { user } = this.getUser(input)
    Object.assign(user.tags, cleanTags(input.tags))
    if (input.name !== undefined) user.name = input.name
    user.updatedAt = this._now()
    return { user }
  }

  // conversations
  public createConversation(input: { channel: string; tags?: Tags }): { conversation: Conversation } {
    const now = this._now()
    const conversation: Conversation = {
      id: this._id('conv'),
      createdAt: now,
      updatedAt: now,
      channel: input.channel,
      integration: this.integrationName,
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

  public listConversations(input: { channel?: string; tags?: Tags; sortDirection?: 'asc' | 'desc' }): {
    conversations: Conversation[]
    meta: { nextToken?: string }
  } {
    const found = [...this.conversations.values()].filter(
      (c) => (!input.channel || c.channel === input.channel) && matchesTags(c.tags, input.tags)
    )
    found.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    if (input.sortDirection === 'desc') found.reverse()
    return { conversations: found, meta: {} }
  }

  public getOrCreateConversation(input: { channel: string; tags: Tags; discriminateByTags?: string[] }): {
    conversation: Conversation
  } {
    const keys = input.discriminateByTags ?? Object.keys(input.tags)
    const filter = Object.fromEntries(keys.map((key) => [key, input.tags[key] ?? '']))
    const existing = [...this.conversations.values()].find(
      (c) => c.channel === input.channel && matchesTags(c.tags, filter)
    )
    return existing ? { conversation: existing } : this.createConversation(input)
  }

  public updateConversation(input: { id: string; tags?: Tags }): { conversation: Conversation } {
    const { conversation } = this.getConversation(input)
    Object.assign(conversation.tags, cleanTags(input.tags))
    conversation.updatedAt = this._now()
    return { conversation }
  }

  // messages
  public createMessage(input: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
    tags?: Tags
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
      direction: 'incoming',
      userId: input.userId,
      conversationId: input.conversationId,
      tags: cleanTags(input.tags),
    }
    this.messages.push(message)
    return { message }
  }

  public getOrCreateMessage(input: {
    conversationId: string
    userId: string
    type: string
    payload: Record<string, unknown>
    tags: Tags
    discriminateByTags?: string[]
  }): { message: Message } {
    const keys = input.discriminateByTags ?? Object.keys(input.tags)
    const filter = Object.fromEntries(keys.map((key) => [key, input.tags[key] ?? '']))
    const existing = this.messages.find((m) => m.conversationId === input.conversationId && matchesTags(m.tags, filter))
    return existing ? { message: existing } : this.createMessage(input)
  }

  public getMessage(input: { id: string }): { message: Message } {
    const message = this.messages.find((m) => m.id === input.id)
    if (!message) throw notFound(`Message ${input.id}`)
    return { message }
  }

  public updateMessage(input: { id: string; tags?: Tags }): { message: Message } {
    const { message } = this.getMessage(input)
    Object.assign(message.tags, cleanTags(input.tags))
    return { message }
  }

  public listMessages(input: { conversationId?: string; tags?: Tags }): { messages: Message[]; meta: object } {
    return {
      messages: this.messages.filter(
        (m) => (!input.conversationId || m.conversationId === input.conversationId) && matchesTags(m.tags, input.tags)
      ),
      meta: {},
    }
  }

  /** Texts of a conversation's messages, in order, with who wrote them. */
  public transcript(conversationId: string): { user: string; text: string }[] {
    return this.messages
      .filter((m) => m.conversationId === conversationId)
      .map((m) => ({ user: this.users.get(m.userId)?.name ?? m.userId, text: String(m.payload.text) }))
  }

  // events
  public createEvent(input: {
    type: string
    payload: Record<string, unknown>
    conversationId?: string
    userId?: string
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
    this.events.push(event)
    return { event }
  }

  public eventsOf(type: string): Event[] {
    return this.events.filter((event) => event.type === type)
  }

  // states
  public getState(input: { type: StateType; id: string; name: string }): { state: State; meta: { cached: boolean } } {
    const state = this.states.get(this._stateKey(input))
    if (!state) throw notFound(`State ${input.name} of ${input.type} ${input.id}`)
    return { state, meta: { cached: false } }
  }

  public setState(input: { type: StateType; id: string; name: string; payload: Record<string, unknown> | null }): {
    state: State
  } {
    const key = this._stateKey(input)
    if (input.payload === null) {
      const existing = this.states.get(key)
      this.states.delete(key)
      if (!existing) throw notFound(`State ${input.name}`)
      return { state: existing }
    }
    const now = this._now()
    const state: State = {
      id: this._id('state'),
      createdAt: this.states.get(key)?.createdAt ?? now,
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

  public patchState(input: { type: StateType; id: string; name: string; payload: Record<string, unknown> }): {
    state: State
  } {
    const { state } = this.getState(input)
    state.payload = { ...state.payload, ...structuredClone(input.payload) }
    state.updatedAt = this._now()
    return { state }
  }

  public getOrSetState(input: { type: StateType; id: string; name: string; payload: Record<string, unknown> }): {
    state: State
    meta: { cached: boolean }
  } {
    const existing = this.states.get(this._stateKey(input))
    return existing
      ? { state: existing, meta: { cached: false } }
      : { ...this.setState(input), meta: { cached: false } }
  }

  /** The payload of a conversation state, or undefined. */
  public conversationState(conversationId: string, name: string): Record<string, unknown> | undefined {
    return this.states.get(this._stateKey({ type: 'conversation', id: conversationId, name }))?.payload
  }

  private _stateKey(input: { type: string; id: string; name: string }): string {
    return `${input.type}/${input.id}/${input.name}`
  }

  private _id(prefix: string): string {
    this._counter += 1
    return `${prefix}_${String(this._counter).padStart(6, '0')}`
  }

  /** A clock that moves one millisecond per write, so creation order sorts the same way on every machine. */
  private _now(): string {
    this._clock += 1
    return new Date(this._clock).toISOString()
  }
}
