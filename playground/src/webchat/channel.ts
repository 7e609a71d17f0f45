// The web chat as a Botpress channel: it opens conversations for the page, passes the customer's messages to Botpress,
// and streams to the page what the bot says, who is answering and who is typing. Each conversation keeps its items so a
// page that reconnects (or reloads) gets the whole chat again.
import type { Conversation, Message } from '@botpress/client'
import type { ChannelAdapter, LocalBotpress } from '../botpress/local-botpress.js'
import { CONVERSATION_STARTED } from '../bot/demo-bot.js'
import { MESSAGE_ROLES, type ChatMode, type Frontend, type MessageRole } from '../bot/frontend.js'
import { plainTextOf } from '../bot/hitl-plugin.js'
import { AUTHOR_TAG, ROLE_TAG } from '../bot/speaker.js'
import type { ChatMessage, ChatTyping, StreamEvent } from './protocol.js'

export const WEBCHAT_CHANNEL = 'webchat'
/** A visitor who gave no name is "Visitor N" for the agent: a neutral label, never an invented person. */
const visitorLabel = (n: number) => `Visitor ${n}`

export type Subscriber = (event: StreamEvent) => void

type ChatRoom = {
  conversationId: string
  userId: string
  visitorName: string
  messages: ChatMessage[]
  mode: ChatMode
  typing: ChatTyping
  subscribers: Set<Subscriber>
}

export class UnknownConversationError extends Error {}

export class WebchatChannel implements ChannelAdapter, Frontend {
  private readonly _rooms = new Map<string, ChatRoom>()
  private _visitors = 0

  public constructor(private readonly _botpress: LocalBotpress) {}

  /** A new visitor opens the page: a user (with the name they gave, if any), a conversation, the bot's welcome. */
  public open(givenName?: string): { conversationId: string; userId: string; visitorName: string } {
    this._visitors += 1
    const name = givenName?.trim() || visitorLabel(this._visitors)
    const user = this._botpress.createUser(name)
    const conversation = this._botpress.createConversation(WEBCHAT_CHANNEL)
    this._rooms.set(conversation.id, {
      conversationId: conversation.id,
      userId: user.id,
      visitorName: name,
      messages: [],
      mode: { mode: 'bot' },
      typing: null,
      subscribers: new Set(),
    })
    this._botpress.emitEvent({ type: CONVERSATION_STARTED, conversationId: conversation.id, userId: user.id })
    return { conversationId: conversation.id, userId: user.id, visitorName: name }
  }

  public has(conversationId: string): boolean {
    return this._rooms.has(conversationId)
  }

  /** What the page needs to resume a conversation. */
  public describe(conversationId: string): { conversationId: string; visitorName: string; status: ChatMode } {
    const room = this._room(conversationId)
    return { conversationId, visitorName: room.visitorName, status: room.mode }
  }

  /** The customer wrote: shown at once on every open page, then handed to Botpress (and so to the bot). */
  public receive(conversationId: string, text: string): ChatMessage {
    const room = this._room(conversationId)
    const message = this._botpress.receiveMessage({ conversationId, userId: room.userId, text })
    const item: ChatMessage = { id: message.id, role: 'user', text, at: message.createdAt }
    this._append(room, item)
    return item
  }

  /**
   * "Leave the chat": the HITL plugin's close command goes to Botpress like any message (that is how the plugin
   * hears it), but the page shows no "/end" bubble: the customer pressed a button, they did not write that.
   */
  public leave(conversationId: string, closeCommand: string): void {
    const room = this._room(conversationId)
    this._botpress.receiveMessage({ conversationId, userId: room.userId, text: closeCommand })
  }

  /** The customer started or stopped typing. */
  public typing(conversationId: string, typing: boolean): void {
    this._room(conversationId)
    this._botpress.customerTyping(conversationId, typing)
  }

  /** Sends everything so far, then every change, to `subscriber`; returns the function that stops it. */
  public subscribe(conversationId: string, subscriber: Subscriber): () => void {
    const room = this._room(conversationId)
    subscriber({ event: 'status', data: room.mode })
    for (const message of room.messages) subscriber({ event: 'message', data: message })
    subscriber({ event: 'typing', data: { typing: room.typing } })
    room.subscribers.add(subscriber)
    return () => room.subscribers.delete(subscriber)
  }

  // ChannelAdapter: the bot wrote in a web chat conversation.
  public async deliver(message: Message, conversation: Conversation): Promise<void> {
    const room = this._room(conversation.id)
    const role = roleOf(message.tags[ROLE_TAG])
    const author = message.tags[AUTHOR_TAG]
    const text = readable(plainTextOf(message))
    this._append(room, { id: message.id, role, text, ...(author ? { author } : {}), at: message.createdAt })
  }

  // Frontend
  public setMode(conversationId: string, mode: ChatMode): void {
    const room = this._rooms.get(conversationId)
    if (!room) return
    room.mode = mode
    this._broadcast(room, { event: 'status', data: mode })
  }

  public setTyping(conversationId: string, typing: ChatTyping): void {
    const room = this._rooms.get(conversationId)
    if (!room) return
    room.typing = typing
    this._broadcast(room, { event: 'typing', data: { typing } })
  }

  private _append(room: ChatRoom, message: ChatMessage): void {
    room.messages.push(message)
    this._broadcast(room, { event: 'message', data: message })
  }

  private _broadcast(room: ChatRoom, event: StreamEvent): void {
    for (const subscriber of room.subscribers) subscriber(event)
  }

  private _room(conversationId: string): ChatRoom {
    const room = this._rooms.get(conversationId)
    if (!room) throw new UnknownConversationError(`conversation ${conversationId} does not exist`)
    return room
  }
}

/** Markdown as the page shows it: text only, so the emphasis marks go. */
const readable = (text: string): string => text.replace(/(\*\*|__)(.+?)\1/g, '$2')

const roleOf = (tag: string | undefined): MessageRole =>
  (MESSAGE_ROLES as readonly string[]).includes(tag ?? '') ? (tag as MessageRole) : 'bot'
