import { z, type IntegrationDefinitionProps } from '@botpress/sdk'

/** Extra configuration of one hand-off, shown on the Start HITL card; it specializes the interface's `hitlSession`. */
export const liveAgentChatSchema = z.object({
  locale: z
    .string()

    .min(2)
    .optional()
    .title('Locale')
    .describe(
      'Language of the system messages for this hand-off (en, fr, de, es…). Detected from the conversation when empty.'
    ),
  buttonId: z
    .string()

    .regex(
      /^573[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/,
      'The button id is a 15 or 18 character Salesforce id starting with 573'
    )
    .optional()
    .title('Button id')
    .describe('Route this hand-off to another chat button (queue) than the configured one'),
  upstreamConversationId: z
    .string()

    .min(1)
    .optional()
    .title('Bot conversation id')
    .describe(
      'Set to {{event.conversationId}} to look the outcome up later with "Get hand-off status" by the bot conversation'
    ),
})

export const entities = {
  liveAgentChat: {
    title: 'Live Agent chat',
    description: 'A chat with a Salesforce Live Agent agent, created through the hop server',
    schema: liveAgentChatSchema,
  },
} satisfies IntegrationDefinitionProps['entities']
