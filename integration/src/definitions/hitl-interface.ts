// The Botpress HITL interface, version 2.0.0 (the version of the @botpress/sdk 5.4.3 era), written out by hand:
// without the Botpress CLI there is no generated `bp_modules/hitl` package to import. It declares what the interface
// declares, field for field (test/interface-shape.test.ts compares it with a record of the published shape):
// - actions createUser / startHitl / stopHitl and events hitlAssigned / hitlStopped, all hidden in Studio (the HITL
//   plugin calls them; a bot builder never should);
// - the `hitl` channel: text, image, audio, video, file and bloc, where bloc is the markdown bloc (its items may be
//   markdown), each with an optional `userId` (send as that user: the plugin sets it on the customer's messages);
// - startHitl's messageHistory: every standard message type, plus markdown, with bloc as the markdown bloc;
// - the `hitlSession` entity, specialized by the integration.
import { messages, WELL_KNOWN_ATTRIBUTES, z, type InterfacePackage } from '@botpress/sdk'

export const HITL_INTERFACE_NAME = 'hitl'
export const HITL_INTERFACE_VERSION = '2.0.0'

const HIDDEN_IN_STUDIO = { ...WELL_KNOWN_ATTRIBUTES.HIDDEN_IN_STUDIO }

// The published interface was generated from an sdk whose image, audio and video payloads had no title (file has
// one); the schemas below say exactly that rather than take sdk 5.4.3's defaults, which added titles.
const url = () => z.string().min(1)
const mediaPayloads = {
  image: z.object({ imageUrl: url() }),
  audio: z.object({ audioUrl: url() }),
  video: z.object({ videoUrl: url() }),
  file: z.object({ fileUrl: url(), title: z.string().min(1).optional() }),
}
const blocItemSchema = z.union([
  z.object({ type: z.literal('text'), payload: messages.defaults.text.schema }),
  z.object({ type: z.literal('markdown'), payload: messages.markdown.schema }),
  z.object({ type: z.literal('image'), payload: mediaPayloads.image }),
  z.object({ type: z.literal('audio'), payload: mediaPayloads.audio }),
  z.object({ type: z.literal('video'), payload: mediaPayloads.video }),
  z.object({ type: z.literal('file'), payload: mediaPayloads.file }),
  z.object({ type: z.literal('location'), payload: messages.defaults.location.schema }),
])
/** The bloc of the interface: the markdown bloc (items may be markdown). */
const blocPayload = z.object({ items: z.array(blocItemSchema) })

/** The message types a history entry may have: the defaults, markdown, and the markdown flavour of bloc. */
const historyMessages = {
  ...messages.defaults,
  image: { schema: mediaPayloads.image },
  audio: { schema: mediaPayloads.audio },
  video: { schema: mediaPayloads.video },
  file: { schema: mediaPayloads.file },
  bloc: { schema: blocPayload },
  markdown: messages.markdown,
}
type HistoryMessages = typeof historyMessages
export type HistoryMessageType = keyof HistoryMessages

const userIdField = z
  .string()
  .optional()
  .title('User id')
  .describe('Allows sending a message pretending to be a certain user')

/** The six message types of the `hitl` channel: the standard payloads (bloc: the markdown bloc) plus a sender. */
export const hitlMessageSchemas = {
  text: messages.defaults.text.schema.extend({ userId: userIdField }),
  image: mediaPayloads.image.extend({ userId: userIdField }),
  audio: mediaPayloads.audio.extend({ userId: userIdField }),
  video: mediaPayloads.video.extend({ userId: userIdField }),
  file: mediaPayloads.file.extend({ userId: userIdField }),
  bloc: blocPayload.extend({ userId: userIdField }),
}
export type HitlMessageType = keyof typeof hitlMessageSchemas
export type HitlMessagePayloads = { [K in HitlMessageType]: z.infer<(typeof hitlMessageSchemas)[K]> }

const messageSourceSchema = z.union([
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('bot') }),
])

export type HistoryMessage = {
  [K in HistoryMessageType]: {
    source: z.infer<typeof messageSourceSchema>
    type: K
    payload: z.infer<HistoryMessages[K]['schema']>
  }
}[HistoryMessageType]

const historyMessageSchemas = Object.entries(historyMessages).map(([type, definition]) =>
  z.object({ source: messageSourceSchema, type: z.literal(type), payload: definition.schema })
)
export const historyMessageSchema = z.union(
  historyMessageSchemas as unknown as [z.AnyZodObject, z.AnyZodObject, ...z.AnyZodObject[]]
) as unknown as z.ZodType<HistoryMessage>

export const createUserInputSchema = z.object({
  name: z.string().title('Display name').describe('Display name of the end user'),
  pictureUrl: z.string().title('Picture URL').describe("URL of the end user's avatar").optional(),
  email: z.string().title('Email address').describe('Email address of the end user').optional(),
})
export const createUserOutputSchema = z.object({
  userId: z.string().title('Botpress user ID').describe('ID of the Botpress user representing the end user'),
})

/** startHitl's input, with the integration's specialization of `hitlSession` plugged in. */
export const buildStartHitlInputSchema = <S extends z.ZodTypeAny>(hitlSession: S) =>
  z.object({
    userId: z.string().title('User ID').describe('ID of the Botpress user representing the end user'),
    title: z.string().optional().title('Title').describe('Title of the HITL session (a ticket title)'),
    description: z.string().optional().title('Description').describe('Description of the HITL session'),
    hitlSession: hitlSession.optional().title('Extra configuration').describe('Configuration of the HITL session'),
    messageHistory: z
      .array(historyMessageSchema)
      .title('Conversation history')
      .describe('History of all messages in the conversation up to this point, shown to the human agent'),
  })
export const startHitlOutputSchema = z.object({
  conversationId: z
    .string()
    .title('HITL session ID')
    .describe('ID of the Botpress conversation representing the HITL session'),
})

export const stopHitlInputSchema = z.object({
  conversationId: z
    .string()
    .title('HITL session ID')
    .describe('ID of the Botpress conversation representing the HITL session'),
})
export const stopHitlOutputSchema = z.object({})

export const hitlAssignedSchema = z.object({
  conversationId: z
    .string()
    .title('HITL session ID')
    .describe('ID of the Botpress conversation representing the HITL session'),
  userId: z
    .string()
    .title('Human agent user ID')
    .describe('ID of the Botpress user representing the human agent assigned to the HITL session'),
})
export const hitlStoppedSchema = z.object({
  conversationId: z
    .string()
    .title('HITL session ID')
    .describe('ID of the Botpress conversation representing the HITL session'),
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
        description: 'A HITL session, often referred to as a ticket or conversation in external systems',
        schema: z.object({}),
      },
    },
    events: {
      hitlAssigned: { attributes: HIDDEN_IN_STUDIO, schema: hitlAssignedSchema },
      hitlStopped: { attributes: HIDDEN_IN_STUDIO, schema: hitlStoppedSchema },
    },
    actions: {
      createUser: {
        title: 'Create external user',
        description: 'Create an end user in the external service and in Botpress',
        billable: false,
        cacheable: false,
        attributes: HIDDEN_IN_STUDIO,
        input: { schema: createUserInputSchema },
        output: { schema: createUserOutputSchema },
      },
      startHitl: {
        title: 'Start new HITL session',
        description: 'Create a new HITL session in the external service and in Botpress',
        billable: false,
        cacheable: false,
        attributes: HIDDEN_IN_STUDIO,
        input: { schema: buildStartHitlInputSchema(z.ref('hitlSession')) },
        output: { schema: startHitlOutputSchema },
      },
      stopHitl: {
        title: 'Stop HITL session',
        description: 'Stop an existing HITL session in the external service',
        billable: false,
        cacheable: false,
        attributes: HIDDEN_IN_STUDIO,
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
