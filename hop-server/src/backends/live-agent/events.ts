// Server → visitor events (§6), parsed with zod into a discriminated union on `type`.
// Schemas are lenient on purpose: unknown fields pass through, optional fields stay optional, numbers may come
// as numeric strings. An unknown type, or a known type whose fields have the wrong types, becomes an `unknown`
// event carrying the raw payload: it never throws, so one odd event cannot stall the poll loop.
import { z } from 'zod'

/** A number, or a string holding one (real servers send `clientPollTimeout: "30"`, §3.1). */
export const numberLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:\.\d+)?$/, 'expected a number')
    .transform(Number),
])

const str = z.string().optional()
const num = numberLike.optional()
const bool = z.boolean().optional()
const looseRecord = z.looseObject({})
/** `attachedRecords` is a String in the docs and an array on the wire (§6). */
const attachedRecords = z.union([z.string(), z.array(z.unknown())]).optional()

const chasitorIdleTimeout = z.looseObject({ isEnabled: bool, warningTime: num, timeout: num }).optional()

/** `message` schema per event type. Fields marked required are the ones a client cannot act without. */
export const EVENT_MESSAGE_SCHEMAS = {
  ChatRequestSuccess: z.looseObject({
    queuePosition: num,
    estimatedWaitTime: num,
    /** The chat's connection timeout in ms: the retry budget for failed polls (§4.2). */
    connectionTimeout: num,
    visitorId: str,
    geoLocation: looseRecord.optional(),
    url: str,
    oref: str,
    postChatUrl: str,
    customDetails: z.array(z.unknown()).optional(),
    sensitiveDataRules: z.array(z.unknown()).optional(),
    transcriptSaveEnabled: bool,
  }),
  ChatRequestFail: z.looseObject({ reason: str, postChatUrl: str, attachedRecords }),
  QueueUpdate: z.looseObject({ position: num, estimatedWaitTime: num }),
  ChatEstablished: z.looseObject({
    name: z.string(),
    userId: z.string(),
    sneakPeekEnabled: bool,
    chasitorIdleTimeout,
    items: z.array(z.unknown()).optional(),
  }),
  ChatMessage: z.looseObject({
    text: z.string(),
    name: str,
    agentId: str,
    schedule: z.looseObject({ responseDelayMilliseconds: num }).optional(),
  }),
  AgentTyping: z.looseObject({ name: str, agentId: str }),
  AgentNotTyping: z.looseObject({ name: str, agentId: str }),
  AgentDisconnect: looseRecord,
  ChatTransferred: z.looseObject({ name: str, userId: str, sneakPeekEnabled: bool, chasitorIdleTimeout }),
  TransferToButtonInitiated: looseRecord,
  ChatResumedAfterTransfer: z.looseObject({ name: str, userId: str, sneakPeekEnabled: bool, chasitorIdleTimeout }),
  AgentJoinedConference: z.looseObject({ name: str, userId: str }),
  AgentLeftConference: z.looseObject({ name: str, userId: str }),
  ChatEnded: z.looseObject({ reason: str, attachedRecords }),
  CustomEvent: z.looseObject({ type: z.string(), data: str }),
  NewVisitorBreadcrumb: z.looseObject({ location: z.string() }),
  ChasitorSessionData: z.looseObject({
    queuePosition: num,
    geoLocation: looseRecord.optional(),
    url: str,
    oref: str,
    postChatUrl: str,
    sneakPeekEnabled: bool,
    chatMessages: z
      .array(z.looseObject({ type: str, name: str, content: str, timestamp: num, sequence: num }))
      .optional(),
  }),
  SensitiveDataRules: z.looseObject({
    sensitiveDataRules: z.array(z.looseObject({ name: str, pattern: str, id: str, replacement: str, actionType: str })),
  }),
  FileTransfer: z.looseObject({ type: z.string(), uploadServletUrl: str, fileToken: str, cdmServletUrl: str }),
  RichMessage: looseRecord,
  AsyncResult: z.looseObject({ isSuccess: z.boolean(), error: str }),
  SwitchServer: z.looseObject({ newUrl: z.string() }),
  ReconnectSession: z.looseObject({ resetSequence: bool, affinityToken: z.string() }),
} as const

export type KnownEventType = keyof typeof EVENT_MESSAGE_SCHEMAS
export const KNOWN_EVENT_TYPES = Object.keys(EVENT_MESSAGE_SCHEMAS) as KnownEventType[]

export type KnownEvent = {
  [T in KnownEventType]: { type: T; message: z.output<(typeof EVENT_MESSAGE_SCHEMAS)[T]> }
}[KnownEventType]

/** An event this client does not know, or a known one with fields of the wrong type (`issue` says which). */
export interface UnknownEvent {
  type: 'unknown'
  /** The `type` the server sent (undefined when it sent none or a non-string). */
  originalType: string | undefined
  /** The raw `message` the server sent. */
  message: unknown
  issue: string
}

export type LiveAgentEvent = KnownEvent | UnknownEvent
export type EventOf<T extends LiveAgentEvent['type']> = Extract<LiveAgentEvent, { type: T }>

function isKnownType(type: string): type is KnownEventType {
  return Object.hasOwn(EVENT_MESSAGE_SCHEMAS, type)
}

/** Parses one `{type, message}` element of a Messages batch. Never throws. */
export function parseEvent(raw: unknown): LiveAgentEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { type: 'unknown', originalType: undefined, message: raw, issue: 'event is not an object' }
  }
  const { type, message } = raw as { type?: unknown; message?: unknown }
  if (typeof type !== 'string') {
    return { type: 'unknown', originalType: undefined, message, issue: 'event has no string `type`' }
  }
  if (!isKnownType(type)) return { type: 'unknown', originalType: type, message, issue: `unknown event type ${type}` }
  // Field-less events (AgentDisconnect…) may come with `message` null or missing.
  const parsed = EVENT_MESSAGE_SCHEMAS[type].safeParse(message ?? {})
  if (!parsed.success) {
    return { type: 'unknown', originalType: type, message, issue: `${type}: ${describeIssues(parsed.error)}` }
  }
  return { type, message: parsed.data } as KnownEvent
}

/** The 200 body of System/Messages (§3.3). Missing `offset` means the batch carried none. */
export const messagesEnvelopeSchema = z.looseObject({
  messages: z.array(z.unknown()),
  sequence: numberLike.pipe(z.number().int()),
  offset: numberLike.pipe(z.number().int()).optional(),
})

export interface MessagesBatch {
  events: LiveAgentEvent[]
  /** The sequence of the last event of the batch: the next `ack`. */
  sequence: number
  /** Opaque server marker for ReconnectSession; only batches with messages carry one. */
  offset: number | undefined
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
