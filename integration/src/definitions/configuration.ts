import { z, type IntegrationDefinitionProps } from '@botpress/sdk'
import { RESCUE_NAMED_ONLY } from '../router/model/definitions.js'

// Salesforce ids are 15 or 18 characters; the 3-character prefix says what the id is (org 00D, deployment 572, button 573).
const salesforceId = (prefix: string, what: string) =>
  z
    .string()

    .regex(
      new RegExp(`^${prefix}[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$`),
      `${what} is a 15 or 18 character Salesforce id starting with ${prefix}`
    )

/** The Salesforce chat products the hop server speaks; the create-chat request names the one a chat uses. */
export const BACKENDS = ['live-agent', 'enhanced-chat'] as const
export type Backend = (typeof BACKENDS)[number]

/** What the integration knows about a customer and a hand-off, to fill Enhanced Chat pre-chat fields. */
export const PRECHAT_USER_FIELDS = ['name', 'firstName', 'lastName', 'email', 'subject', 'description'] as const
export type PrechatUserField = (typeof PRECHAT_USER_FIELDS)[number]

const localeSchema = z
  .string()

  .min(2)
  .title('Locale')
  .describe('Language code such as en, fr, de or es (a region such as fr-CA is reduced to fr)')

const phraseListSchema = z
  .array(
    z.object({
      locale: localeSchema,
      phrases: z.array(z.string().min(1)).title('Phrases').describe('Phrases for this locale, one per entry'),
    })
  )
  .default([])

// The router's lists: a designer adds words and phrases per locale; router/router-config.ts checks them on save.
const MAX_ROUTER_ENTRY_LENGTH = 200
const routerEntry = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(MAX_ROUTER_ENTRY_LENGTH, `${what} must be at most ${MAX_ROUTER_ENTRY_LENGTH} characters`)

const wordListSchema = (what: string) =>
  z
    .array(
      z.object({
        locale: localeSchema,
        words: z.array(routerEntry(what)).title('Words').describe('One word or short expression per entry'),
      })
    )
    .default([])

// The request check (router/model/): per locale, off, or with the designer's own labelled sentences.
export const MAX_REQUEST_CHECK_EXAMPLES = 500
const requestCheckSchema = z
  .array(
    z.object({
      locale: localeSchema,
      enabled: z
        .boolean()
        .default(true)
        .title('Check on')
        .describe('Off: the rules alone decide in this locale (a configured phrase or a bare target is never checked)'),
      rescue: z
        .union([z.boolean(), z.literal(RESCUE_NAMED_ONLY)])
        .optional()
        .title('Take near misses')
        .describe(
          `A message the rules nearly took that the check reads as a request matches, by the rule likely-request. "${RESCUE_NAMED_ONLY}": only when a person is named but no request word was found ("a human agent please"); true: also a request word with a person the rules do not know ("could I have a word with the groundskeeper"); false: never. Unset: the language's built-in default (see the integration's documentation)`
        ),
      examples: z
        .array(routerEntry('An example'))
        .max(MAX_REQUEST_CHECK_EXAMPLES)
        .default([])
        .title('Examples')
        .describe('Your sentences, learnt with the built-in ones: "+ …" asks for a person, "- …" does not'),
    })
  )
  .default([])

const messagesSchema = z.object({
  locale: localeSchema,
  queuePosition: z
    .string()
    .optional()
    .title('Queue position')
    .describe('Sent when the customer joins or moves in the queue; {position} is the place in the queue'),
  queueWait: z
    .string()
    .optional()
    .title('Queue position and wait')
    .describe('The same when Live Agent estimates the wait; {position} and {minutes} are filled in'),
  stillConnecting: z
    .string()
    .optional()
    .title('Still connecting')
    .describe('Sent once, when the customer writes before an agent joined'),
})

export const configurationSchema = z.object({
  hopServerUrl: z
    .string()

    .url()
    .title('Hop server URL')
    .describe('Base URL of your hop server, for example https://hop.example.com. The integration calls its /v1 API.'),
  tenantId: z
    .string()

    .min(1)
    .title('Tenant id')
    .describe('Your tenant id on the hop server. Sent with every request and expected on every webhook it sends back.'),
  sharedSecret: z
    .string()
    .min(16)
    .secret()
    .title('Shared secret')
    .describe(
      'The HMAC secret the hop server keeps for this tenant (at least 16 characters). Signs requests both ways.'
    ),
  backend: z
    .enum(BACKENDS)
    .default('live-agent')
    .title('Salesforce chat product')
    .describe(
      'live-agent for orgs on legacy Chat (Live Agent); enhanced-chat for Messaging for In-App and Web (Enhanced Chat), the only one new orgs get. Each needs its own fields below.'
    ),
  liveAgentEndpoint: z
    .string()

    .url()
    .optional()
    .title('Live Agent chat endpoint')
    .describe(
      'Live Agent only. Chat API endpoint from Salesforce Setup (Chat Settings), for example https://d.la1-c2-ia2.salesforceliveagent.com/chat'
    ),
  organizationId: salesforceId('00D', 'The organization id')
    .title('Organization id')
    .describe(
      'Salesforce organization id (starts with 00D), 15 or 18 characters; Enhanced Chat uses the 15-character form, converted for you'
    ),
  deploymentId: salesforceId('572', 'The deployment id')
    .optional()
    .title('Deployment id')
    .describe('Live Agent only. Chat deployment id (starts with 572)'),
  buttonId: salesforceId('573', 'The button id')
    .optional()
    .title('Button id')
    .describe('Live Agent only. Chat button id (starts with 573): the queue that gets the chats'),
  scrtUrl: z
    .string()

    .optional()
    .title('SCRT2 URL')
    .describe(
      'Enhanced Chat only. The SCRT URL of the Embedded Service deployment (its Code Snippet), for example https://acme.my.salesforce-scrt.com'
    ),
  esDeveloperName: z
    .string()

    .optional()
    .title('Deployment API name')
    .describe(
      'Enhanced Chat only. API name of the Embedded Service deployment (esDeveloperName), for example Botpress_Handoff'
    ),
  prechatFields: z
    .array(
      z.object({
        userField: z
          .enum(PRECHAT_USER_FIELDS)
          .title('Botpress value')
          .describe(
            'name, firstName, lastName (the user name split at its last space), email (the email tag), subject or description (from the hand-off)'
          ),
        prechatField: z
          .string()

          .min(1)
          .title('Pre-chat field')
          .describe('API name of the pre-chat field (visible or hidden), for example _firstName or Bot_Region'),
      })
    )
    .default([])
    .title('Pre-chat fields')
    .describe(
      'Enhanced Chat only. Which Botpress values fill which pre-chat fields of the deployment (sent as routing attributes). Salesforce ignores names it does not know, silently.'
    ),
  buttonOverrides: z
    .array(salesforceId('573', 'A button override'))
    .default([])
    .title('Button overrides')
    .describe('Live Agent only. Optional other buttons Live Agent tries, in order, when routing the chat'),
  apiVersion: z
    .string()

    .regex(/^\d{2,3}$/, 'The API version is a number such as 63')
    .default('63')
    .title('Live Agent API version')
    .describe('Live Agent only. Value of the X-LIVEAGENT-API-VERSION header, for example 63'),
  visitorNameTemplate: z
    .string()

    .min(1)
    .default('{name}')
    .title('Visitor name template')
    .describe('Name the agent sees for the customer; {name} and {email} are filled in from the Botpress user'),
  defaultLocale: localeSchema
    .default('en')
    .title('Default locale')
    .describe('Locale of system messages when the hand-off does not say otherwise'),
  useBuiltInPhrases: z
    .boolean()
    .default(true)
    .title('Use built-in vocabulary')
    .describe(
      'Keep the built-in cue words, target words and cancel expressions for en, fr, de and es next to yours (negation and narration rules always apply)'
    ),
  triggerPhrases: phraseListSchema
    .title('Trigger phrases')
    .describe(
      'Your phrases that ask for a human, per locale ("chat with an agent"). A message that is exactly a phrase always matches; inside a sentence it matches unless negated or narrated.'
    ),
  triggerCues: wordListSchema('A cue word')
    .title('Trigger cue words')
    .describe('Words that ask for someone together with a target word, per locale ("page", "ring me")'),
  triggerTargets: wordListSchema('A target word')
    .title('Trigger target words')
    .describe('Whom a customer may ask for, per locale ("concierge", "travel expert"); alone they match too'),
  neverTriggerPhrases: phraseListSchema
    .title('Never-trigger phrases')
    .describe('Phrases that must never start a hand-off, per locale ("agent portal", "human resources")'),
  requestCheck: requestCheckSchema
    .title('Request check')
    .describe(
      'A statistical second look that refuses a rule match reading like a remark ("I brought a support person with me"). On for every locale unless listed here as off.'
    ),
  cancelPhrases: phraseListSchema
    .title('Cancel phrases')
    .describe(
      'Your phrases that cancel the hand-off while the customer waits for an agent ("cancel", "never mind"); they cancel only when the message is the cancellation itself'
    ),
  waitingNotices: z
    .boolean()
    .default(false)
    .title('Tell the wait')
    .describe(
      'Tell the customer their queue position, the estimated wait and "still connecting" while they wait. Off by default: Botpress\'s HITL plugin takes whoever writes first in the hand-off for the agent, so it then announces the agent early and its agent-assigned timeout no longer works (see the readme).'
    ),
  messages: z
    .array(messagesSchema)
    .default([])
    .title('Waiting notices')
    .describe(
      'Override the waiting notices per locale (when "Tell the wait" is on); an empty text sends nothing. Built-in texts exist for en, fr, de and es.'
    ),
  transcriptMode: z
    .enum(['summary', 'messages', 'none'])
    .default('summary')
    .title('Transcript hand-over')
    .describe('How the bot conversation reaches the agent: one summary message, one message per line, or none'),
  transcriptPrechatField: z
    .string()

    .min(1)
    .optional()
    .title('Transcript prechat field')
    .describe(
      'Optional chat transcript field (for example Bot_Transcript__c) that also receives the transcript as a prechat detail'
    ),
})

export const configuration = {
  schema: configurationSchema,
} satisfies IntegrationDefinitionProps['configuration']

export type ConfigurationInput = z.input<typeof configurationSchema>
export type Configuration = z.output<typeof configurationSchema>
