import type { SystemMessageKey } from '../definitions/locales.js'
import type { EndReason } from '../definitions/states.js'

export type Agent = { id: string; name: string }

export type LifecycleContext = {
  /** Highest hop-server event sequence applied; each `seq` is applied once. */
  lastSeq: number
  queuePosition: number | null
  agent: Agent | null
  endReason: EndReason | null
  endDetail: string | null
  /** The customer is told "still connecting" once per hand-off, not on every message. */
  stillConnectingTold: boolean
}

/** Events from the hop server carry their `seq`; the others come from actions and the channel. */
export type HopLifecycleEvent =
  | { type: 'chat.queued'; seq: number; position: number; estimatedWaitTime?: number }
  | { type: 'agent.joined'; seq: number; agent: Agent }
  | { type: 'agent.message'; seq: number; text: string; agent: Agent }
  | { type: 'agent.typing'; seq: number; typing: boolean }
  | { type: 'chat.transferred'; seq: number; agent: Agent }
  | { type: 'chat.ended'; seq: number; reason: EndReason; detail?: string }

export type LifecycleEvent =
  | { type: 'hitl.start' }
  | { type: 'hitl.failed'; detail: string }
  /** stopHitl (by the bot or the HITL plugin) or a cancel phrase (by the visitor). */
  | { type: 'hitl.stop'; by: 'bot' | 'visitor' }
  | { type: 'visitor.message' }
  | HopLifecycleEvent

/**
 * What the outside world should do after a transition, in order. The machine decides; src/lifecycle/effects.ts
 * carries it out against Botpress.
 */
export type LifecycleEffect =
  | { type: 'tell'; message: SystemMessageKey; position?: number; waitSeconds?: number }
  | { type: 'forwardToAgent' }
  | { type: 'agentAssigned'; agent: Agent }
  | { type: 'agentMessage'; text: string; agent: Agent }
  | { type: 'agentTyping'; typing: boolean }
  /** `handBack`: tell the bot (hitlStopped); false when the bot asked for the end or the start failed. */
  | { type: 'ended'; reason: EndReason; detail: string | null; handBack: boolean }
