import { z } from 'zod'
import { describeZodError } from './config.js'
import { AdminError } from './errors.js'
import { faultSchema, type FaultKind, type FaultSpec } from './faults.js'
import type { ChatView } from './chat-view.js'
import type { Simulator } from './simulator.js'
import type { StatsView } from './stats.js'

export interface InjectFault {
  /** A resource name ('Messages', 'ChatMessage', 'SessionId', …) or '*' for any. */
  resource: string
  kind: FaultKind
  /** How many matching requests suffer it (default 1). */
  count?: number
  /** For kind 'delay'. */
  delayMs?: number
  /** Only requests of this session (its id) match. */
  sessionId?: string
}

/** The in-process control handle of the mock; /__admin mirrors it over HTTP. */
export interface MockAdmin {
  /** Every chat that sent ChasitorInit, oldest first. */
  chats(): ChatView[]
  /** One session by its id (the uuid from SessionId), also before ChasitorInit. */
  chat(id: string): ChatView | undefined
  /** Resolves as soon as a chat matches (checked now and on every change); rejects after timeoutMs (default 5000). */
  waitForChat(predicate: (c: ChatView) => boolean, timeoutMs?: number): Promise<ChatView>
  accept(id: string, opts?: { agentName?: string }): void
  agentMessage(id: string, text: string): void
  agentTyping(id: string, typing: boolean): void
  queueUpdate(id: string, position: number): void
  transfer(id: string, agentName: string): void
  /** The agent ends the chat: ChatEnded{reason} (default 'agent'). */
  endChat(id: string, reason?: string): void
  /** Without buttonId: every button and agent; with it: that button only. */
  setAvailability(available: boolean, buttonId?: string): void
  injectFault(f: InjectFault): void
  /** The session expires now (its next request answers 403). */
  expire(id: string): void
  stats(): StatsView
  /** Forgets every chat, fault, counter and availability setting. */
  reset(): void
}

const text = z.string().min(1, 'must not be empty')

/** Validates arguments at the boundary so that bad input throws an AdminError and changes nothing. */
function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new AdminError(400, `Invalid ${what}: ${describeZodError(parsed.error)}`)
  return parsed.data
}

export function createAdmin(sim: Simulator): MockAdmin {
  return {
    chats: () => sim.chats(),
    chat: (id) => sim.find(id)?.toView(),
    waitForChat: (predicate, timeoutMs) => sim.waitForChat(predicate, timeoutMs),
    accept: (id, opts = {}) =>
      sim.accept(id, check(z.strictObject({ agentName: text.optional() }), opts, 'accept options')),
    agentMessage: (id, message) => sim.agentMessage(id, check(text, message, 'message text')),
    agentTyping: (id, typing) => sim.agentTyping(id, check(z.boolean(), typing, 'typing flag')),
    queueUpdate: (id, position) => sim.queueUpdate(id, check(z.number().int().min(0), position, 'queue position')),
    transfer: (id, agentName) => sim.transfer(id, check(text, agentName, 'agent name')),
    endChat: (id, reason) => sim.endChat(id, check(text.optional(), reason, 'end reason')),
    setAvailability: (available, buttonId) =>
      sim.setAvailability(check(z.boolean(), available, 'availability'), buttonId),
    injectFault: (fault) => {
      const parsed = faultSchema.safeParse(fault)
      if (!parsed.success) throw new AdminError(400, `Invalid fault: ${describeZodError(parsed.error)}`)
      sim.faults.add(fault as FaultSpec)
    },
    expire: (id) => sim.expire(id),
    stats: () => sim.stats.view(),
    reset: () => sim.reset(),
  }
}
