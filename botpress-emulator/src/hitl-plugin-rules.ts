// The rules of Botpress's own HITL plugin (plugins/hitl 1.3.0 at 81e2bfdf; 1.4.2 behaves the same here) that every
// stand-in for it must follow: its default texts, how a configured text is read, which message types it copies,
// the close command, the made-up email. One owner, so the playground's plugin and the integration tests' double cannot
// drift apart; each host keeps its own routing (`file:line` citations are under plugins/hitl/ of the plugin's sources).

/** plugin.definition.ts:4-101: the defaults of every text. */
export const PLUGIN_DEFAULT_TEXTS = {
  onHitlHandoffMessage: 'I have escalated this conversation to a human agent. They should be with you shortly.',
  onHumanAgentAssignedMessage: 'A human agent has joined the conversation.',
  onHitlStoppedMessage: 'The human agent closed the conversation. I will continue assisting you.',
  onUserHitlCancelledMessage: '( The user has ended the session. )',
  onIncompatibleMsgTypeMessage:
    'Sorry, the user can not receive this type of message. Please resend your message as a text message.',
  onUserHitlCloseMessage: 'You have ended the session with the human agent. I will continue assisting you.',
  onAgentAssignedTimeoutMessage:
    'No human agent is available at the moment. Please try again later. I will continue assisting you for the time being.',
}
export type PluginTextKey = keyof typeof PLUGIN_DEFAULT_TEXTS
export type PluginConfiguration = Partial<Record<PluginTextKey, string>> & {
  userHitlCloseCommand?: string
  agentAssignedTimeoutSeconds?: number
}

/** The only value that silences a text; an empty one means the default. */
export const NULL_TEXT = 'NULL'
const DEFAULT_CLOSE_COMMAND = '/end'
/** consts.ts:3-10: what the plugin copies from the customer; markdown, choice… are refused. */
const SUPPORTED_TYPES = new Set(['text', 'image', 'video', 'audio', 'file', 'bloc'])
/** before-incoming-message/all.ts (1.3.0; 1.4.2 lists the types): the answer to a customer message of another type. */
export const UNSUPPORTED_TYPE_TEXT = 'Sorry, I can only handle text messages for now. Please try again.'
/** user-linker.ts:11-82: the downstream user's name when the customer has none. */
export const UNKNOWN_USER = 'Unknown User'
/** operations.ts:21-58: the agent's name when their user has none. */
export const UNKNOWN_AGENT = 'A Human Agent'

export const isSupportedType = (type: string): boolean => SUPPORTED_TYPES.has(type)

/** conv-manager.ts:80-86: the configured text, the default when unset or empty, or null for NULL. */
export const textOf = (configuration: PluginConfiguration, key: PluginTextKey): string | null => {
  const configured = configuration[key]
  if (configured === NULL_TEXT) return null
  return configured ? configured : PLUGIN_DEFAULT_TEXTS[key]
}

/** before-incoming-message/all.ts:179-189: a text message equal to the close command, trimmed, any case. */
export const isCloseCommand = (configuration: PluginConfiguration, type: string, text: string): boolean =>
  type === 'text' &&
  text.trim().toLowerCase() === (configuration.userHitlCloseCommand ?? DEFAULT_CLOSE_COMMAND).trim().toLowerCase()

/** user-linker.ts:84-87: the address the plugin makes up for a customer without one. */
export const noReplyEmail = (userId: string, botId: string): string => `${userId}@no-reply.${botId}.botpress.com`
