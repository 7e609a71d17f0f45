import { z, type IntegrationDefinitionProps } from '@botpress/sdk'
import { CHAT_STATES, END_REASONS } from '@liveagent-hop/bridge-contract'

/** Before the hand-off reaches the hop server it is the bot's; after, it follows the chat's state. */
export const HANDOFF_STATUSES = ['bot', ...CHAT_STATES] as const

export const handoffStatusSchema = z.enum(HANDOFF_STATUSES)
export const endReasonSchema = z.enum(END_REASONS)

export type HandoffStatus = z.infer<typeof handoffStatusSchema>
export type EndReason = z.infer<typeof endReasonSchema>

/**
 * One hand-off, stored on its `hitl` conversation. `lifecycle` is the persisted XState snapshot (the source of truth);
 * `status`, `endReason` and `lastSeq` repeat it for people reading the state. Two writers patch disjoint fields:
 * actions and webhooks patch the lifecycle fields, the channel only `stillConnectingTold`.
 */
export const handoffStateSchema = z.object({
  chatId: z.string().nullable().title('Chat id').describe('Id of the chat on the hop server; null until it answered'),
  locale: z.string().title('Locale').describe('Locale of the system messages'),
  upstreamConversationId: z
    .string()
    .nullable()
    .title('Bot conversation id')
    .describe('The bot conversation this hand-off belongs to, when the Start HITL card said so'),
  status: handoffStatusSchema
    .title('Status')
    .describe('Where the hand-off is: bot, connecting, queued, agent or ended'),
  endReason: endReasonSchema.nullable().title('End reason').describe('Why the chat ended, once it has'),
  endDetail: z.string().nullable().title('End detail').describe('What the hop server said about the end, if anything'),
  agentName: z.string().nullable().title('Agent name').describe('The agent in the chat, once one joined'),
  lastSeq: z.number().int().min(0).title('Last event').describe('Highest hop-server event sequence applied'),
  lifecycle: z.record(z.any()).title('Lifecycle').describe('Persisted snapshot of the lifecycle state machine'),
  endAttempts: z
    .number()
    .int()
    .min(0)
    .optional()
    .title('End attempts')
    .describe('Attempts so far to end a Live Agent chat the hop server could not be reached for'),
  stillConnectingTold: z
    .boolean()
    .title('Still connecting told')
    .describe('Whether the customer was told once that we are still connecting'),
})

export type HandoffState = z.infer<typeof handoffStateSchema>

export const states = {
  handoff: {
    type: 'conversation',
    schema: handoffStateSchema,
  },
} satisfies IntegrationDefinitionProps['states']
