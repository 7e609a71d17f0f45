// Botpress's HITL plugin (plugins/hitl, 1.3.x / 1.4.x) as the playground needs it, with the real plugin's rules so
// that the playground shows what a bot builder will see with the integration:
// - startHitl: the hand-off message first, a downstream user (the integration's createUser, with the plugin's
//   made-up no-reply email when the customer has none), the conversation so far with every message type, the
//   integration's startHitl, then the two conversations are linked and HITL is active;
// - while active, the customer's messages are copied into the hitl conversation as the bot with `payload.userId`
//   (the integration's channel handler gets them asynchronously) and the bot hears nothing; markdown, choices… from
//   the customer are refused; `/end` posts the plugin's "( The user has ended the session. )" for the agent (no
//   userId), calls stopHitl and tells the customer;
// - what the integration writes in the hitl conversation is copied to the customer as the bot, and **the first
//   sender becomes the human agent** (the plugin then says "joined"); nothing is copied while HITL is inactive;
// - hitlAssigned names the agent and announces them, every time; hitlStopped says the stopped text and hands back;
// - every text can be set per hand-off (configurationOverrides); unset or empty is the default, `NULL` is nothing.
// The texts and rules shared with the integration tests' double are the emulator's (hitl-plugin-rules.ts).
import type { Event, Message } from '@botpress/client'
import {
  isCloseCommand,
  isSupportedType,
  noReplyEmail,
  NULL_TEXT,
  textOf,
  UNKNOWN_AGENT,
  UNKNOWN_USER,
  UNSUPPORTED_TYPE_TEXT,
  type PluginConfiguration,
} from '@liveagent-hop/botpress-emulator'
import type { IncomingMessage, LocalBotpress } from '../botpress/local-botpress.js'
import type { AgentTyping } from '../botpress/typing-tap.js'
import type { Frontend } from './frontend.js'
import { ROLE_TAG, type Speaker } from './speaker.js'

/** The bot's texts (texts.ts) configure the plugin with these. */
export { NULL_TEXT, type PluginConfiguration }

/** The first page of the conversation goes to the integration as messageHistory. */
const HISTORY_PAGE = 20
const HANDOFF_TITLE = 'Chat from the playground web page'

export type HitlLink = {
  upstreamConversationId: string
  downstreamConversationId: string
  downstreamUserId: string
  active: boolean
  humanAgentId: string | null
  agentName: string | null
  configuration: PluginConfiguration
  /** Language of the trigger phrase: the bot's own sentences around the hand-off use it. */
  locale: string
}

export type HookResult = 'stop' | 'continue'

export class HitlPlugin {
  private readonly _byUpstream = new Map<string, HitlLink>()
  private readonly _byDownstream = new Map<string, HitlLink>()
  /** upstream (web chat) user id → the Botpress user the integration created for them */
  private readonly _downstreamUsers = new Map<string, string>()

  public constructor(
    private readonly _botpress: LocalBotpress,
    private readonly _frontend: Frontend,
    private readonly _speaker: Speaker
  ) {}

  public isActive(upstreamConversationId: string): boolean {
    return this._byUpstream.get(upstreamConversationId)?.active ?? false
  }

  /** The latest hand-off of a conversation, active or not. */
  public linkOfDownstream(downstreamConversationId: string): HitlLink | undefined {
    return this._byDownstream.get(downstreamConversationId)
  }

  public linkOfUpstream(upstreamConversationId: string): HitlLink | undefined {
    return this._byUpstream.get(upstreamConversationId)
  }

  /**
   * Starts a hand-off. The hand-off message comes first, before anything can fail (as in the real plugin); rejects
   * with IntegrationCallError when the integration refused (nothing is linked then).
   */
  public async startHitl(
    incoming: IncomingMessage,
    locale: string,
    configurationOverrides: PluginConfiguration = {}
  ): Promise<void> {
    const { conversation, user } = incoming
    if (this.isActive(conversation.id)) return
    await this._say(conversation.id, textOf(configurationOverrides, 'onHitlHandoffMessage'))
    const downstreamUserId = await this._downstreamUser(user.id, user.name, user.tags.email)
    const { conversationId } = await this._botpress.integration.action<{ conversationId: string }>('startHitl', {
      userId: downstreamUserId,
      title: HANDOFF_TITLE,
      description: `Started from "${plainTextOf(incoming.message)}"`,
      hitlSession: { upstreamConversationId: conversation.id, locale },
      messageHistory: this._history(conversation.id, downstreamUserId),
    })
    const link: HitlLink = {
      upstreamConversationId: conversation.id,
      downstreamConversationId: conversationId,
      downstreamUserId,
      active: true,
      humanAgentId: null,
      agentName: null,
      configuration: configurationOverrides,
      locale,
    }
    this._byUpstream.set(link.upstreamConversationId, link)
    this._byDownstream.set(link.downstreamConversationId, link)
    this._frontend.setMode(conversation.id, { mode: 'waiting', locale })
  }

  /** The customer wrote. During a hand-off the message goes to the agent and the bot hears nothing of it. */
  public async beforeIncomingUserMessage(incoming: IncomingMessage): Promise<HookResult> {
    const link = this._byUpstream.get(incoming.conversation.id)
    if (!link?.active) return 'continue'
    const { message } = incoming
    if (!isSupportedType(message.type)) {
      await this._say(link.upstreamConversationId, UNSUPPORTED_TYPE_TEXT)
      return 'stop'
    }
    if (isCloseCommand(link.configuration, message.type, plainTextOf(message))) {
      await this._endByCustomer(link)
      return 'stop'
    }
    await this._botpress.sendMessage({
      conversationId: link.downstreamConversationId,
      type: message.type,
      payload: { ...message.payload, userId: link.downstreamUserId },
    })
    return 'stop'
  }

  /** Something was written in a hitl conversation (the integration: an agent, or a notice of its own). */
  public async beforeIncomingAgentSideMessage(incoming: IncomingMessage): Promise<HookResult> {
    const link = this._byDownstream.get(incoming.conversation.id)
    if (!link?.active) return 'stop'
    // The real plugin's rule: no agent yet → whoever wrote is the agent.
    if (!link.humanAgentId) await this._assignAgent(link, incoming.user.id)
    const isAgent = incoming.user.tags[ROLE_TAG] === 'agent'
    if (isAgent) this._frontend.setTyping(link.upstreamConversationId, null)
    await this._speaker.post(
      link.upstreamConversationId,
      plainTextOf(incoming.message),
      isAgent ? 'agent' : 'notice',
      isAgent ? incoming.user.name : undefined
    )
    return 'stop'
  }

  public async onEvent(event: Event): Promise<HookResult> {
    const conversationId = typeof event.payload.conversationId === 'string' ? event.payload.conversationId : ''
    const link = this._byDownstream.get(conversationId)
    if (!link) return 'continue'
    if (event.type === 'hitlAssigned') {
      if (link.active) await this._assignAgent(link, String(event.payload.userId ?? ''))
      return 'stop'
    }
    if (event.type === 'hitlStopped') {
      if (link.active) {
        await this._say(link.upstreamConversationId, textOf(link.configuration, 'onHitlStoppedMessage'))
        this._deactivate(link)
      }
      return 'stop'
    }
    // Any other event naming an active hand-off is held back from the bot.
    return link.active ? 'stop' : 'continue'
  }

  /** The customer types while an agent has the chat: the agent sees it (the playground's shortcut, customer-typing.ts). */
  public async onCustomerTyping(upstreamConversationId: string, typing: boolean): Promise<void> {
    const link = this._byUpstream.get(upstreamConversationId)
    if (!link?.active || !link.humanAgentId) return
    const chatId = this._botpress.store.getConversation({ id: link.downstreamConversationId }).conversation.tags.chatId
    if (chatId) await this._botpress.customerTypingTap.typing(chatId, typing)
  }

  public async onAgentTyping(typing: AgentTyping): Promise<void> {
    const link = this._byDownstream.get(typing.hitlConversationId)
    if (!link?.active) return
    this._frontend.setTyping(
      link.upstreamConversationId,
      typing.typing ? { who: 'agent', name: link.agentName ?? 'Agent' } : null
    )
  }

  /** `/end`: the plugin's text for the agent, both sides inactive, the integration's stopHitl, the close text. */
  private async _endByCustomer(link: HitlLink): Promise<void> {
    const forAgent = textOf(link.configuration, 'onUserHitlCancelledMessage')
    if (forAgent) {
      // As the bot and without userId: the integration can tell it from the customer's words.
      await this._botpress.sendMessage({ conversationId: link.downstreamConversationId, text: forAgent })
    }
    this._deactivate(link)
    // As in the real plugin, a failing stopHitl stops here (the customer gets no close text): the integration
    // answers even when the hop server is down, so only a real refusal gets this far.
    await this._botpress.integration.action('stopHitl', { conversationId: link.downstreamConversationId })
    await this._say(link.upstreamConversationId, textOf(link.configuration, 'onUserHitlCloseMessage'))
  }

  /** hitlAssigned, or the first message of a sender: every call announces (a transfer announces again). */
  private async _assignAgent(link: HitlLink, userId: string): Promise<void> {
    const { user } = this._botpress.store.getUser({ id: userId })
    link.humanAgentId = userId
    link.agentName = user.name ?? UNKNOWN_AGENT
    await this._say(link.upstreamConversationId, textOf(link.configuration, 'onHumanAgentAssignedMessage'))
    this._frontend.setMode(link.upstreamConversationId, {
      mode: 'agent',
      agentName: link.agentName,
      locale: link.locale,
    })
  }

  private _deactivate(link: HitlLink): void {
    link.active = false
    this._frontend.setTyping(link.upstreamConversationId, null)
    this._frontend.setMode(link.upstreamConversationId, { mode: 'bot', locale: link.locale })
  }

  /** A plugin text in the customer's conversation, written as the bot; `null` (NULL) says nothing. */
  private async _say(conversationId: string, text: string | null): Promise<void> {
    if (text !== null) await this._speaker.post(conversationId, text, 'notice')
  }

  private async _downstreamUser(upstreamUserId: string, name: string | undefined, email: string | undefined) {
    const known = this._downstreamUsers.get(upstreamUserId)
    if (known) return known
    const { userId } = await this._botpress.integration.action<{ userId: string }>('createUser', {
      name: name ?? UNKNOWN_USER,
      // The real plugin makes an address up when the customer has none (user-linker.ts).
      email: email ?? noReplyEmail(upstreamUserId, this._botpress.store.botId),
    })
    this._downstreamUsers.set(upstreamUserId, userId)
    return userId
  }

  /**
   * The first page of the conversation (Botpress lists newest first, so the most recent messages), oldest first,
   * every type as is; outgoing messages are the bot's.
   */
  private _history(conversationId: string, downstreamUserId: string) {
    return this._botpress.store
      .listMessages({ conversationId })
      .messages.slice(0, HISTORY_PAGE)
      .reverse()
      .map((message) => ({
        source:
          message.direction === 'incoming'
            ? { type: 'user' as const, userId: downstreamUserId }
            : { type: 'bot' as const },
        type: message.type,
        payload: message.payload,
      }))
  }
}

/** What a message says, as text: the text itself, markdown as written, a bloc's readable items. */
export const plainTextOf = (message: Pick<Message, 'type' | 'payload'>): string => {
  const { payload } = message
  if (typeof payload.text === 'string') return payload.text
  if (typeof payload.markdown === 'string') return payload.markdown
  if (Array.isArray(payload.items)) {
    return payload.items
      .map((item: { type?: string; payload?: Record<string, unknown> }) =>
        plainTextOf({ type: item.type ?? '', payload: item.payload ?? {} })
      )
      .filter(Boolean)
      .join('\n')
  }
  return ''
}
