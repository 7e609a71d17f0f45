// A test double of Botpress's HITL plugin (plugins/hitl, 1.3.0 at 81e2bfdf; 1.4.2 behaves the same here), written
// from its behavioural specification. It is never kinder than the real plugin: it routes by the same rules, with
// the same default texts, including the rules that hurt (the first downstream sender becomes the agent, every
// hitlAssigned announces, anything posted while HITL is inactive is dropped). Citations are `file:line` under
// plugins/hitl/ of the plugin's sources; the texts and rules the playground's plugin follows too are the emulator's
// (botpress-emulator/src/hitl-plugin-rules.ts).
//
// Botpress is the emulator's in-memory BotpressStore: the "customer's conversation" (upstream) is a webchat
// conversation in it, the hand-off conversation (downstream) the one the integration's startHitl creates. What the integration creates
// (messages in the hand-off, hitlAssigned / hitlStopped events) reaches the plugin when `deliver()` runs, in creation
// order, as Botpress would hand it over after the integration's call returned.
import type { Event, Message } from '@botpress/client'
import {
  isCloseCommand,
  isSupportedType,
  noReplyEmail,
  PLUGIN_DEFAULT_TEXTS,
  textOf,
  UNKNOWN_USER,
  UNSUPPORTED_TYPE_TEXT,
  type PluginConfiguration,
  type PluginTextKey,
} from '@liveagent-hop/botpress-emulator'
import integration from '../../src/index.js'
import type * as bp from '../../src/bp.js'
import type { DirectHarness } from './harness.js'

export { PLUGIN_DEFAULT_TEXTS }

type Upstream = {
  conversationId: string
  customerUserId: string
  downstreamConversationId: string | null
  downstreamUserId: string | null
  active: boolean
  humanAgentId: string | null
  endReason: string | null
}

export class HitlPluginDouble {
  public readonly botUserId: string
  private readonly _handled = new Set<string>()
  private readonly _sessions = new Map<string, Upstream>()

  public constructor(
    private readonly _h: DirectHarness,
    private readonly _configuration: PluginConfiguration = {}
  ) {
    this.botUserId = _h.store.createUser({ name: 'Bot' }).user.id
  }

  /** A customer's conversation with the bot: a webchat conversation and its user. */
  public openConversation(name: string, tags: Record<string, string> = {}): Upstream {
    const { conversation } = this._h.store.createConversation({ channel: 'channel', integration: 'webchat' })
    const { user } = this._h.store.createUser({ name, tags })
    const session: Upstream = {
      conversationId: conversation.id,
      customerUserId: user.id,
      downstreamConversationId: null,
      downstreamUserId: null,
      active: false,
      humanAgentId: null,
      endReason: null,
    }
    this._sessions.set(conversation.id, session)
    return session
  }

  /** What the bot says before the hand-off (a message of any type, as the bot). */
  public botSays(session: Upstream, type: string, payload: Record<string, unknown>): Message {
    return this._postUpstream(session, type, payload)
  }

  /**
   * actions/start-hitl.ts:13-74: the hand-off message first (before anything can fail), the downstream user
   * (createUser, with a made-up email when there is none, user-linker.ts:84-87), the history of the upstream
   * conversation with every type as is, the integration's startHitl, then link and activate.
   */
  public async startHitl(session: Upstream, input: { title?: string; hitlSession?: Record<string, unknown> } = {}) {
    if (session.active) return
    this._respondUpstream(session, 'onHitlHandoffMessage')
    if (!session.downstreamUserId) {
      const customer = this._h.store.getUser({ id: session.customerUserId }).user
      const email = customer.tags.email ?? noReplyEmail(customer.id, this._h.store.botId)
      const { userId } = await this._h.createUser({ name: customer.name ?? UNKNOWN_USER, email })
      session.downstreamUserId = userId
    }
    const messageHistory = this._h.store.messages
      .filter((message) => message.conversationId === session.conversationId)
      .map((message) => ({
        source:
          message.direction === 'outgoing'
            ? { type: 'bot' as const }
            : { type: 'user' as const, userId: session.downstreamUserId! },
        type: message.type,
        payload: message.payload,
      }))
    const { conversationId } = await this._h.startHitl({
      userId: session.downstreamUserId,
      title: input.title ?? 'Hand-off',
      messageHistory: messageHistory as bp.ActionProps['startHitl']['input']['messageHistory'],
      ...(input.hitlSession ? { hitlSession: input.hitlSession } : {}),
    })
    session.downstreamConversationId = conversationId
    session.active = true
    session.humanAgentId = null
    session.endReason = null
  }

  /** hooks/before-incoming-message/all.ts:93-159 and :191-221: a customer's message while HITL may be active. */
  public async customerSays(session: Upstream, text: string, type = 'text', payload?: Record<string, unknown>) {
    const message = this._h.store.createMessage({
      conversationId: session.conversationId,
      userId: session.customerUserId,
      type,
      payload: payload ?? { text },
    }).message
    this._handled.add(message.id)
    if (!session.active) return 'bot'
    if (!isSupportedType(type)) {
      this._postUpstream(session, 'text', { text: UNSUPPORTED_TYPE_TEXT })
      return 'refused'
    }
    if (isCloseCommand(this._configuration, type, text)) {
      // all.ts:191-221: the cancelled text downstream as the bot, without userId; inactive; stopHitl; close text.
      await this._respondDownstream(session, 'onUserHitlCancelledMessage')
      this._deactivate(session, 'patient-used-termination-command')
      await this._h.stopHitl(session.downstreamConversationId!)
      this._respondUpstream(session, 'onUserHitlCloseMessage')
      return 'closed'
    }
    // all.ts:155-158, conv-manager.ts:88-148: copied downstream as the bot, payload + type + userId.
    await this._sendDownstream(session, type, { ...(payload ?? { text }), userId: session.downstreamUserId! })
    return 'forwarded'
  }

  /** human-agent-assigned-timeout.ts:7-98: the scheduled event arrives (the delay has elapsed). */
  public async assignedTimeout(session: Upstream) {
    if (session.humanAgentId) return 'ignored'
    if (!session.active) return 'ignored'
    await this._respondDownstream(session, 'onUserHitlCancelledMessage')
    this._deactivate(session, 'agent-assignment-timeout')
    await this._h.stopHitl(session.downstreamConversationId!)
    this._respondUpstream(session, 'onAgentAssignedTimeoutMessage')
    return 'timed_out'
  }

  /** Botpress hands the plugin what the integration created since the last delivery, in creation order. */
  public async deliver(): Promise<void> {
    for (;;) {
      const next = this._nextUndelivered()
      if (!next) return
      this._handled.add(next.id)
      if ('direction' in next) await this._onDownstreamMessage(next)
      else await this._onEvent(next)
    }
  }

  /** What the customer reads, in order: the bot's and the relayed messages of the upstream conversation. */
  public customerReads(session: Upstream): string[] {
    return this._h.store.messages
      .filter((message) => message.conversationId === session.conversationId && message.direction === 'outgoing')
      .map((message) => String(message.payload.text ?? `[${message.type}]`))
  }

  public isActive(session: Upstream): boolean {
    return session.active
  }

  /** all.ts:28-86: a message in the hand-off conversation, from the agent or anything the integration posts. */
  private async _onDownstreamMessage(message: Message) {
    const session = [...this._sessions.values()].find((s) => s.downstreamConversationId === message.conversationId)
    if (!session?.active) return // :33-36: dropped
    if (!isSupportedType(message.type)) {
      await this._respondDownstream(session, 'onIncompatibleMsgTypeMessage') // :57-66
      return
    }
    if (!session.humanAgentId) this._assignAgent(session, message.userId) // :75-82: the first sender is the agent
    this._postUpstream(session, message.type, message.payload) // :84
  }

  private async _onEvent(event: Event) {
    const conversationId = String(event.payload.conversationId ?? '')
    const session = [...this._sessions.values()].find((s) => s.downstreamConversationId === conversationId)
    if (!session?.active) return // hitl-assigned.ts / hitl-stopped.ts: downstream inactive → ignored
    if (event.type === 'hitlAssigned') {
      this._assignAgent(session, String(event.payload.userId)) // operations.ts:21-58: every time, no check
    } else if (event.type === 'hitlStopped') {
      this._respondUpstream(session, 'onHitlStoppedMessage') // hitl-stopped.ts:7-46: no stopHitl call
      this._deactivate(session, 'agent-closed-ticket')
    }
  }

  private _assignAgent(session: Upstream, userId: string) {
    session.humanAgentId = userId
    this._respondUpstream(session, 'onHumanAgentAssignedMessage')
  }

  private _deactivate(session: Upstream, reason: string) {
    session.active = false
    session.endReason = reason
  }

  private _respondUpstream(session: Upstream, key: PluginTextKey) {
    const text = textOf(this._configuration, key)
    if (text !== null) this._postUpstream(session, 'text', { text })
  }

  private async _respondDownstream(session: Upstream, key: PluginTextKey) {
    const text = textOf(this._configuration, key)
    if (text !== null) await this._sendDownstream(session, 'text', { text })
  }

  /** The plugin writes in the customer's conversation as the bot. */
  private _postUpstream(session: Upstream, type: string, payload: Record<string, unknown>): Message {
    const { message } = this._h.store.createMessage({
      conversationId: session.conversationId,
      userId: this.botUserId,
      type,
      payload,
      direction: 'outgoing',
    })
    this._handled.add(message.id)
    return message
  }

  /** The plugin writes in the hand-off conversation as the bot: Botpress calls the integration's channel handler. */
  private async _sendDownstream(session: Upstream, type: string, payload: Record<string, unknown>) {
    const { message } = this._h.store.createMessage({
      conversationId: session.downstreamConversationId!,
      userId: this.botUserId,
      type,
      payload,
      direction: 'outgoing',
    })
    this._handled.add(message.id)
    const { conversation } = this._h.store.getConversation({ id: message.conversationId })
    const { user } = this._h.store.getUser({ id: this.botUserId })
    const handler = integration.channels.hitl.messages[type as 'text'] as (props: bp.AnyMessageProps) => Promise<void>
    await handler({ ...this._h.props, type, payload, conversation, user, message, ack: async () => {} } as never)
  }

  private _nextUndelivered(): Message | Event | undefined {
    const pending = [
      ...this._h.store.messages.filter((m) => !this._handled.has(m.id) && this._isDownstream(m.conversationId)),
      ...this._h.store.events.filter((e) => !this._handled.has(e.id)),
    ]
    return pending.sort((a, b) => a.id.split('_')[1]!.localeCompare(b.id.split('_')[1]!))[0]
  }

  private _isDownstream(conversationId: string): boolean {
    return [...this._sessions.values()].some((s) => s.downstreamConversationId === conversationId)
  }
}
