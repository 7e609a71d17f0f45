// The end-of-run checks: every accepted message arrived exactly once and in order, both ways, and the relay
// latency of each one. Agent → visitor is read from the webhook deliveries (deduplicated by `seq`, as the
// contract tells the integration to do); visitor → agent from the mock's transcript of each chat.
import type { MockChat } from '../http/mock-admin.js'
import type { Delivery } from '../receiver/protocol.js'
import type { ChatLedger, SentMessage } from './ledger.js'

export interface DirectionIntegrity {
  /** Messages accepted by the sending side: each must arrive exactly once. */
  expected: number
  delivered: number
  lost: number
  /** Extra copies of a message the receiving side would see (not contract redeliveries of the same seq). */
  duplicated: number
  /** Messages that arrived after a message sent later in the same chat. */
  reordered: number
  /** Arrivals that match no accepted message (e.g. a send the sender believes failed). */
  unexpected: number
}

export interface Integrity {
  visitorToAgent: DirectionIntegrity
  agentToVisitor: DirectionIntegrity
  /** Same seq delivered more than once: allowed by the contract (at-least-once), applied once by the receiver. */
  webhookRedeliveries: number
  /** A redelivered seq whose content differs from the first delivery (must be 0). */
  conflictingRedeliveries: number
  /** Missing seq numbers below a chat's highest seq (must be 0). */
  seqGaps: number
  /** chat.ended not the last event of its chat (must be 0). */
  endedNotLast: number
  /** Chats whose mock transcript could not be found. */
  chatsMissingInMock: number
  /** Webhook deliveries for chat ids the driver never created (must be 0). */
  strayDeliveries: number
  /** The first few problems, spelled out (chat, direction, message), to start an investigation from. */
  examples: string[]
}

const MAX_EXAMPLES = 20

export interface LatencySamples {
  agentToVisitor: number[]
  visitorToAgent: number[]
}

const emptyDirection = (): DirectionIntegrity => ({
  expected: 0,
  delivered: 0,
  lost: 0,
  duplicated: 0,
  reordered: 0,
  unexpected: 0,
})

/** Counts one chat's direction: `arrived` is the list of texts in arrival order. */
function compare(
  sent: readonly SentMessage[],
  arrived: readonly string[],
  into: DirectionIntegrity,
  example: (problem: string) => void
): void {
  const accepted = sent.filter((message) => message.accepted)
  const position = new Map(sent.map((message) => [message.text, message.k]))
  const expectedTexts = new Set(accepted.map((message) => message.text))
  const seen = new Map<string, number>()
  let highest = 0
  for (const text of arrived) {
    const k = position.get(text)
    if (k === undefined || !expectedTexts.has(text)) {
      into.unexpected++
      example(`unexpected "${text}"`)
      continue
    }
    const copies = (seen.get(text) ?? 0) + 1
    seen.set(text, copies)
    if (copies > 1) {
      into.duplicated++
      example(`duplicated "${text}"`)
      continue
    }
    into.delivered++
    if (k < highest) {
      into.reordered++
      example(`reordered "${text}" after k=${highest}`)
    }
    highest = Math.max(highest, k)
  }
  into.expected += accepted.length
  for (const message of accepted) {
    if (seen.has(message.text)) continue
    into.lost++
    example(`lost "${message.text}" (sent ${new Date(message.sentAt).toISOString()}, ${message.attempts} attempt(s))`)
  }
}

/** The first delivery of each seq, in seq order, plus the contract checks on the seq stream. */
function appliedEvents(chat: ChatLedger, integrity: Integrity, example: (problem: string) => void): Delivery[] {
  const first = new Map<number, Delivery>()
  for (const delivery of chat.deliveries) {
    const known = first.get(delivery.seq)
    if (!known) {
      first.set(delivery.seq, delivery)
      continue
    }
    integrity.webhookRedeliveries++
    if (known.type !== delivery.type || known.text !== delivery.text) integrity.conflictingRedeliveries++
  }
  const applied = [...first.values()].sort((a, b) => a.seq - b.seq)
  const highest = applied[applied.length - 1]?.seq ?? 0
  if (highest > applied.length) {
    integrity.seqGaps += highest - applied.length
    const missing = Array.from({ length: highest }, (_, index) => index + 1).filter((seq) => !first.has(seq))
    example(
      `seq ${missing.join(', ')} missing (received ${applied.map((event) => `${event.seq}:${event.type}`).join(' ')})`
    )
  }
  const endIndex = applied.findIndex((event) => event.type === 'chat.ended')
  if (endIndex >= 0 && endIndex !== applied.length - 1) integrity.endedNotLast++
  return applied
}

export function verify(
  chats: readonly ChatLedger[],
  mockChats: ReadonlyMap<string, MockChat>,
  strayDeliveries = 0
): { integrity: Integrity; latency: LatencySamples } {
  const integrity: Integrity = {
    visitorToAgent: emptyDirection(),
    agentToVisitor: emptyDirection(),
    webhookRedeliveries: 0,
    conflictingRedeliveries: 0,
    seqGaps: 0,
    endedNotLast: 0,
    chatsMissingInMock: 0,
    strayDeliveries,
    examples: [],
  }
  const latency: LatencySamples = { agentToVisitor: [], visitorToAgent: [] }
  for (const chat of chats) {
    if (!chat.chatId) continue
    const example = (direction: string) => (problem: string) => {
      if (integrity.examples.length < MAX_EXAMPLES) {
        integrity.examples.push(`chat ${chat.chatId} (mock ${chat.sessionId ?? '?'}) ${direction}: ${problem}`)
      }
    }
    const applied = appliedEvents(chat, integrity, example('webhooks'))
    const agentMessages = applied.filter((event) => event.type === 'agent.message')
    compare(
      chat.agent,
      agentMessages.map((event) => event.text ?? ''),
      integrity.agentToVisitor,
      example('agent→visitor')
    )
    const mock = chat.sessionId ? mockChats.get(chat.sessionId) : undefined
    if (!mock) {
      if (chat.visitor.some((message) => message.accepted)) integrity.chatsMissingInMock++
      compare(chat.visitor, [], integrity.visitorToAgent, example('visitor→agent'))
      continue
    }
    const visitorEntries = mock.transcript.filter((entry) => entry.from === 'visitor')
    compare(
      chat.visitor,
      visitorEntries.map((entry) => entry.text),
      integrity.visitorToAgent,
      example('visitor→agent')
    )
    // Latency: first arrival of each message against its origin.
    const agentOrigin = new Map<string, number>()
    for (const entry of mock.transcript) {
      if (entry.from === 'agent' && !agentOrigin.has(entry.text)) agentOrigin.set(entry.text, Date.parse(entry.at))
    }
    const counted = new Set<string>()
    for (const event of agentMessages) {
      const origin = agentOrigin.get(event.text ?? '')
      if (origin === undefined || counted.has(event.text!)) continue
      counted.add(event.text!)
      latency.agentToVisitor.push(event.receivedAt - origin)
    }
    const sentAt = new Map(chat.visitor.map((message) => [message.text, message]))
    for (const entry of visitorEntries) {
      const message = sentAt.get(entry.text)
      if (!message || counted.has(entry.text)) continue
      counted.add(entry.text)
      latency.visitorToAgent.push(Date.parse(entry.at) - message.sentAt)
    }
  }
  return { integrity, latency }
}

export function integrityProblems(integrity: Integrity): number {
  const direction = (d: DirectionIntegrity) => d.lost + d.duplicated + d.reordered + d.unexpected
  return (
    direction(integrity.visitorToAgent) +
    direction(integrity.agentToVisitor) +
    integrity.conflictingRedeliveries +
    integrity.seqGaps +
    integrity.endedNotLast +
    integrity.strayDeliveries
  )
}
