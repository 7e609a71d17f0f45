// Provider states of the Live Agent contract, set up on the mock server: each handler opens a fresh session through
// the mock's own chasitor API (as a visitor would), drives it to the state the contract names with the agent-side
// admin handle, and returns the session's key, affinity token and id for the verifier to inject. A state that
// cannot be reached exactly throws, so the interaction fails in setup rather than passing by accident.
import type { MockServer } from '@liveagent-hop/mock-server'
import {
  EXAMPLE,
  LIVE_AGENT_IDS,
  STATE,
  type AcceptedParams,
  type DeliveredParams,
  type LiveAgentState,
  type SessionValues,
} from './contract.js'

interface SessionIdBody {
  id: string
  key: string
  affinityToken: string
}

interface Batch {
  messages: { type: string }[]
  sequence: number
  offset: number
}

type StateHandler = (params?: unknown) => Promise<Record<string, string> | undefined>

/** A visitor driving the mock over raw HTTP: the test picks every header, ack and sequence number itself. */
export class MockVisitor {
  private session: SessionIdBody | undefined
  private affinity = 'null'
  private lastOffset = 0
  /** Event sequence numbers 0 (ChatRequestSuccess) and 1 (ChatEstablished) once the chat is established. */
  private delivered = -1

  constructor(private readonly mock: MockServer) {}

  get id(): string {
    return this.required.id
  }

  /** The values the contract's provider-state expressions refer to, as the mock sees the session now. */
  get values(): SessionValues {
    const accepted = this.mock.admin.chat(this.id)?.lastSequence ?? 0
    return {
      sessionId: this.required.id,
      sessionKey: this.required.key,
      affinityToken: this.affinity,
      lastSequence: String(this.delivered),
      offset: String(this.lastOffset),
      lastAcceptedSequence: String(accepted),
      nextSequence: String(accepted + 1),
      skippedSequence: String(accepted + 2),
    }
  }

  /** SessionId. */
  async create(): Promise<this> {
    const res = await this.request('GET', 'System/SessionId', { 'X-LIVEAGENT-AFFINITY': 'null' })
    this.session = JSON.parse(await expectStatus(res, 200, 'SessionId')) as SessionIdBody
    this.affinity = this.session.affinityToken
    return this
  }

  /** SessionId, ChasitorInit (sequence 1): ChatRequestSuccess is pending as event 0. */
  async requestChat(): Promise<this> {
    await this.create()
    await this.post('ChasitorInit', 1, { ...LIVE_AGENT_IDS, sessionId: this.id, visitorName: EXAMPLE.visitor.name })
    return this
  }

  /** …then the agent accepts: ChatEstablished is event 1. */
  async establish(): Promise<this> {
    await this.requestChat()
    this.mock.admin.accept(this.id, { agentName: EXAMPLE.agent.name })
    return this
  }

  /** Polls (with pending events only: never held) until the client has received sequence `lastSequence`. */
  async deliverUpTo(lastSequence: number): Promise<this> {
    while (this.delivered < lastSequence) {
      const res = await this.request('GET', `System/Messages?ack=${this.delivered}`)
      const batch = JSON.parse(await expectStatus(res, 200, 'Messages')) as Batch
      this.delivered = batch.sequence
      this.lastOffset = batch.offset
    }
    if (this.delivered !== lastSequence)
      throw new Error(`cannot stop at sequence ${lastSequence}: the batch ran to ${this.delivered}`)
    return this
  }

  /** An agent message per sequence number still missing, each polled at once: the client has seen `lastSequence`. */
  async establishAndDeliver(lastSequence: number): Promise<this> {
    await this.establish()
    await this.deliverUpTo(Math.min(lastSequence, 1))
    for (let next = 2; next <= lastSequence; next++) {
      this.mock.admin.agentMessage(this.id, `${EXAMPLE.agentText} (${next})`)
      await this.deliverUpTo(next)
    }
    return this
  }

  /** Sequenced visitor POSTs 2…n (ChasitorInit was 1): the server has accepted up to `lastAccepted`. */
  async acceptPostsUpTo(lastAccepted: number): Promise<this> {
    for (let sequence = 2; sequence <= lastAccepted; sequence++) {
      await this.post('ChatMessage', sequence, { text: `${EXAMPLE.visitorText} (${sequence})` })
    }
    const accepted = this.mock.admin.chat(this.id)?.lastSequence
    if (accepted !== lastAccepted) throw new Error(`the mock accepted up to ${accepted}, not ${lastAccepted}`)
    return this
  }

  /** The server hands the session over: the next request (a poll here) answers 503. */
  async handOver(): Promise<this> {
    this.mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: this.id })
    const res = await this.request('GET', `System/Messages?ack=${this.delivered}`)
    await expectStatus(res, 503, 'Messages during a hand-over')
    return this
  }

  /** ReconnectSession with the last offset and affinity `null`: the new affinity token from now on. */
  async reconnect(): Promise<this> {
    const res = await this.request('GET', `System/ReconnectSession?ReconnectSession.offset=${this.lastOffset}`, {
      'X-LIVEAGENT-AFFINITY': 'null',
    })
    const body = JSON.parse(await expectStatus(res, 200, 'ReconnectSession')) as {
      messages: { message: { affinityToken: string } }[]
    }
    this.affinity = body.messages[0]!.message.affinityToken
    return this
  }

  /** ChasitorResyncState, no sequence header. */
  async resync(): Promise<this> {
    const res = await this.request(
      'POST',
      'Chasitor/ChasitorResyncState',
      { 'Content-Type': 'application/json' },
      JSON.stringify({ organizationId: LIVE_AGENT_IDS.organizationId })
    )
    await expectStatus(res, 200, 'ChasitorResyncState')
    return this
  }

  private async post(noun: string, sequence: number, body: object): Promise<void> {
    const res = await this.request(
      'POST',
      `Chasitor/${noun}`,
      { 'Content-Type': 'application/json', 'X-LIVEAGENT-SEQUENCE': String(sequence) },
      JSON.stringify(body)
    )
    await expectStatus(res, 200, noun)
  }

  private get required(): SessionIdBody {
    if (!this.session) throw new Error('no session yet: call create() first')
    return this.session
  }

  private request(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return fetch(`${this.mock.url}/chat/rest/${path}`, {
      method,
      headers: {
        'X-LIVEAGENT-API-VERSION': EXAMPLE.apiVersion,
        'X-LIVEAGENT-AFFINITY': this.affinity,
        ...(this.session ? { 'X-LIVEAGENT-SESSION-KEY': this.session.key } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    })
  }
}

async function expectStatus(res: Response, status: number, what: string): Promise<string> {
  const text = await res.text()
  if (res.status !== status) throw new Error(`state setup: ${what} answered ${res.status} (${text}), not ${status}`)
  return text
}

function delivered(params: unknown): number {
  const value = (params as Partial<DeliveredParams> | undefined)?.lastSequence
  if (!Number.isInteger(value)) throw new Error(`state parameter lastSequence missing: ${JSON.stringify(params)}`)
  return value!
}

function accepted(params: unknown): number {
  const value = (params as Partial<AcceptedParams> | undefined)?.lastAcceptedSequence
  if (!Number.isInteger(value))
    throw new Error(`state parameter lastAcceptedSequence missing: ${JSON.stringify(params)}`)
  return value!
}

/** One handler per state of the contract, all against `mock`. */
export function liveAgentStateHandlers(mock: MockServer): Record<LiveAgentState, StateHandler> {
  // Every state starts from an org where the button is available (the 'unavailable' state turns it off).
  const visitor = () => {
    mock.admin.setAvailability(true)
    return new MockVisitor(mock)
  }
  return {
    [STATE.online]: async () => {
      mock.admin.setAvailability(true)
      return undefined
    },
    [STATE.sessionCreated]: async () => (await visitor().create()).values,
    [STATE.chatAccepted]: async () => (await visitor().establish()).values,
    [STATE.nothingNew]: async (params) => (await visitor().establishAndDeliver(delivered(params))).values,
    [STATE.agentMessage]: async (params) => {
      const chat = await visitor().establishAndDeliver(delivered(params))
      mock.admin.agentMessage(chat.id, EXAMPLE.agentText)
      return chat.values
    },
    [STATE.agentEnded]: async (params) => {
      const chat = await visitor().establishAndDeliver(delivered(params))
      mock.admin.endChat(chat.id, 'agent')
      return chat.values
    },
    [STATE.postsAccepted]: async (params) => {
      const chat = await visitor().establishAndDeliver(1)
      return (await chat.acceptPostsUpTo(accepted(params))).values
    },
    [STATE.handoverStarting]: async (params) => {
      const chat = await visitor().establishAndDeliver(delivered(params))
      mock.admin.injectFault({ resource: 'Messages', kind: 'handover', sessionId: chat.id })
      return chat.values
    },
    [STATE.handoverPending]: async (params) =>
      (await (await visitor().establishAndDeliver(delivered(params))).handOver()).values,
    [STATE.reconnected]: async (params) =>
      (await (await (await visitor().establishAndDeliver(delivered(params))).handOver()).reconnect()).values,
    [STATE.sessionDataDelivered]: async (params) => {
      const chat = await (await (await visitor().establishAndDeliver(1)).handOver()).reconnect()
      return (await chat.deliverUpTo(delivered(params))).values
    },
    [STATE.resynced]: async (params) => {
      const chat = await (await (await visitor().establishAndDeliver(1)).handOver()).reconnect()
      return (await (await chat.deliverUpTo(delivered(params))).resync()).values
    },
    [STATE.expired]: async (params) => {
      const chat = await visitor().establishAndDeliver(delivered(params))
      mock.admin.expire(chat.id)
      return chat.values
    },
    [STATE.available]: async () => {
      mock.admin.setAvailability(true)
      return undefined
    },
    [STATE.unavailable]: async () => {
      mock.admin.setAvailability(false, LIVE_AGENT_IDS.buttonId)
      return undefined
    },
  }
}
