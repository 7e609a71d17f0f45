import { z } from 'zod'
import { describeZodError } from '../config.js'
import { AdminError } from '../errors.js'
import type { EnhancedChatView } from './conversation.js'
import { enhancedFaultSchema, type EnhancedFaultSpec } from './faults.js'
import type { SseHub } from './sse-hub.js'
import type { BusinessHoursSetting } from './embedded-service.js'
import type { EnhancedChatSimulator } from './simulator.js'

/** The in-process control handle of the Enhanced Chat simulator; /__admin/enhanced mirrors it over HTTP. */
export interface EnhancedChatAdmin {
  conversations(): EnhancedChatView[]
  conversation(id: string): EnhancedChatView | undefined
  /** Resolves as soon as a conversation matches; rejects after timeoutMs (default 5000). */
  waitFor(predicate: (c: EnhancedChatView) => boolean, timeoutMs?: number): Promise<EnhancedChatView>
  accept(id: string, opts?: { agentName?: string }): void
  agentMessage(id: string, text: string): void
  agentTyping(id: string, typing: boolean): void
  queueUpdate(id: string, position: number): void
  transfer(id: string, agentName: string): void
  /** The agent ends the messaging session (the conversation stays open). */
  endChat(id: string): void
  /** Every token of the conversation's identity answers 401 "Jwt is expired" from now on; its streams end. */
  expireToken(id: string): void
  injectFault(fault: EnhancedFaultSpec): void
  /** Breaks the open streams (of one conversation's identity, or all); returns how many. */
  dropStreams(conversationId?: string): number
  /** The open streams (of one conversation's identity, or all) end after `events` more events. */
  closeStreamsAfter(events: number, conversationId?: string): number
  openStreams(): number
  reset(): void
}

const text = z.string().min(1, 'must not be empty')

function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new AdminError(400, `Invalid ${what}: ${describeZodError(parsed.error)}`)
  return parsed.data
}

export function createEnhancedAdmin(
  sim: EnhancedChatSimulator,
  hub: SseHub,
  businessHours: BusinessHoursSetting
): EnhancedChatAdmin {
  const subjectOf = (conversationId: string | undefined): string | undefined => {
    if (conversationId === undefined) return undefined
    const view = sim.conversation(conversationId)
    if (!view) throw new AdminError(404, `No Enhanced Chat conversation with id ${conversationId}`)
    return view.subject
  }
  return {
    conversations: () => sim.views(),
    conversation: (id) => sim.conversation(id),
    waitFor: (predicate, timeoutMs) => sim.waitFor(predicate, timeoutMs),
    accept: (id, opts = {}) =>
      sim.accept(id, check(z.strictObject({ agentName: text.optional() }), opts, 'accept options')),
    agentMessage: (id, message) => sim.agentMessage(id, check(text, message, 'message text')),
    agentTyping: (id, typing) => sim.agentTyping(id, check(z.boolean(), typing, 'typing flag')),
    queueUpdate: (id, position) => sim.queueUpdate(id, check(z.number().int().min(0), position, 'queue position')),
    transfer: (id, agentName) => sim.transfer(id, check(text, agentName, 'agent name')),
    endChat: (id) => sim.endChat(id),
    expireToken: (id) => {
      sim.expireToken(id)
      hub.end(subjectOf(id)!)
    },
    injectFault: (fault) => {
      const parsed = enhancedFaultSchema.safeParse(fault)
      if (!parsed.success) throw new AdminError(400, `Invalid fault: ${describeZodError(parsed.error)}`)
      sim.faults.add(fault)
    },
    dropStreams: (conversationId) => hub.drop(subjectOf(conversationId)),
    closeStreamsAfter: (events, conversationId) =>
      hub.closeAfter(check(z.number().int().min(0), events, 'event count'), subjectOf(conversationId)),
    openStreams: () => hub.size,
    reset: () => {
      hub.reset()
      sim.reset()
      businessHours.reset()
    },
  }
}
