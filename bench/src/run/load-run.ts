// One load run against one bridge (the hop server or the naive baseline): open N hand-offs at a steady rate,
// let the mock's agent accept each, hold them idle (memory and polling cost of an open chat), exchange M
// messages both ways with think times, end every chat (half by the visitor, half by the agent), then collect
// what arrived. The same engine serves the chaos runs, which add their disturbances through the hooks.
import type { AgentConsole } from '../http/agent-console.js'
import { MockAdminError, type MockChat, type MockStats } from '../http/mock-admin.js'
import type { ChatTarget, TargetApi } from '../http/target-api.js'
import { HttpRequestError } from '../http/json-client.js'
import { Progress } from '../report/progress.js'
import type { ChatLedger, EndBy, Ledger, SentMessage } from './ledger.js'
import { forEachLimited, sleep, think } from './timing.js'

export interface LoadRunOptions {
  label: string
  chats: number
  messages: number
  thinkMs: readonly [number, number]
  /** New hand-offs per second during the ramp. */
  rampPerSec: number
  /** How long every chat stays open and idle before the exchange (0: no idle window). */
  idleMs: number
  runTag: string
  webhookUrl: string
  /** The create-chat target (backend and its fields) of the chat whose visitor is called `visitorName`. */
  targetFor(visitorName: string): ChatTarget
  /** The API client chat `index` talks to (replicas: several). */
  apiFor(index: number): TargetApi
  /** The agent side: the simulator's admin API of the backend under test. */
  admin: AgentConsole
  ledger: Ledger
  joinTimeoutMs: number
  endTimeoutMs: number
  /**
   * Whoever ends the chat has read the other side's last message first (default true), as people do: the visitor
   * waits for the agent's last message at the webhook, the agent for the visitor's last one in the mock. With
   * false they end right after the exchange, racing messages still on their way.
   */
  readBeforeEnd?: boolean
  /** Who ends chat `index` (default: the visitor for even indexes, the agent for odd ones). */
  endByFor?(index: number): EndBy
  /** Expires the guest token of the chat's conversation (needed when endByFor answers 'token-expiry'). */
  expireToken?(sessionId: string): Promise<void>
  progress: boolean
  hooks?: RunHooks
  /** Takes a resource sample at a phase mark and returns its time (default: Date.now()). */
  sampleAt?(): number
  /** Called at each phase mark, after the sample (e.g. to read the bridge's own metrics). */
  onMark?(mark: Mark): Promise<void>
}

export interface RunHooks {
  beforeRamp?(): void
  beforeExchange?(): void
  afterExchange?(): Promise<void> | void
  afterEnd?(): Promise<void> | void
}

export type Mark =
  'start' | 'rampEnd' | 'joined' | 'idleStart' | 'idleEnd' | 'exchangeStart' | 'exchangeEnd' | 'ended' | 'settled'

export interface LoadRunOutcome {
  marks: Partial<Record<Mark, number>>
  /** Messages polls the mock had answered at each mark. */
  pollsAt: Partial<Record<Mark, number>>
  mockChats: Map<string, MockChat>
  mockStats: MockStats
  /** Chats that did not get through a phase, by reason. */
  failures: Record<string, number>
}

const CREATE_IN_FLIGHT = 200
const ACCEPT_IN_FLIGHT = 64
const DISCOVER_EVERY_MS = 1000
const SETTLE_TIMEOUT_MS = 15_000
const SETTLE_POLL_MS = 1000
const READ_POLL_MS = 500
const ACCEPTED = 202
const CREATED = [200, 201]

export class LoadRun {
  private readonly marks: LoadRunOutcome['marks'] = {}
  private readonly pollsAt: LoadRunOutcome['pollsAt'] = {}
  private readonly failures: Record<string, number> = {}
  private phase = 'starting'
  private rampDone = false
  private readonly progress: Progress

  constructor(private readonly options: LoadRunOptions) {
    const { ledger } = options
    this.progress = new Progress(() => this.progressLine(ledger), options.progress)
  }

  async run(): Promise<LoadRunOutcome> {
    const { options } = this
    const { ledger } = options
    for (let index = 0; index < options.chats; index++) {
      ledger.add(
        index,
        `${options.runTag}-${index}`,
        options.endByFor?.(index) ?? (index % 2 === 0 ? 'visitor' : 'agent')
      )
    }
    this.progress.start()
    try {
      await this.mark('start')
      options.hooks?.beforeRamp?.()
      this.phase = 'ramp'
      await Promise.all([this.ramp(), this.discoverAndAccept()])
      this.phase = 'join'
      await Promise.all(ledger.chats.filter((chat) => chat.chatId).map((chat) => this.awaitJoined(chat)))
      await this.mark('joined')
      if (options.idleMs > 0) {
        this.phase = 'idle'
        await this.mark('idleStart')
        await sleep(options.idleMs)
        await this.mark('idleEnd')
      }
      this.phase = 'exchange'
      await this.mark('exchangeStart')
      options.hooks?.beforeExchange?.()
      const open = ledger.chats.filter((chat) => chat.joinedAt !== undefined)
      await Promise.all(open.map((chat) => this.exchange(chat)))
      await this.mark('exchangeEnd')
      await options.hooks?.afterExchange?.()
      this.phase = 'end'
      await Promise.all(open.map((chat) => this.end(chat)))
      await options.hooks?.afterEnd?.()
      await this.mark('ended')
      this.phase = 'settle'
      const mockChats = await this.settle()
      await this.mark('settled')
      return {
        marks: this.marks,
        pollsAt: this.pollsAt,
        mockChats,
        mockStats: await options.admin.stats(),
        failures: this.failures,
      }
    } finally {
      this.progress.stop()
    }
  }

  note(message: string): void {
    this.progress.note(message)
  }

  private async mark(mark: Mark): Promise<void> {
    this.marks[mark] = this.options.sampleAt?.() ?? Date.now()
    await this.options.onMark?.(mark)
    const stats = await this.options.admin.stats().catch(() => undefined)
    if (stats) this.pollsAt[mark] = stats.requests.Messages ?? 0
  }

  private fail(chat: ChatLedger, reason: string): void {
    chat.failures.push(reason)
    this.failures[reason] = (this.failures[reason] ?? 0) + 1
  }

  // ---------------------------------------------------------------------------------------------- phases

  private async ramp(): Promise<void> {
    const { options } = this
    const started = Date.now()
    let inFlight = 0
    const creations: Promise<void>[] = []
    for (const chat of options.ledger.chats) {
      const due = started + (chat.index * 1000) / options.rampPerSec
      if (due > Date.now()) await sleep(due - Date.now())
      while (inFlight >= CREATE_IN_FLIGHT) await sleep(5)
      inFlight++
      creations.push(this.create(chat).finally(() => inFlight--))
    }
    await Promise.all(creations)
    this.rampDone = true
    await this.mark('rampEnd')
  }

  private async create(chat: ChatLedger): Promise<void> {
    try {
      const response = await this.options.apiFor(chat.index).createChat({
        conversationId: chat.conversationId,
        webhookUrl: this.options.webhookUrl,
        visitorName: chat.conversationId,
        ...this.options.targetFor(chat.conversationId),
      })
      if (CREATED.includes(response.status) && typeof response.body.chatId === 'string') {
        this.options.ledger.bindChatId(chat, response.body.chatId)
      } else {
        this.fail(chat, `create answered ${response.status}`)
      }
    } catch (error) {
      this.fail(chat, `create failed: ${describe(error)}`)
    }
  }

  /** Finds each new chat in the mock (by visitor name) and has its agent accept it. */
  private async discoverAndAccept(): Promise<void> {
    const { options } = this
    const { ledger, admin } = options
    let deadline = Number.POSITIVE_INFINITY
    for (;;) {
      const toAccept: { chat: ChatLedger; sessionId: string }[] = []
      try {
        for (const mockChat of await admin.chats()) {
          const chat = ledger.byConversationId(mockChat.visitorName)
          if (!chat || chat.sessionId) continue
          chat.sessionId = mockChat.id
          if (mockChat.state === 'waiting' || mockChat.state === 'queued')
            toAccept.push({ chat, sessionId: mockChat.id })
        }
      } catch (error) {
        this.note(`listing the mock chats failed (${describe(error)}); retrying`)
      }
      await forEachLimited(toAccept, ACCEPT_IN_FLIGHT, async ({ chat, sessionId }) => {
        await admin.accept(sessionId).catch((error: unknown) => this.fail(chat, `accept failed: ${describe(error)}`))
      })
      const missing = ledger.chats.filter((chat) => chat.chatId && !chat.sessionId)
      if (this.rampDone && missing.length === 0) return
      if (this.rampDone && deadline === Number.POSITIVE_INFINITY) deadline = Date.now() + options.joinTimeoutMs
      if (Date.now() > deadline) {
        for (const chat of missing) this.fail(chat, 'never reached the mock')
        return
      }
      await sleep(DISCOVER_EVERY_MS)
    }
  }

  private async awaitJoined(chat: ChatLedger): Promise<void> {
    if (!chat.sessionId) return
    const joined = await this.options.ledger.waitFor(chat, (c) => c.joinedAt !== undefined, this.options.joinTimeoutMs)
    if (!joined) this.fail(chat, 'agent.joined never arrived')
  }

  private async exchange(chat: ChatLedger): Promise<void> {
    const { options } = this
    for (let k = 1; k <= options.messages; k++) {
      await sleep(think(options.thinkMs))
      if (chat.ended || !(await this.sendVisitor(chat, k))) return
      await sleep(think(options.thinkMs))
      if (chat.ended || !(await this.sendAgent(chat, k))) return
    }
  }

  private async sendVisitor(chat: ChatLedger, k: number): Promise<boolean> {
    const text = `v${k} ${chat.conversationId}`
    const sentAt = Date.now()
    const message: SentMessage = { k, text, sentAt, accepted: false, attempts: 0 }
    chat.visitor.push(message)
    this.options.ledger.counts.visitorSent++
    try {
      const response = await this.options
        .apiFor(chat.index)
        .sendMessage(chat.chatId!, `${chat.conversationId}-v${k}`, text)
      message.attempts = response.attempts
      message.accepted = response.status === ACCEPTED
      if (!message.accepted) message.error = `answered ${response.status}`
    } catch (error) {
      message.error = describe(error)
    }
    if (message.error) this.fail(chat, `visitor message ${message.error}`)
    return message.accepted
  }

  private async sendAgent(chat: ChatLedger, k: number): Promise<boolean> {
    const text = `a${k} ${chat.conversationId}`
    const message: SentMessage = { k, text, sentAt: Date.now(), accepted: false, attempts: 1 }
    chat.agent.push(message)
    this.options.ledger.counts.agentSent++
    try {
      await this.options.admin.message(chat.sessionId!, text)
      message.accepted = true
    } catch (error) {
      message.error = describe(error)
      this.fail(chat, `agent message ${message.error}`)
    }
    return message.accepted
  }

  private async end(chat: ChatLedger): Promise<void> {
    const { options } = this
    if (chat.endBy === 'token-expiry') return this.expire(chat)
    if (options.readBeforeEnd !== false && !(await this.readLastMessage(chat, chat.endBy))) {
      this.fail(
        chat,
        `the ${chat.endBy === 'visitor' ? 'agent' : 'visitor'}'s last message never arrived before the end`
      )
    }
    await sleep(think(options.thinkMs))
    if (!chat.ended) {
      try {
        if (chat.endBy === 'visitor') {
          const response = await options.apiFor(chat.index).end(chat.chatId!)
          if (response.status !== ACCEPTED) this.fail(chat, `end answered ${response.status}`)
        } else {
          await options.admin.end(chat.sessionId!)
        }
      } catch (error) {
        this.fail(chat, `end failed: ${describe(error)}`)
      }
    }
    const ended = await options.ledger.waitFor(chat, (c) => c.ended !== undefined, options.endTimeoutMs)
    if (!ended) this.fail(chat, 'chat.ended never arrived')
  }

  /**
   * The guest token expires once both sides have each other's last message (a message in flight at the expiry
   * cannot be delivered by anyone: that is Salesforce's behaviour, not a bridge's loss); the hop server must then
   * end the chat with a reason.
   */
  private async expire(chat: ChatLedger): Promise<void> {
    const { options } = this
    const read = (await this.readLastMessage(chat, 'visitor')) && (await this.readLastMessage(chat, 'agent'))
    if (!read) this.fail(chat, 'the last messages never arrived before the token expiry')
    if (!options.expireToken) throw new Error('a token-expiry chat needs LoadRunOptions.expireToken')
    try {
      await options.expireToken(chat.sessionId!)
    } catch (error) {
      this.fail(chat, `token expiry failed: ${describe(error)}`)
    }
    const ended = await options.ledger.waitFor(chat, (c) => c.ended !== undefined, options.endTimeoutMs)
    if (!ended) this.fail(chat, 'chat.ended never arrived after the token expiry')
  }

  /** Waits until `reader` (the side that ends the chat) has the other side's last accepted message. */
  private async readLastMessage(chat: ChatLedger, reader: 'visitor' | 'agent'): Promise<boolean> {
    const { options } = this
    const from = reader === 'visitor' ? chat.agent : chat.visitor
    const last = from.filter((message) => message.accepted).at(-1)?.text
    if (!last) return true
    if (reader === 'visitor') {
      const seen = (c: ChatLedger) => c.deliveries.some((delivery) => delivery.text === last)
      return options.ledger.waitFor(chat, seen, options.endTimeoutMs)
    }
    const deadline = Date.now() + options.endTimeoutMs
    while (Date.now() < deadline) {
      const mockChat = await options.admin.chat(chat.sessionId!).catch(() => undefined)
      if (mockChat?.transcript.some((entry) => entry.from === 'visitor' && entry.text === last)) return true
      if (mockChat?.state === 'ended') return false
      await sleep(READ_POLL_MS)
    }
    return false
  }

  /** The mock's view of every chat, re-read until every accepted visitor message is there (or time is up). */
  private async settle(): Promise<Map<string, MockChat>> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS
    for (;;) {
      const mockChats = new Map((await this.options.admin.chats()).map((chat) => [chat.id, chat]))
      const complete = this.options.ledger.chats.every((chat) => {
        const mock = chat.sessionId ? mockChats.get(chat.sessionId) : undefined
        const arrived = new Set(mock?.transcript.map((entry) => entry.text))
        return chat.visitor.every((message) => !message.accepted || arrived.has(message.text))
      })
      if (complete || Date.now() > deadline) return mockChats
      await sleep(SETTLE_POLL_MS)
    }
  }

  private progressLine(ledger: Ledger): { label: string; done: number; total: number; detail: string } {
    const { counts } = ledger
    const n = this.options.chats
    const perPhase: Record<string, [number, number]> = {
      ramp: [counts.created, n],
      join: [counts.joined, counts.created],
      idle: [Date.now() - (this.marks.idleStart ?? Date.now()), this.options.idleMs],
      exchange: [counts.visitorSent + counts.agentSent, 2 * this.options.messages * counts.joined],
      end: [counts.ended, counts.joined],
      settle: [1, 1],
    }
    const [done, total] = perPhase[this.phase] ?? [0, 1]
    return {
      label: `${this.options.label} ${this.phase}`,
      done,
      total,
      detail:
        `chats ${counts.created}/${n} joined ${counts.joined} ended ${counts.ended}  ` +
        `msgs v→a ${counts.visitorSent} a→v ${counts.agentReceived}/${counts.agentSent}`,
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof HttpRequestError) return `network error ${error.code ?? error.message}`
  if (error instanceof MockAdminError) return `mock ${error.status} ${error.message}`
  return (error as Error).message
}
