// The `hitl` channel: what the customer writes during a hand-off (the HITL plugin copies it here) goes to the agent.
// Live Agent shows text only, so media and blocs go as a description with their links.
import { RuntimeError } from '@botpress/sdk'
import type * as bp from './bp.js'
import { HopServerError } from './hop-client.js'
import { EffectRunner } from './lifecycle/effects.js'
import { HandoffStore } from './lifecycle/handoff-store.js'
import { stopHandoff } from './lifecycle/stop-handoff.js'
import { describeForAgent } from './render.js'
import { Settings } from './settings.js'

const WAITING_STATUSES = new Set(['connecting', 'queued'])

const forwardVisitorMessage = async (props: bp.AnyMessageProps, text: string): Promise<void> => {
  const { client, conversation, message, logger } = props
  if (isPluginSystemText(props)) {
    // "( The user has ended the session. )", the incompatible-type warning…: the HITL plugin's words, not the
    // customer's. Live Agent can only show them as the visitor's, so they stay out of the chat; the end itself
    // reaches the agent as the chat ending.
    logger.forBot().info(`Not sent to the agent (a HITL plugin notice, not the customer's words): "${text}"`)
    return
  }
  if (!text.trim()) {
    throw new RuntimeError(`The ${props.type} message has nothing an agent can read; it was not sent.`)
  }
  const settings = Settings.fromContext(props.ctx)
  const store = new HandoffStore(client)
  const stored = await store.load(conversation.id)
  if (!stored) {
    throw new RuntimeError(`Conversation ${conversation.id} is not a Live Agent hand-off; the message was not sent.`)
  }
  const { lifecycle, state } = stored

  if (WAITING_STATUSES.has(lifecycle.status) && isCancel(settings, props, state.locale)) {
    await stopHandoff(props, settings, stored, 'visitor')
    return
  }

  const toldBefore = lifecycle.context.stillConnectingTold
  const result = lifecycle.apply({ type: 'visitor.message' })
  if (result.outcome !== 'applied') {
    throw new RuntimeError('The chat with the agent has ended; the message was not delivered.')
  }
  const chatId = state.chatId
  if (!chatId) {
    throw new RuntimeError(
      'The chat with the agent is still being set up; the message was not delivered. Please send it again.'
    )
  }
  const hop = settings.hopClient()
  await new EffectRunner(props, settings).run(
    result.effects,
    {
      conversationId: conversation.id,
      chatId,
      locale: state.locale,
      upstreamConversationId: state.upstreamConversationId,
    },
    {
      forwardToAgent: async () => {
        try {
          // The Botpress message id makes a retried delivery a duplicate the hop server drops.
          const sent = await hop.sendMessage(chatId, { messageId: message.id, text })
          if (sent.duplicate) logger.debug(`Message ${message.id} had already reached the hop server.`)
        } catch (thrown) {
          if (thrown instanceof HopServerError && thrown.failure === 'chat_ended') {
            throw new RuntimeError('The chat with the agent has ended; the message was not delivered.')
          }
          throw thrown
        }
      },
    }
  )
  if (!toldBefore && lifecycle.context.stillConnectingTold) {
    await store.markStillConnectingTold(conversation.id)
  }
}

/**
 * The HITL plugin copies the customer's messages with `payload.userId` (the customer's Botpress user); what it writes
 * for the agent itself (`onUserHitlCancelledMessage`, `onIncompatibleMsgTypeMessage`) comes without one.
 */
const isPluginSystemText = (props: bp.AnyMessageProps): boolean => !props.payload.userId

const isCancel = (settings: Settings, props: bp.AnyMessageProps, locale: string): boolean =>
  props.type === 'text' &&
  settings.cancels.match(props.payload.text, { locale, fallbackLocale: settings.defaultLocale }).matched

export const channels = {
  hitl: {
    messages: {
      text: async (props) => forwardVisitorMessage(props, props.payload.text),
      image: async (props) => forwardVisitorMessage(props, describeForAgent('image', props.payload)),
      audio: async (props) => forwardVisitorMessage(props, describeForAgent('audio', props.payload)),
      video: async (props) => forwardVisitorMessage(props, describeForAgent('video', props.payload)),
      file: async (props) => forwardVisitorMessage(props, describeForAgent('file', props.payload)),
      bloc: async (props) => forwardVisitorMessage(props, describeForAgent('bloc', props.payload)),
    },
  },
} satisfies bp.IntegrationProps['channels']
