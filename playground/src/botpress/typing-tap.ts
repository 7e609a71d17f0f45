// A playground-only shortcut, on purpose outside the integration: @botpress/client 1.35 (sdk 5.4.3) gives an
// integration no way to show a typing indicator, so the integration applies `agent.typing` events and shows them
// nowhere (integration/src/events/agent-typing.ts). Botpress Cloud would show nothing either. So that the chat page
// can still show "Alex is typing…", the local webhook relay reads the events it forwards, and reports the typing
// ones the integration accepted (2xx).
import { z } from 'zod'

const typingEventSchema = z.object({
  type: z.literal('agent.typing'),
  conversationId: z.string(),
  data: z.object({ typing: z.boolean() }),
})

export type AgentTyping = { hitlConversationId: string; typing: boolean }

export function agentTypingOf(rawBody: string, status: number): AgentTyping | undefined {
  const HTTP_OK_MIN = 200
  const HTTP_OK_MAX = 299
  if (status < HTTP_OK_MIN || status > HTTP_OK_MAX) return undefined
  let body: unknown
  try {
    body = JSON.parse(rawBody)
  } catch {
    return undefined
  }
  const parsed = typingEventSchema.safeParse(body)
  return parsed.success
    ? { hitlConversationId: parsed.data.conversationId, typing: parsed.data.data.typing }
    : undefined
}
