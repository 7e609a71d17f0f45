// The consumer under test: the hop server's real Live Agent client and ChatSession, pointed at a scripted proxy in
// front of the Pact mock server. The session decides every ack, pc and sequence itself, from its own cursor; the
// tests only start it, feed it visitor posts and watch what it sent.
import {
  ChatSession,
  LiveAgentClient,
  openChat,
  type LiveAgentEvent,
  type SessionCursor,
  type SessionOutcome,
} from '@liveagent-hop/hop-server/live-agent'
import { eventually } from '../support/eventually.js'
import { HttpProxy, type ProxiedRequest, type Router } from '../support/http-proxy.js'
import { EXAMPLE, LIVE_AGENT_IDS } from './contract.js'

/** Fast retries: the contract does not care about pacing, and a lost answer should be retried at once. */
const TEST_BACKOFF = { initialDelayMs: 20, maxDelayMs: 100 }

export type LiveAgentClientClass = new (options: ConstructorParameters<typeof LiveAgentClient>[0]) => LiveAgentClient

export interface ChatUnderTestOptions {
  /** What the proxy does with each request (default: forward everything). */
  routes?: Router
  /** A deliberately broken client, for the tests that prove the contract catches one. */
  clientClass?: LiveAgentClientClass
  /** Sees every cursor the session persists (after the write). */
  onCursor?: (cursor: SessionCursor) => void
}

export class ChatUnderTest {
  readonly events: LiveAgentEvent[] = []
  private session: ChatSession | undefined
  private outcomePromise: Promise<SessionOutcome> | undefined

  private constructor(
    readonly proxy: HttpProxy,
    readonly client: LiveAgentClient
  ) {}

  /** Opens a chat (SessionId) through a proxy in front of `providerUrl` and runs its session. */
  static async open(providerUrl: string, options: ChatUnderTestOptions = {}): Promise<ChatUnderTest> {
    const proxy = await HttpProxy.start(providerUrl, options.routes)
    const Client = options.clientClass ?? LiveAgentClient
    const chat = new ChatUnderTest(proxy, new Client({ endpoint: `${proxy.url}/chat`, apiVersion: EXAMPLE.apiVersion }))
    try {
      await chat.start(options.onCursor)
    } catch (error) {
      await chat.close()
      throw error
    }
    return chat
  }

  get cursor(): SessionCursor {
    return this.runningSession.cursor
  }

  get outcome(): Promise<SessionOutcome> {
    if (!this.outcomePromise) throw new Error('the chat was not started')
    return this.outcomePromise
  }

  get runningSession(): ChatSession {
    if (!this.session) throw new Error('the chat was not started')
    return this.session
  }

  eventTypes(): string[] {
    return this.events.map((event) => event.type)
  }

  /** Resolves once ChatEstablished was handled (posts other than ChasitorInit may go out from then on). */
  established(): Promise<true> {
    return eventually('ChatEstablished', () => this.cursor.established)
  }

  /** `[ack, pc]` of every Messages poll the client sent, in order. */
  polls(): [string | null, string | null][] {
    return this.proxy.requestsTo('System/Messages').map((r) => [r.query.get('ack'), r.query.get('pc')])
  }

  /** X-LIVEAGENT-SEQUENCE of every request to the resource, in order (undefined: the header was absent). */
  sequencesOf(resource: string): (string | undefined)[] {
    return this.proxy.requestsTo(resource).map((r) => header(r, 'x-liveagent-sequence'))
  }

  async stop(): Promise<void> {
    await this.session?.stop()
  }

  async close(): Promise<void> {
    await this.stop()
    this.client.close()
    await this.proxy.close()
  }

  private async start(onCursor: ((cursor: SessionCursor) => void) | undefined): Promise<void> {
    const cursor = await openChat(this.client, {
      ...LIVE_AGENT_IDS,
      visitorName: EXAMPLE.visitor.name,
      userAgent: EXAMPLE.visitor.userAgent,
      screenResolution: EXAMPLE.visitor.screenResolution,
      prechatDetails: [{ ...EXAMPLE.prechatDetail, transcriptFields: [...EXAMPLE.prechatDetail.transcriptFields] }],
    })
    this.session = new ChatSession({
      client: this.client,
      cursor,
      hooks: {
        onBatch: async (events, next) => {
          this.events.push(...events)
          onCursor?.(next)
        },
        onCursor: async (next) => onCursor?.(next),
      },
      minChatMessageGapMs: 0,
      abortedPollGraceMs: 0,
      backoff: TEST_BACKOFF,
    })
    this.outcomePromise = this.session.run()
  }
}

export function header(request: ProxiedRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** A route: the Messages polls from this `pc` on are held open, as a server with nothing to say holds them. */
export function holdPollsFrom(pc: number): (request: ProxiedRequest) => boolean {
  return (request) => request.path.endsWith('System/Messages') && Number(request.query.get('pc')) >= pc
}
