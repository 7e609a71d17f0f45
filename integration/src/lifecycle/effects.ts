// Carries out what the lifecycle machine decided (LifecycleEffect) against Botpress: waiting notices from the system
// user (when configured), agent messages as the agent's user, hitlAssigned / hitlStopped events, the end reason.
import type * as bp from '../bp.js'
import { Participants } from '../participants.js'
import type { Settings } from '../settings.js'
import type { LifecycleEffect } from './types.js'

/** Conversation tag: the hop event (chatId#seq) that last sent hitlAssigned. */
export const ASSIGNED_BY_TAG = 'assignedBy'

export type EffectScope = {
  conversationId: string
  chatId: string | null
  locale: string
  upstreamConversationId: string | null
  /** The hop event being applied: messages it creates are keyed by it, so a redelivery creates nothing twice. */
  seq?: number
}

export type EffectHooks = {
  /** The visitor's message goes to the agent (the channel knows the message). */
  forwardToAgent?: () => Promise<void>
}

export class EffectRunner {
  private readonly _participants: Participants

  public constructor(
    private readonly _props: bp.CommonProps,
    private readonly _settings: Settings
  ) {
    this._participants = new Participants(_props.client)
  }

  public async run(effects: LifecycleEffect[], scope: EffectScope, hooks: EffectHooks = {}): Promise<void> {
    let messageIndex = 0
    const messageKey = () =>
      scope.seq !== undefined && scope.chatId ? `${scope.chatId}#${scope.seq}#${messageIndex++}` : undefined

    for (const effect of effects) {
      switch (effect.type) {
        case 'tell': {
          // Off by default: the plugin would take the notice's sender for the agent (hub.md, "Who says what").
          if (!this._settings.config.waitingNotices) break
          const text = this._settings.messages.render(effect.message, scope.locale, effect)
          if (text) {
            await this._createMessage(scope.conversationId, await this._participants.systemUserId(), text, messageKey())
          }
          break
        }
        case 'forwardToAgent':
          await hooks.forwardToAgent?.()
          break
        case 'agentAssigned': {
          const userId = await this._participants.agentUserId(effect.agent)
          if (await this._alreadyAssigned(scope)) break
          await this._props.client.createEvent({
            type: 'hitlAssigned',
            payload: { conversationId: scope.conversationId, userId },
          })
          break
        }
        case 'agentMessage': {
          const userId = await this._participants.agentUserId(effect.agent)
          await this._createMessage(scope.conversationId, userId, effect.text, messageKey())
          break
        }
        case 'agentTyping':
          // @botpress/client 1.35 (sdk 5.4.3) has no typing indicator an integration can set; noted for debugging only.
          this._props.logger.debug(`Agent ${effect.typing ? 'started' : 'stopped'} typing in ${scope.conversationId}`)
          break
        case 'ended':
          await this._props.client.updateConversation({ id: scope.conversationId, tags: { endReason: effect.reason } })
          if (effect.handBack) {
            await this._props.client.createEvent({
              type: 'hitlStopped',
              payload: { conversationId: scope.conversationId },
            })
            await this._props.client.createEvent({
              type: 'handoffEnded',
              payload: {
                hitlConversationId: scope.conversationId,
                reason: effect.reason,
                ...(scope.upstreamConversationId ? { upstreamConversationId: scope.upstreamConversationId } : {}),
                ...(effect.detail ? { detail: effect.detail } : {}),
              },
            })
          }
          break
        default:
          effect satisfies never
      }
    }
  }

  /**
   * Botpress cannot deduplicate events, and the HITL plugin announces the agent on every hitlAssigned. So the hop
   * event that assigns is noted on the conversation first: a redelivery (the lifecycle save failed after the event
   * went out) sends no second hitlAssigned. Should the process stop between the note and the event, none is sent;
   * the plugin then takes the agent's first message's sender for the agent, which announces them all the same.
   */
  private async _alreadyAssigned(scope: EffectScope): Promise<boolean> {
    if (scope.seq === undefined || !scope.chatId) return false
    const key = `${scope.chatId}#${scope.seq}`
    const { conversation } = await this._props.client.getConversation({ id: scope.conversationId })
    if (conversation.tags[ASSIGNED_BY_TAG] === key) return true
    await this._props.client.updateConversation({ id: scope.conversationId, tags: { [ASSIGNED_BY_TAG]: key } })
    return false
  }

  private async _createMessage(conversationId: string, userId: string, text: string, key: string | undefined) {
    if (key) {
      await this._props.client.getOrCreateMessage({
        conversationId,
        userId,
        type: 'text',
        payload: { text },
        tags: { hopEvent: key },
        discriminateByTags: ['hopEvent'],
      })
    } else {
      await this._props.client.createMessage({ conversationId, userId, type: 'text', payload: { text }, tags: {} })
    }
  }
}
