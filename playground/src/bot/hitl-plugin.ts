// The part of Botpress's HITL plugin (plugins/hitl) the demo needs, with the same routing rules:
// - startHitl: a downstream user (the integration's createUser), the conversation so far as messageHistory, the
//   integration's startHitl, then the two conversations are linked and HITL is active;
// - while active, the customer's messages are copied into the hitl conversation (the integration's channel handler
//   sends them to the agent) and the bot stays silent; `/end` leaves the chat (stopHitl);
// - messages the integration creates in the hitl conversation (the agent, notices) are copied to the customer;
// - hitlAssigned names the agent; hitlStopped hands the conversation back to the bot.
// The plugin's own notices are off ("NULL" in its configuration): the integration sends localized ones.
import type { Event, Message } from '@botpress/client'
import type { IncomingMessage, LocalBotpress } from '../botpress/local-botpress.js'
import type { AgentTyping } from '../botpress/typing-tap.js'
import type { Frontend } from './frontend.js'
import { ROLE_TAG, type Speaker } from './speaker.js'
import { backText, CLOSE_COMMAND } from './texts.js'

/** The plugin hands the last page of the conversation to the integration; the agent reads it as the transcript. */
const HISTORY_LENGTH = 20
const HANDOFF_TITLE = 'Chat from the playground web page'

export type HitlLink = {
  upstreamConversationId: string
  downstreamConversationId: string
  downstreamUserId: string
  active: boolean
  agentName: string | null
  /** Language of the trigger phrase: the bot's own sentences around the hand-off use it. */
  locale: string
}

export type HookResult = 'stop' | 'continue'

type HistoryMessage = {
  source: { type: 'user'; userId: string } | { type: 'bot' }
  type: 'text'
  payload: { text: string }
}

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

  /** Starts a hand-off; rejects with IntegrationCallError when the integration refused (nothing is linked then). */
  public async startHitl(incoming: IncomingMessage, locale: string): Promise<void> {
    const { conversation, user } = incoming
    if (this.isActive(conversation.id)) return
    const downstreamUserId = await this._downstreamUser(user.id, user.name ?? 'Web visitor')
    const { conversationId } = await this._botpress.integration.action<{ conversationId: string }>('startHitl', {
      userId: downstreamUserId,
      title: HANDOFF_TITLE,
      description: `Started from "${textOf(incoming.message)}"`,
      hitlSession: { upstreamConversationId: conversation.id },
      messageHistory: this._history(conversation.id, downstreamUserId),
    })
    const link: HitlLink = {
      upstreamConversationId: conversation.id,
      downstreamConversationId: conversationId,
      downstreamUserId,
      active: true,
      agentName: null,
      locale,
    }
    this._byUpstream.set(link.upstreamConversationId, link)
    this._byDownstream.set(link.downstreamConversationId, link)
    this._frontend.setMode(conversation.id, { mode: 'waiting' })
  }

  /** The customer wrote. During a hand-off the message goes to the agent and the bot hears nothing of it. */
  public async beforeIncomingUserMessage(incoming: IncomingMessage): Promise<HookResult> {
    const link = this._byUpstream.get(incoming.conversation.id)
    if (!link?.active) return 'continue'
    const text = textOf(incoming.message)

    if (text.trim().toLowerCase() === CLOSE_COMMAND) {
      this._deactivate(link)
      try {
        await this._botpress.integration.action('stopHitl', { conversationId: link.downstreamConversationId })
      } catch (error) {
        // The customer is back with the bot either way; the chat ends on the agent's side when its session expires.
        await this._speaker.post(
          link.upstreamConversationId,
          backText('notDelivered', link.locale, detailOf(error)),
          'error'
        )
      }
      await this._speaker.say(link.upstreamConversationId, backText('closedByUser', link.locale, link))
      return 'stop'
    }
    try {
      await this._botpress.sendMessage({
        conversationId: link.downstreamConversationId,
        text,
        userId: link.downstreamUserId,
      })
    } catch (error) {
      await this._speaker.post(
        link.upstreamConversationId,
        backText('notDelivered', link.locale, detailOf(error)),
        'error'
      )
    }
    return 'stop'
  }

  /** The integration wrote in a hitl conversation: an agent's message or a notice, copied to the customer. */
  public async beforeIncomingAgentSideMessage(incoming: IncomingMessage): Promise<HookResult> {
    const link = this._byDownstream.get(incoming.conversation.id)
    if (!link?.active) return 'stop'
    const role = incoming.user.tags[ROLE_TAG]
    if (role === 'agent') {
      this._frontend.setTyping(link.upstreamConversationId, null)
      await this._speaker.post(link.upstreamConversationId, textOf(incoming.message), 'agent', incoming.user.name)
    } else {
      await this._speaker.post(link.upstreamConversationId, textOf(incoming.message), 'notice')
    }
    return 'stop'
  }

  public async onEvent(event: Event): Promise<HookResult> {
    const conversationId = typeof event.payload.conversationId === 'string' ? event.payload.conversationId : ''
    const link = this._byDownstream.get(conversationId)
    if (!link) return 'continue'
    if (event.type === 'hitlAssigned') {
      const userId = String(event.payload.userId ?? '')
      link.agentName = this._botpress.store.getUser(userId).name ?? 'Agent'
      if (link.active) this._frontend.setMode(link.upstreamConversationId, { mode: 'agent', agentName: link.agentName })
      return 'stop'
    }
    if (event.type === 'hitlStopped') {
      this._deactivate(link)
      return 'stop'
    }
    return 'continue'
  }

  public async onAgentTyping(typing: AgentTyping): Promise<void> {
    const link = this._byDownstream.get(typing.hitlConversationId)
    if (!link?.active) return
    this._frontend.setTyping(
      link.upstreamConversationId,
      typing.typing ? { who: 'agent', name: link.agentName ?? 'Agent' } : null
    )
  }

  private _deactivate(link: HitlLink): void {
    link.active = false
    this._frontend.setTyping(link.upstreamConversationId, null)
    this._frontend.setMode(link.upstreamConversationId, { mode: 'bot' })
  }

  private async _downstreamUser(upstreamUserId: string, name: string): Promise<string> {
    const known = this._downstreamUsers.get(upstreamUserId)
    if (known) return known
    const { userId } = await this._botpress.integration.action<{ userId: string }>('createUser', { name })
    this._downstreamUsers.set(upstreamUserId, userId)
    return userId
  }

  private _history(conversationId: string, downstreamUserId: string): HistoryMessage[] {
    return this._botpress.store
      .listMessages({ conversationId })
      .filter((message) => message.type === 'text' && (message.tags[ROLE_TAG] ?? 'bot') === 'bot')
      .slice(-HISTORY_LENGTH)
      .map((message) => ({
        source:
          message.direction === 'incoming'
            ? { type: 'user' as const, userId: downstreamUserId }
            : { type: 'bot' as const },
        type: 'text' as const,
        payload: { text: textOf(message) },
      }))
  }
}

export const textOf = (message: Message): string =>
  typeof message.payload.text === 'string' ? message.payload.text : ''

const detailOf = (error: unknown): { detail: string } => ({
  detail: error instanceof Error ? error.message : String(error),
})
