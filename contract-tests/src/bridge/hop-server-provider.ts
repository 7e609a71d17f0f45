// The bridge provider under verification: the real hop server (SQLite in a temp dir, one test tenant) with the mock
// Live Agent and Enhanced Chat simulator behind it and a recorder as its webhook receiver. Provider states are set up through the hop server's
// own signed API and the mock's agent-side admin handle; webhook payloads are recorded from real deliveries.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signRequest, startHopServer, type HopServer } from '@liveagent-hop/hop-server'
import { HopTestClient, loopbackTargetsOf } from '@liveagent-hop/hop-server/testing'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import { LIVE_AGENT_IDS } from '../live-agent/contract.js'
import { eventually } from '../support/eventually.js'
import { STATE_SETUP_PATH, type RequestFilter } from '../verification.js'
import {
  BRIDGE_STATE,
  EXAMPLE,
  TENANT,
  WEBHOOK_EVENT,
  type BridgeState,
  type MessageAcceptedParams,
  type WebhookEventDescription,
} from './contract.js'

/** Short timings so states settle fast; every one is a named knob of the hop server. */
const FAST_TIMINGS = {
  leases: { ttlMs: 1500, renewMs: 400, scanMs: 250 },
  webhooks: { backoffBaseMs: 50, backoffMaxMs: 400, timeoutMs: 2000 },
  pump: { transcriptPaceMs: 30, visitorMessageGapMs: 10, liveAgentRetryBudgetMs: 2000 },
}
/** The mock answers an empty poll after this long. */
const MOCK_HOLD_MS = 200

export interface RecordedWebhook {
  headers: IncomingHttpHeaders
  body: string
  event: { chatId: string; type: string; seq: number; data: Record<string, unknown> }
}

/** The integration's stand-in for recording: answers every delivery 200 and keeps the raw body and headers. */
export class WebhookRecorder {
  readonly deliveries: RecordedWebhook[] = []

  private readonly server: Server

  private constructor() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const body = Buffer.concat(chunks).toString('utf8')
      this.deliveries.push({ headers: req.headers, body, event: JSON.parse(body) as RecordedWebhook['event'] })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"outcome":"applied"}')
    })
  }

  static async start(): Promise<WebhookRecorder> {
    const recorder = new WebhookRecorder()
    await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', resolve))
    return recorder
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`
  }

  /** The first delivery of `type` for the chat, once it arrived. */
  waitFor(chatId: string, type: string): Promise<RecordedWebhook> {
    return eventually(`a ${type} webhook of ${chatId}`, () =>
      this.deliveries.find((d) => d.event.chatId === chatId && d.event.type === type)
    )
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

type StateHandler = (params?: unknown) => Promise<Record<string, string> | undefined>

export class BridgeProvider {
  private conversations = 0

  private constructor(
    readonly hop: HopServer,
    readonly mock: MockServer,
    readonly recorder: WebhookRecorder,
    private readonly dataDir: string,
    readonly api: HopTestClient
  ) {}

  static async start(): Promise<BridgeProvider> {
    const dataDir = mkdtempSync(join(tmpdir(), 'contract-hop-'))
    const mock = await startMockServer({ scenario: 'manual', holdMs: MOCK_HOLD_MS, ...mockIds() })
    const recorder = await WebhookRecorder.start()
    const hop = await startHopServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      dataDir,
      tenants: { [TENANT.id]: TENANT.secret },
      // The mock Live Agent and the recorder are the only loopback targets.
      security: { loopbackTargets: loopbackTargetsOf(mock.url, recorder.url) },
      ...FAST_TIMINGS,
    })
    return new BridgeProvider(hop, mock, recorder, dataDir, new HopTestClient(hop.url, TENANT.id, TENANT.secret))
  }

  get liveAgentEndpoint(): string {
    return `${this.mock.url}/chat`
  }

  /** The simulator's SCRT2 URL (it serves Enhanced Chat too). */
  get scrtUrl(): string {
    return this.mock.url
  }

  /** A new conversation: its id, and where its chat's webhooks and Live Agent or Enhanced Chat calls go. */
  newConversation(): { conversationId: string; webhookUrl: string; liveAgentEndpoint: string; scrtUrl: string } {
    this.conversations += 1
    return {
      conversationId: `conv_contract_${Date.now()}_${this.conversations}`,
      webhookUrl: this.recorder.url,
      liveAgentEndpoint: this.liveAgentEndpoint,
      scrtUrl: this.scrtUrl,
    }
  }

  /** Sets the simulated deployment's business hours through its admin API. */
  async setBusinessHours(mode: 'none' | 'open' | 'closed'): Promise<void> {
    const response = await fetch(`${this.mock.url}/__admin/enhanced/business-hours`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode }),
    })
    if (response.status !== 200) throw new Error(`state setup: business hours answered ${response.status}`)
  }

  /** Creates a chat through the API; resolves with its id and the mock's chat id once Live Agent has it. */
  async createChat(conversation = this.newConversation()): Promise<{ chatId: string; liveAgentChatId: string }> {
    const visitorName = `${EXAMPLE.visitor.name} ${conversation.conversationId}`
    const created = await this.api.createChat({
      conversationId: conversation.conversationId,
      webhookUrl: conversation.webhookUrl,
      liveAgent: { ...EXAMPLE.liveAgent, endpoint: conversation.liveAgentEndpoint },
      visitor: { name: visitorName, language: EXAMPLE.visitor.language },
    })
    if (created.status !== 201) throw new Error(`state setup: create chat answered ${created.status}`)
    const chatId = created.body.chatId as string
    const liveAgentChat = await this.mock.admin.waitForChat((c) => c.visitorName === visitorName)
    return { chatId, liveAgentChatId: liveAgentChat.id }
  }

  async waitForState(chatId: string, state: string): Promise<void> {
    await eventually(`chat ${chatId} to be ${state}`, async () => (await this.api.status(chatId)).body.state === state)
  }

  stateHandlers(): Record<BridgeState, StateHandler> {
    return {
      [BRIDGE_STATE.noChat]: async () => this.newConversation(),
      [BRIDGE_STATE.openChat]: async () => {
        const conversation = this.newConversation()
        const { chatId } = await this.createChat(conversation)
        return { ...conversation, chatId }
      },
      [BRIDGE_STATE.waiting]: async () => {
        const { chatId } = await this.createChat()
        await this.waitForState(chatId, 'queued')
        return { chatId }
      },
      [BRIDGE_STATE.messageAccepted]: async (params) => {
        const { messageId } = params as MessageAcceptedParams
        const { chatId } = await this.createChat()
        const sent = await this.api.sendMessage(chatId, messageId, EXAMPLE.visitorText)
        if (sent.status !== 202) throw new Error(`state setup: the first message answered ${sent.status}`)
        return { chatId }
      },
      [BRIDGE_STATE.agentJoined]: async () => {
        const { chatId, liveAgentChatId } = await this.createChat()
        this.mock.admin.accept(liveAgentChatId, { agentName: EXAMPLE.agent.name })
        await this.waitForState(chatId, 'agent')
        return { chatId }
      },
      [BRIDGE_STATE.ended]: async () => {
        const { chatId } = await this.createChat()
        const ended = await this.api.end(chatId)
        if (ended.status !== 202) throw new Error(`state setup: end answered ${ended.status}`)
        return { chatId }
      },
      [BRIDGE_STATE.available]: async () => {
        this.mock.admin.setAvailability(true)
        return { liveAgentEndpoint: this.liveAgentEndpoint }
      },
      [BRIDGE_STATE.outsideBusinessHours]: async () => {
        await this.setBusinessHours('closed')
        return { scrtUrl: this.scrtUrl }
      },
      [BRIDGE_STATE.noSuchDeployment]: async () => ({ scrtUrl: this.scrtUrl }),
      [BRIDGE_STATE.noSuchChat]: async () => undefined,
      [BRIDGE_STATE.unknownTenant]: async () => undefined,
    }
  }

  /**
   * Plays two chats through the hop server and records one real delivery of each webhook event the contract has:
   * queued, agent joined, typing, message, transfer, ended by the agent; then a chat no agent can take.
   */
  async recordEachWebhookEvent(): Promise<Record<WebhookEventDescription, RecordedWebhook>> {
    const { admin } = this.mock
    const { chatId, liveAgentChatId } = await this.createChat()
    const queued = await this.recorder.waitFor(chatId, 'chat.queued')
    admin.accept(liveAgentChatId, { agentName: EXAMPLE.agent.name })
    const joined = await this.recorder.waitFor(chatId, 'agent.joined')
    admin.agentTyping(liveAgentChatId, true)
    const typing = await this.recorder.waitFor(chatId, 'agent.typing')
    admin.agentMessage(liveAgentChatId, EXAMPLE.agentText)
    const message = await this.recorder.waitFor(chatId, 'agent.message')
    admin.transfer(liveAgentChatId, EXAMPLE.otherAgent.name)
    const transferred = await this.recorder.waitFor(chatId, 'chat.transferred')
    admin.endChat(liveAgentChatId, 'agent')
    const endedByAgent = await this.recorder.waitFor(chatId, 'chat.ended')

    admin.setAvailability(false)
    try {
      const unserved = await this.createChat()
      const endedNoAgent = await this.recorder.waitFor(unserved.chatId, 'chat.ended')
      return {
        [WEBHOOK_EVENT.queued]: queued,
        [WEBHOOK_EVENT.agentJoined]: joined,
        [WEBHOOK_EVENT.agentTyping]: typing,
        [WEBHOOK_EVENT.agentMessage]: message,
        [WEBHOOK_EVENT.transferred]: transferred,
        [WEBHOOK_EVENT.endedByAgent]: endedByAgent,
        [WEBHOOK_EVENT.endedNoAgent]: endedNoAgent,
      }
    } finally {
      admin.setAvailability(true)
    }
  }

  /**
   * The verifier replays the consumer's example signatures, which are stale and were made with no real secret.
   * This signs each request of the configured tenant afresh, over its method, its path and query as forwarded and
   * the exact bytes the verifier's proxy forwards (JSON it re-serialises). Requests of other tenants pass untouched:
   * the hop server must refuse them.
   */
  resigningFilter(): RequestFilter {
    let lastTimestamp = 0
    return (req, _res, next) => {
      const tenant = req.headers['x-hop-tenant']
      if (req.url?.startsWith(STATE_SETUP_PATH) || tenant !== TENANT.id) return next()
      const rawBody = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body)
      // Distinct timestamps, so two identical requests in one millisecond never carry the same (replayed) signature.
      lastTimestamp = Math.max(Date.now(), lastTimestamp + 1)
      const signed = { method: req.method ?? 'GET', target: req.url ?? '/', rawBody }
      Object.assign(req.headers, signRequest(TENANT.id, TENANT.secret, signed, lastTimestamp))
      if (rawBody.length > 0) req.headers['content-length'] = String(Buffer.byteLength(rawBody))
      next()
    }
  }

  async close(): Promise<void> {
    await this.hop.close()
    await this.recorder.close()
    await this.mock.close()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

function mockIds() {
  return {
    orgId: LIVE_AGENT_IDS.organizationId,
    deploymentId: LIVE_AGENT_IDS.deploymentId,
    buttonId: LIVE_AGENT_IDS.buttonId,
    esDeveloperName: EXAMPLE.enhancedChat.esDeveloperName,
  }
}
