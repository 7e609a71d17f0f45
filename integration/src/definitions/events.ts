import { z, type IntegrationDefinitionProps } from '@botpress/sdk'
import { endReasonSchema } from './states.js'

// The field is not called `conversationId` on purpose: the HITL plugin holds back events whose payload names a
// conversation where a hand-off is active, and this one is sent as that hand-off ends.
export const handoffEndedSchema = z.object({
  hitlConversationId: z.string().title('HITL conversation id').describe('The Botpress conversation of the hand-off'),
  upstreamConversationId: z
    .string()
    .optional()
    .title('Bot conversation id')
    .describe('The bot conversation, when the Start HITL card gave it'),
  reason: endReasonSchema.title('Reason').describe('agent, visitor, no_agent, timeout or error'),
  detail: z.string().optional().title('Detail').describe('What the hop server said about the end'),
})

export const events = {
  handoffEnded: {
    title: 'Hand-off ended',
    description:
      'The Live Agent chat ended, with the reason. Emitted next to hitlStopped, without a conversation so the HITL plugin does not hold it back.',
    schema: handoffEndedSchema,
  },
} satisfies IntegrationDefinitionProps['events']
