import { z, type IntegrationDefinitionProps } from '@botpress/sdk'
import { endReasonSchema, handoffStatusSchema } from './states.js'

export const matchTriggerInputSchema = z.object({
  text: z.string().max(2000).title('Text').describe('What the customer wrote, usually {{event.preview}}'),
  locale: z
    .string()

    .min(2)
    .optional()
    .title('Locale')
    .describe('Locale of the customer (en, fr-CA…); its phrases are tried first. All locales are tried.'),
})

export const matchTriggerOutputSchema = z.object({
  matched: z.boolean().title('Matched').describe('Whether the text asks for a human'),
  locale: z
    .string()
    .title('Locale')
    .describe('Locale of the words that matched, else the locale asked for (or the default)'),
  rule: z
    .enum(['phrase', 'request', 'bare-target', 'standalone-cue', 'likely-request'])
    .optional()
    .title('Rule')
    .describe(
      'How it matched: a configured phrase, a cue with a target, a target alone (or only fetched: "bring me the supervisor"), a cue such as "transfer me", or a near miss the request check reads as a request'
    ),
  phrase: z.string().optional().title('Phrase').describe('The configured phrase that matched'),
  cue: z.string().optional().title('Cue').describe('The request cue that matched ("talk", "connect me")'),
  target: z
    .string()
    .optional()
    .title('Target')
    .describe('The person asked for ("agent"), or the one found in a refusal'),
  reason: z
    .enum([
      'never-trigger',
      'withdrawn',
      'quoted',
      'negated',
      'narrative',
      'talks-about',
      'someone-else',
      'unlikely-request',
      'not-a-person',
      'no-cue',
      'no-target',
      'empty',
    ])
    .optional()
    .title('Reason')
    .describe(
      'Why it did not match: never-trigger phrase, taken back, quoted, negated, narrative, talks about a person, someone else, or the request check read a remark (unlikely-request)…'
    ),
  evidence: z.string().optional().title('Evidence').describe('The words behind the refusal ("don\'t", "yesterday")'),
  weighed: z
    .array(z.string())
    .optional()
    .title('Weighed words')
    .describe(
      'For a decision of the request check: the words that weighed most against a request (a refusal) or for one (a near miss taken)'
    ),
  explanation: z.string().title('Explanation').describe('One sentence that says why it matched or not'),
})

export const getHandoffStatusInputSchema = z.object({
  conversationId: z
    .string()

    .min(1)
    .title('Conversation id')
    .describe(
      'The HITL conversation id, or the bot conversation id when the Start HITL card set "Bot conversation id"'
    ),
})

export const getHandoffStatusOutputSchema = z.object({
  found: z.boolean().title('Found').describe('Whether a hand-off exists for this conversation'),
  hitlConversationId: z
    .string()
    .optional()
    .title('HITL conversation id')
    .describe('The HITL conversation of the hand-off'),
  status: handoffStatusSchema.optional().title('Status').describe('bot, connecting, queued, agent or ended'),
  endReason: endReasonSchema
    .optional()
    .title('End reason')
    .describe('agent, visitor, no_agent, timeout or error, once ended'),
  endDetail: z.string().optional().title('End detail').describe('What the hop server said about the end'),
  agentName: z.string().optional().title('Agent name').describe('The agent who handled the chat'),
})

export const actions = {
  matchTrigger: {
    title: 'Match trigger phrase',
    description: 'Tells whether a message asks for a human ("chat with an agent", "parler à un conseiller"…)',
    input: { schema: matchTriggerInputSchema },
    output: { schema: matchTriggerOutputSchema },
    billable: false,
    cacheable: true,
  },
  getHandoffStatus: {
    title: 'Get hand-off status',
    description: 'Where a hand-off is and, once it ended, why (to branch after the Start HITL card)',
    input: { schema: getHandoffStatusInputSchema },
    output: { schema: getHandoffStatusOutputSchema },
    billable: false,
    cacheable: false,
  },
} satisfies IntegrationDefinitionProps['actions']
