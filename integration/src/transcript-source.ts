// Who said each line of the conversation the HITL plugin hands over, and when. The interface's messageHistory says
// neither exactly: it has no times, and the plugin copies the agent's words to the customer as the bot's
// (plugins/hitl before-incoming-message/all.ts), so a previous agent's messages arrive as `source: bot`.
// - Times: when the integration knows the bot conversation (the Start HITL card's "Bot conversation id"), it reads
//   that conversation's messages and takes each line's time from the message it came from. Otherwise a line has no
//   time: the hand-off's own time would tell the agent something false.
// - A previous agent: the plugin relays an agent's message with the agent's user as `payload.userId` (webchat, the
//   plugin's default "use human agent info"); a bot message never carries one.
import type { Message } from '@botpress/client'
import type * as bp from './bp.js'
import type { HistoryMessage } from './definitions/hitl-interface.js'
import { describeForAgent } from './render.js'

export type Speaker = 'visitor' | 'bot' | 'agent'

/** A history entry with what the integration could add to it. */
export type SourcedHistoryMessage = HistoryMessage & { at?: string; speaker?: Speaker }

const payloadOf = (entry: unknown): Record<string, unknown> =>
  ((entry as { payload?: unknown })?.payload ?? {}) as Record<string, unknown>

/** The speaker of each entry, from the action's raw input (parsing strips `payload.userId`). */
export const speakersOf = (rawHistory: unknown): Speaker[] =>
  (Array.isArray(rawHistory) ? rawHistory : []).map((entry) => {
    const source = (entry as { source?: { type?: unknown } })?.source
    if (source?.type === 'user') return 'visitor'
    return typeof payloadOf(entry).userId === 'string' ? 'agent' : 'bot'
  })

const textOf = (type: string, payload: Record<string, unknown>) => describeForAgent(type, payload)

/**
 * Pairs history entries with the bot conversation's messages, in order: an entry takes the time of the next message
 * of the same type that reads the same. Entries without a partner keep no time.
 */
export const alignTimes = (history: HistoryMessage[], messages: Pick<Message, 'type' | 'payload' | 'createdAt'>[]) => {
  const ordered = [...messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  let next = 0
  return history.map((entry) => {
    const text = textOf(entry.type, entry.payload as Record<string, unknown>)
    for (let index = next; index < ordered.length; index++) {
      const candidate = ordered[index]!
      if (candidate.type === entry.type && textOf(candidate.type, candidate.payload) === text) {
        next = index + 1
        return candidate.createdAt
      }
    }
    return undefined
  })
}

const MESSAGE_PAGES = 5

/** The messages of the bot conversation (a few pages at most), or none when it cannot be read. */
const botConversationMessages = async (props: bp.CommonProps, conversationId: string): Promise<Message[]> => {
  const messages: Message[] = []
  let nextToken: string | undefined
  try {
    for (let page = 0; page < MESSAGE_PAGES; page++) {
      const response = await props.client.listMessages({ conversationId, ...(nextToken ? { nextToken } : {}) })
      messages.push(...response.messages)
      nextToken = response.meta.nextToken
      if (!nextToken) break
    }
  } catch (thrown) {
    props.logger.warn(
      `Could not read the bot conversation ${conversationId} for the transcript times: ${thrown instanceof Error ? thrown.message : String(thrown)}`
    )
  }
  return messages
}

export const sourceHistory = async (
  props: bp.CommonProps,
  history: HistoryMessage[],
  rawHistory: unknown,
  upstreamConversationId: string | null
): Promise<SourcedHistoryMessage[]> => {
  const speakers = speakersOf(rawHistory)
  const times = upstreamConversationId
    ? alignTimes(history, await botConversationMessages(props, upstreamConversationId))
    : []
  return history.map((entry, index) => {
    const at = times[index]
    const speaker = speakers[index]
    return { ...entry, ...(at ? { at } : {}), ...(speaker ? { speaker } : {}) }
  })
}
