// The x-bp-* headers Botpress sends with every call to an integration (operation, bot, configuration…), which the
// SDK's dispatcher decodes into `ctx` (@botpress/sdk 5.4.3, integration/server).

export type BotpressOperation =
  | 'webhook_received'
  | 'message_created'
  | 'action_triggered'
  | 'register'
  | 'unregister'
  | 'ping'
  | 'create_user'
  | 'create_conversation'

export type RuntimeIdentity = {
  botId: string
  botUserId: string
  integrationId: string
  integrationAlias: string
  webhookId: string
}

export const botpressHeaders = (props: {
  operation: BotpressOperation
  configuration: unknown
  identity: RuntimeIdentity
  /** `x-bp-type`: the action name or message type; the webhook has none. */
  type?: string
}): Record<string, string> => ({
  'content-type': 'application/json',
  'x-bot-id': props.identity.botId,
  'x-bot-user-id': props.identity.botUserId,
  'x-integration-id': props.identity.integrationId,
  'x-integration-alias': props.identity.integrationAlias,
  'x-webhook-id': props.identity.webhookId,
  'x-bp-operation': props.operation,
  'x-bp-type': props.type ?? props.operation,
  'x-bp-configuration-type': '',
  'x-bp-configuration': Buffer.from(JSON.stringify(props.configuration)).toString('base64'),
})
