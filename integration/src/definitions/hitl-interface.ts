// The Botpress HITL interface, version 2.0.0, written out by hand: without the Botpress CLI there is no generated
// `bp_modules/hitl` package to import. It mirrors the official interface (actions createUser / startHitl / stopHitl,
// events hitlAssigned / hitlStopped, the `hitl` channel with six message types, the `hitlSession` entity) so the
// HITL plugin can drive this integration. Keep it in step with the interface the Botpress Hub publishes.
import { messages, z, type InterfacePackage } from '@botpress/sdk'

export const HITL_INTERFACE_NAME = 'hitl'
export const HITL_INTERFACE_VERSION = '2.0.0'

const defaults = messages.defaults
type DefaultMessages = typeof defaults
export type DefaultMessageType = keyof DefaultMessages

const userIdField = z
  .string()
  .optional()
  .title('User id')
  .describe('Send the message as this Botpress user (the customer) rather than the bot')

/** The six message types of the `hitl` channel: the standard payloads plus an optional sender. */
export const hitlMessageSchemas = {
  text: defaults.text.schema.extend({ userId: userIdField }),
  image: defaults.image.schema.extend({ userId: userIdField }),
  audio: defaults.audio.schema.extend({ userId: userIdField }),
  video: defaults.video.schema.extend({ userId: userIdField }),
  file: defaults.file.schema.extend({ userId: userIdField }),
  bloc: defaults.bloc.schema.extend({ userId: userIdField }),
}
export type HitlMessageType = keyof typeof hitlMessageSchemas
export type HitlMessagePayloads = { [K in HitlMessageType]: z.infer<(typeof hitlMessageSchemas)[K]> }

const messageSourceSchema = z.union([
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('bot') }),
])

export type HistoryMessage = {
  [K in DefaultMessageType]: {
    source: z.infer<typeof messageSourceSchema>
    type: K
    payload: z.infer<DefaultMessages[K]['schema']>
  }
}[DefaultMessageType]

// Any standard message can be in the history the plugin hands over (choices, cards…), not only the six hitl types.
const historyMessageSchemas = Object.entries(defaults).map(([type, definition]) =>
  z.object({ source: messageSourceSchema, type: z.literal(type), payload: definition.schema })
)
export const historyMessageSchema = z.union(
  historyMessageSchemas as unknown as [z.AnyZodObject, z.AnyZodObject, ...z.AnyZodObject[]]
) as unknown as z.ZodType<HistoryMessage>

export const createUserInputSchema = z.object({
  name: z.string().title('Display name').describe('Display name of the customer'),
  pictureUrl: z.string().optional().title('Picture URL').describe("URL of the customer's avatar"),
  email: z.string().optional().title('Email address').describe('Email address of the customer'),
})
export const createUserOutputSchema = z.object({
  userId: z
    .string()
    .title('Botpress user id')
    .describe('The Botpress user that stands for the customer in the hand-off'),
})

/** startHitl's input, with the integration's specialization of `hitlSession` plugged in. */
export const buildStartHitlInputSchema = <S extends z.ZodTypeAny>(hitlSession: S) =>
  z.object({
    userId: z.string().title('User id').describe('The Botpress user returned by createUser'),
    title: z.string().optional().title('Title').describe('Title of the hand-off (a subject line for the agent)'),
    description: z.string().optional().title('Description').describe('Description of the hand-off'),
    hitlSession: hitlSession.optional().title('Extra configuration').describe('Configuration of this hand-off'),
    messageHistory: z
      .array(historyMessageSchema)
      .title('Conversation history')
      .describe('The conversation so far; it becomes the transcript the agent receives'),
  })
export const startHitlOutputSchema = z.object({
  conversationId: z.string().title('HITL conversation id').describe('The Botpress conversation of the hand-off'),
})

export const stopHitlInputSchema = z.object({
  conversationId: z.string().title('HITL conversation id').describe('The Botpress conversation of the hand-off'),
})
export const stopHitlOutputSchema = z.object({})

export const hitlAssignedSchema = z.object({
  conversationId: z.string().title('HITL conversation id').describe('The Botpress conversation of the hand-off'),
  userId: z.string().title('Agent user id').describe('The Botpress user that stands for the agent'),
})
export const hitlStoppedSchema = z.object({
  conversationId: z.string().title('HITL conversation id').describe('The Botpress conversation of the hand-off'),
})

export const hitlInterface = {
  type: 'interface',
  name: HITL_INTERFACE_NAME,
  version: HITL_INTERFACE_VERSION,
  definition: {
    name: HITL_INTERFACE_NAME,
    version: HITL_INTERFACE_VERSION,
    entities: {
      hitlSession: {
        title: 'HITL session',
        description: 'A HITL session: a ticket or a chat in the external service',
        schema: z.object({}),
      },
    },
    events: {
      hitlAssigned: { title: 'HITL assigned', description: 'An agent took the hand-off', schema: hitlAssignedSchema },
      hitlStopped: { title: 'HITL stopped', description: 'The hand-off ended', schema: hitlStoppedSchema },
    },
    actions: {
      createUser: {
        title: 'Create external user',
        description: 'Create the customer in the external service and in Botpress',
        input: { schema: createUserInputSchema },
        output: { schema: createUserOutputSchema },
      },
      startHitl: {
        title: 'Start new HITL session',
        description: 'Start a hand-off in the external service and create its Botpress conversation',
        input: { schema: buildStartHitlInputSchema(z.ref('hitlSession')) },
        output: { schema: startHitlOutputSchema },
      },
      stopHitl: {
        title: 'Stop HITL session',
        description: 'End a hand-off in the external service',
        input: { schema: stopHitlInputSchema },
        output: { schema: stopHitlOutputSchema },
      },
    },
    channels: {
      hitl: {
        messages: {
          text: { schema: hitlMessageSchemas.text },
          image: { schema: hitlMessageSchemas.image },
          audio: { schema: hitlMessageSchemas.audio },
          video: { schema: hitlMessageSchemas.video },
          file: { schema: hitlMessageSchemas.file },
          bloc: { schema: hitlMessageSchemas.bloc },
        },
      },
    },
  },
} satisfies InterfacePackage
