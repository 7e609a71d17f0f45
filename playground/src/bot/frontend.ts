// What the bot tells the chat page besides messages: who is answering (the header) and who is typing. Botpress's
// webchat has the same notions; here the web chat channel implements them.

/** Who answers, and the conversation's language once a hand-off said it (the page's chips and placeholders follow). */
export type ChatMode = ({ mode: 'bot' } | { mode: 'waiting' } | { mode: 'agent'; agentName: string }) & {
  locale?: string
}

/** How a message in the customer's conversation is shown: the web chat reads it from the message tags. */
export const MESSAGE_ROLES = ['bot', 'agent', 'notice', 'error'] as const
export type MessageRole = (typeof MESSAGE_ROLES)[number]

export interface Frontend {
  setMode(conversationId: string, mode: ChatMode): void
  setTyping(conversationId: string, typing: { who: 'bot' } | { who: 'agent'; name: string } | null): void
}
