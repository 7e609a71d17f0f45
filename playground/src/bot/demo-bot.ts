// The demo bot: greets, answers a few questions, and hands the conversation to a human when the customer asks for one
// (the integration's matchTrigger action decides, in any configured language). During the hand-off the HITL plugin
// routes everything and the bot is silent; when the integration reports the end (handoffEnded, with the reason),
// the bot takes over again and says what happened (the one notice of the end: the plugin's own is NULL here).
import type { Event } from '@botpress/client'
import type { EndReason } from '@liveagent-hop/integration'
import type { BotHandlers, IncomingMessage, LocalBotpress } from '../botpress/local-botpress.js'
import type { AgentTyping } from '../botpress/typing-tap.js'
import { FaqBook } from './faq.js'
import type { Frontend } from './frontend.js'
import { HitlPlugin, plainTextOf } from './hitl-plugin.js'
import { Speaker } from './speaker.js'
import { backText, FALLBACK, pluginTexts, WELCOME } from './texts.js'

/** Event the web chat sends when a customer opens a conversation (Botpress webchat's "conversation started"). */
export const CONVERSATION_STARTED = 'webchat:conversationStarted'
const HANDOFF_ENDED = 'handoffEnded'
const HITL_CHANNEL = 'hitl'

type TriggerMatch = { matched: boolean; phrase?: string; locale: string }

export type DemoBotOptions = {
  botpress: LocalBotpress
  frontend: Frontend
  /** How long the bot shows "typing" before each answer. */
  typingMs: number
}

export class DemoBot implements BotHandlers {
  private readonly _botpress: LocalBotpress
  private readonly _speaker: Speaker
  private readonly _hitl: HitlPlugin
  private readonly _faq = new FaqBook()

  public constructor(options: DemoBotOptions) {
    this._botpress = options.botpress
    this._speaker = new Speaker(options.botpress, options.frontend, options.typingMs)
    this._hitl = new HitlPlugin(options.botpress, options.frontend, this._speaker)
  }

  public async onMessage(incoming: IncomingMessage): Promise<void> {
    if (incoming.conversation.channel === HITL_CHANNEL) {
      await this._hitl.beforeIncomingAgentSideMessage(incoming)
      return
    }
    if ((await this._hitl.beforeIncomingUserMessage(incoming)) === 'stop') return

    const text = plainTextOf(incoming.message)
    const trigger = await this._botpress.integration.action<TriggerMatch>('matchTrigger', { text })
    if (trigger.matched) {
      await this._handOff(incoming, trigger.locale)
      return
    }
    const answer = this._faq.answer(text)
    if (answer?.bloc) await this._speaker.sayBloc(incoming.conversation.id, answer.bloc)
    else await this._speaker.say(incoming.conversation.id, answer?.text ?? FALLBACK)
  }

  public async onEvent(event: Event): Promise<void> {
    if ((await this._hitl.onEvent(event)) === 'stop') return
    if (event.type === CONVERSATION_STARTED && event.conversationId) {
      await this._speaker.say(event.conversationId, WELCOME)
    } else if (event.type === HANDOFF_ENDED) {
      await this._takeBack(event)
    }
  }

  public async onAgentTyping(typing: AgentTyping): Promise<void> {
    await this._hitl.onAgentTyping(typing)
  }

  public async onCustomerTyping(conversationId: string, typing: boolean): Promise<void> {
    await this._hitl.onCustomerTyping(conversationId, typing)
  }

  private async _handOff(incoming: IncomingMessage, locale: string): Promise<void> {
    try {
      await this._hitl.startHitl(incoming, locale, pluginTexts(locale))
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      await this._speaker.say(incoming.conversation.id, backText('startFailed', locale, { detail }))
    }
  }

  /** The integration's handoffEnded event names the hitl conversation and why the chat ended. */
  private async _takeBack(event: Event): Promise<void> {
    const hitlConversationId = String(event.payload.hitlConversationId ?? '')
    const link = this._hitl.linkOfDownstream(hitlConversationId)
    if (!link) return
    const reason = String(event.payload.reason ?? 'error') as EndReason
    await this._speaker.say(link.upstreamConversationId, backText(reason, link.locale, link))
  }
}
