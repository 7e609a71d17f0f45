// What the chat page receives over its event stream (server-sent events, one event name per kind). public/chat.js
// reads exactly these shapes.
import type { ChatMode, MessageRole } from '../bot/frontend.js'

export type ChatMessage = {
  id: string
  role: 'user' | MessageRole
  text: string
  /** The agent's name on agent messages. */
  author?: string
  at: string
}

export type ChatTyping = { who: 'bot' } | { who: 'agent'; name: string } | null

export type StreamEvent =
  | { event: 'message'; data: ChatMessage }
  | { event: 'status'; data: ChatMode }
  | { event: 'typing'; data: { typing: ChatTyping } }

/** Longest message the page may send; the composer stops there too. */
export const MAX_TEXT_LENGTH = 2000
