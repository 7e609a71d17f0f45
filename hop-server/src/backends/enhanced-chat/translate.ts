// Enhanced Chat stream events → the bridge's webhook events (docs/bridge-contract.md), plus the chat status they
// imply. Pure: the state between batches is only the chat's snapshot (state + progress), which the pump stores with
// the stream cursor. How Enhanced Chat signals each step: docs/enhanced-chat-protocol.md ("How a conversation ends").
import { agentJoinedEvent, agentMessageEvent, agentTypingEvent, endedEvent, queuedEvent } from '../../store/events.js'
import type { AgentInfo, ChatProgress, EndReason, NewHopEvent, StateUpdate } from '../../store/types.js'
import type { ChatSnapshot, Translation } from '../../pump/translate.js'
import { transferredEvent } from '../../store/events.js'
import { EVENT } from './constants.js'
import type { StreamEvent } from './wire.js'

export interface TranslateContext {
  /** Only this conversation's events count (a stream carries every conversation of the identity). */
  conversationId: string
  /** Message ids the bridge sent (echoes are also recognised by the EndUser role). */
  isOwnMessage?: (messageId: string) => boolean
}

const END_USER = 'EndUser'
const ROUTING_OK = 'None'
const SESSION_ENDED = 'Ended'
const SESSION_ERROR = 'Error'
const UNKNOWN_AGENT_ID = 'unknown'
const TYPING = new Set<string>([EVENT.typingStarted, EVENT.typingStopped])

interface Payload {
  [key: string]: unknown
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
const obj = (value: unknown): Payload | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : undefined

/** The text the agent wrote; attachments become their names and links, since the bridge carries text only. */
export function messageText(payload: Payload): string | undefined {
  const abstract = obj(payload['abstractMessage'])
  const content = obj(abstract?.['staticContent'])
  if (!content) return undefined
  const text = str(content['text'])
  const attachments = Array.isArray(content['attachments']) ? content['attachments'].map(obj) : []
  const links = attachments
    .filter((a): a is Payload => a !== undefined)
    .map((a) => [str(a['name']), str(a['url'])].filter(Boolean).join(': '))
    .filter((line) => line !== '')
  const parts = [text, ...links].filter((part): part is string => part !== undefined)
  return parts.length > 0 ? parts.join('\n') : undefined
}

/** How an ended messaging session ends the chat for the bot. */
export function endOfSession(
  endedByRole: string | undefined,
  hadAgent: boolean
): { endReason: EndReason; endDetail: string } {
  if (endedByRole === END_USER) return { endReason: 'visitor', endDetail: 'the end user ended the session' }
  if (hadAgent) return { endReason: 'agent', endDetail: `the session was ended by ${endedByRole ?? 'the agent'}` }
  return { endReason: 'no_agent', endDetail: `the session ended before an agent joined (${endedByRole ?? 'unknown'})` }
}

/** Translates one batch of stream events, in order. Nothing follows a chat.ended. */
export function translateEnhancedBatch(
  events: readonly StreamEvent[],
  snapshot: ChatSnapshot,
  context: TranslateContext,
  at: number
): Translation {
  const out: NewHopEvent[] = []
  const progress: ChatProgress = { ...snapshot.progress }
  let state: StateUpdate | undefined
  let agentMessages = 0
  const current = () => state?.state ?? snapshot.state
  const setState = (next: 'connecting' | 'queued' | 'agent') => {
    if (next !== current()) state = { state: next }
  }
  const end = (endReason: EndReason, endDetail: string) => {
    state = { state: 'ended', endReason, endDetail }
    out.push(endedEvent(endReason, endDetail, at))
  }
  const mine = events.filter((event) => event.conversationId === context.conversationId)

  for (const [index, event] of mine.entries()) {
    if (current() === 'ended') break
    const { entry } = event
    const payload = entry.entryPayload
    const role = entry.sender.role
    switch (event.name) {
      case EVENT.message: {
        const abstractId = str(obj(payload['abstractMessage'])?.['id'])
        // The end user's own messages come back on the stream: the bridge sent them, the bot must not see them.
        if (role === END_USER || (abstractId !== undefined && context.isOwnMessage?.(abstractId))) break
        const text = messageText(payload)
        if (text === undefined) break
        out.push(agentMessageEvent(text, agentOf(entry.sender.subject, entry.senderDisplayName, progress.agent), at))
        agentMessages += 1
        break
      }
      case EVENT.participantChanged: {
        for (const change of arrayOf(payload['entries'])) {
          const participant = obj(change['participant'])
          if (!participant || str(participant['role']) === END_USER) continue
          // A remove alone is not an end (a transfer starts with one): the session status says when it is over.
          if (str(change['operation']) !== 'add') continue
          const agent = agentOf(str(participant['subject']), str(change['displayName']), undefined)
          const transfer = current() === 'agent'
          progress.agent = agent
          delete progress.queuePosition
          delete progress.estimatedWaitTime
          setState('agent')
          out.push(transfer ? transferredEvent(agent, at) : agentJoinedEvent(agent, at))
        }
        break
      }
      case EVENT.routingResult: {
        const failure = str(payload['failureType']) ?? ROUTING_OK
        if (failure !== ROUTING_OK) {
          const reason = str(payload['failureReason'])
          end('no_agent', `routing failed: ${failure}${reason ? ` (${reason})` : ''}`)
          break
        }
        // A transfer's routing result is followed by the new agent's add; an initial one means "in the queue".
        if (str(payload['routingType']) === 'Transfer' || current() === 'agent') break
        const seconds = obj(payload['estimatedWaitTime'])?.['estimatedWaitTimeInSeconds']
        if (typeof seconds === 'number' && seconds >= 0) progress.estimatedWaitTime = seconds
        progress.queuePosition ??= 0
        setState('queued')
        out.push(queuedEvent(progress.queuePosition, progress.estimatedWaitTime, at))
        break
      }
      case EVENT.queuePosition: {
        const position = payload['position']
        if (current() === 'agent' || typeof position !== 'number') break
        progress.queuePosition = position
        setState('queued')
        out.push(queuedEvent(position, progress.estimatedWaitTime, at))
        break
      }
      case EVENT.typingStarted:
      case EVENT.typingStopped: {
        if (role === END_USER) break
        // Two typing events in a row: only the later one matters.
        const next = mine[index + 1]
        if (next && TYPING.has(next.name) && next.entry.sender.role !== END_USER) break
        out.push(agentTypingEvent(event.name === EVENT.typingStarted, at))
        break
      }
      case EVENT.sessionStatusChanged: {
        const status = str(payload['sessionStatus'])
        if (status === SESSION_ENDED) {
          const ended = endOfSession(str(payload['sessionEndedByRole']), progress.agent !== undefined)
          end(ended.endReason, ended.endDetail)
        } else if (status === SESSION_ERROR) end('error', 'Salesforce put the messaging session in the Error status')
        break
      }
      case EVENT.closeConversation:
        // Only the end user closes a guest conversation; the session's Ended status normally came first.
        end('visitor', 'the end user closed the conversation')
        break
      default:
        // Receipts, routing work results, AI progress, unknown types…: nothing for the bot.
        break
    }
  }
  return { events: out, ...(state ? { state } : {}), progress, agentMessages }
}

function agentOf(
  subject: string | undefined,
  name: string | null | undefined,
  fallback: AgentInfo | undefined
): AgentInfo {
  return { id: subject ?? fallback?.id ?? UNKNOWN_AGENT_ID, name: name ?? fallback?.name ?? '' }
}

function arrayOf(value: unknown): Payload[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Payload => v !== undefined) : []
}
