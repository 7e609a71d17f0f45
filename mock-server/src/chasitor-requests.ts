// What the simulator is asked on the visitor side, independent of how it travels (the HTTP layer builds these).
import type { Resource } from './protocol.js'
import type { SimulatedChat } from './simulated-chat.js'

/** The headers every chasitor request carries, as sent (undefined when absent). */
export interface ChasitorRequest {
  resource: Resource
  apiVersion: string | undefined
  sessionKey: string | undefined
  affinity: string | undefined
}

/** required: a live session; pollable: Messages and ReconnectSession may still drain an ended chat. */
export type SessionNeed = 'required' | 'pollable'

/** A fault the transport acts out: reset the connection, answer late, or answer 200 and forget the request. */
export type TransportFault = { kind: 'reset' } | { kind: 'delay'; delayMs: number } | { kind: 'drop' }

export interface Admission {
  version: number
  fault: TransportFault | undefined
}

export interface SessionAdmission extends Admission {
  session: SimulatedChat
}

export interface ChasitorInitRequest {
  organizationId: string
  deploymentId: string
  buttonId: string
  sessionId: string
  visitorName?: string | undefined
  agentId?: string | undefined
  doFallback?: boolean | undefined
  buttonOverrides?: string[] | undefined
  receiveQueueUpdates?: boolean | undefined
  prechatDetails?: { label: string; value: string; displayToAgent?: boolean | undefined }[] | undefined
}

/** One visitor noun of a sequenced POST, its body validated (a MultiNoun carries several). */
export type VisitorAction =
  | { noun: 'ChatMessage'; text: string }
  | { noun: 'ChasitorTyping' }
  | { noun: 'ChasitorNotTyping' }
  | { noun: 'ChasitorSneakPeek'; text: string }
  | { noun: 'ChatEnd'; reason: string }
  | { noun: 'CustomEvent'; type: string; data: string }
  | { noun: 'ChasitorIdleTimeoutWarningEvent'; state: string }

/** The query of a Messages poll, as sent. */
export interface MessagesQuery {
  ack: string | undefined
  pc: string | undefined
}

/** What a ReconnectSession carries, as sent. */
export interface ReconnectRequest {
  version: number
  affinity: string | undefined
  offset: string | undefined
}

/** What SessionId answers. */
export interface SessionCredentials {
  id: string
  key: string
  affinityToken: string
  clientPollTimeout: number
}
