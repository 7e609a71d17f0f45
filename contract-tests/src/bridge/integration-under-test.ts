// The consumer under test: the Botpress integration's real hop client (HTTP API) and its real webhook handler
// (`integration.webhook`, which checks the signature and parses the event with the integration's own schemas).
import integration, {
  buildChatRequest,
  HopClient,
  Settings,
  signRequest,
  type ConfigurationInput,
  type CreateChatRequest,
  type HandoffRequest,
} from '@liveagent-hop/integration'
import { LIVE_AGENT_IDS } from '../live-agent/contract.js'
import { EXAMPLE, HANDOFF, TENANT } from './contract.js'

type WebhookProps = Parameters<typeof integration.webhook>[0]

export interface WebhookAnswer {
  status: number
  body: { outcome?: string; message?: string }
}

/** What the integration does with each retry: nothing slow, the contract does not care about pacing. */
const FAST_RETRY_MS = 10

export function hopClient(baseUrl: string, tenant: { id: string; secret: string } = TENANT): HopClient {
  return new HopClient({ baseUrl, tenantId: tenant.id, secret: tenant.secret, retryDelayMs: FAST_RETRY_MS })
}

/**
 * The configuration a bot builder would enter: the tenant, the Live Agent target, the transcript as one summary that
 * is also saved to a chat transcript field. Built-in phrases and messages, default visitor name. (Neither the webhook
 * handler nor the request builder calls the hop server URL.)
 */
const CONFIGURATION = {
  hopServerUrl: 'https://hop.example.com',
  tenantId: TENANT.id,
  sharedSecret: TENANT.secret,
  liveAgentEndpoint: EXAMPLE.liveAgent.endpoint,
  ...LIVE_AGENT_IDS,
  apiVersion: EXAMPLE.liveAgent.apiVersion,
  transcriptMode: HANDOFF.transcriptMode,
  transcriptPrechatField: HANDOFF.transcriptPrechatField,
} satisfies ConfigurationInput

/**
 * The same bot builder on Enhanced Chat: the deployment's SCRT2 URL, org id and API name, and three Botpress user
 * fields mapped to the deployment's standard pre-chat fields.
 */
const ENHANCED_CHAT_CONFIGURATION = {
  hopServerUrl: CONFIGURATION.hopServerUrl,
  tenantId: TENANT.id,
  sharedSecret: TENANT.secret,
  backend: 'enhanced-chat',
  scrtUrl: EXAMPLE.enhancedChat.scrtUrl,
  organizationId: EXAMPLE.enhancedChat.orgId,
  esDeveloperName: EXAMPLE.enhancedChat.esDeveloperName,
  prechatFields: [
    { userField: 'firstName', prechatField: '_firstName' },
    { userField: 'email', prechatField: '_email' },
    { userField: 'subject', prechatField: '_subject' },
  ],
  transcriptMode: HANDOFF.transcriptMode,
  transcriptPrechatField: HANDOFF.transcriptPrechatField,
} satisfies ConfigurationInput

type Context = Parameters<typeof buildChatRequest>[0]

/** The integration instance as Botpress runs it, for one operation. */
function contextFor(operation: string, configuration: ConfigurationInput = CONFIGURATION): Context {
  return {
    botId: 'bot_contract',
    botUserId: 'user_contract',
    integrationId: 'int_contract',
    integrationAlias: 'liveagent',
    webhookId: EXAMPLE.webhookId,
    operation,
    configurationType: null,
    configuration,
  }
}

const CUSTOMER = { type: 'user', userId: HANDOFF.userId } as const
const BOT = { type: 'bot' } as const

/**
 * The conversation so far, as the HITL plugin hands it to startHitl, with the times startHitl reads from the bot
 * conversation when the Start HITL card names it (without them, lines carry no time).
 */
const HISTORY: HandoffRequest['history'] = [
  { source: CUSTOMER, type: 'text', payload: { text: HANDOFF.conversation.question }, at: HANDOFF.at },
  { source: BOT, type: 'text', payload: { text: HANDOFF.conversation.botAnswer }, at: HANDOFF.at },
  { source: CUSTOMER, type: 'text', payload: { text: HANDOFF.conversation.askForHuman }, at: HANDOFF.at },
]

/**
 * The body the integration sends to POST /v1/chats for the example hand-off, made as startHitl makes it: Settings
 * from the context's configuration, then the integration's own buildChatRequest. A change to the builder changes
 * this body, and the consumer test then fails against the contract.
 */
export function integrationChatRequest(): CreateChatRequest {
  return chatRequestFor(contextFor('action_triggered'))
}

/** The same hand-off as the integration sends it when configured for Enhanced Chat. */
export function integrationEnhancedChatRequest(): CreateChatRequest {
  return chatRequestFor(contextFor('action_triggered', ENHANCED_CHAT_CONFIGURATION))
}

function chatRequestFor(ctx: Context): CreateChatRequest {
  const handoff: HandoffRequest = {
    conversationId: EXAMPLE.conversationId,
    locale: EXAMPLE.visitor.language,
    buttonId: undefined,
    visitor: { name: EXAMPLE.visitor.name, email: EXAMPLE.email },
    title: HANDOFF.title,
    description: HANDOFF.description,
    history: HISTORY,
  }
  return withWebhookBaseUrl(EXAMPLE.webhookBaseUrl, () => buildChatRequest(ctx, Settings.fromContext(ctx), handoff))
}

/** buildChatRequest takes the webhook host from BP_WEBHOOK_URL; the example is Botpress Cloud's, whatever the shell says. */
function withWebhookBaseUrl<T>(baseUrl: string, build: () => T): T {
  const previous = process.env.BP_WEBHOOK_URL
  process.env.BP_WEBHOOK_URL = baseUrl
  try {
    return build()
  } finally {
    if (previous === undefined) delete process.env.BP_WEBHOOK_URL
    else process.env.BP_WEBHOOK_URL = previous
  }
}

async function withWebhookBaseUrlAsync<T>(baseUrl: string, run: () => Promise<T>): Promise<T> {
  const previous = process.env.BP_WEBHOOK_URL
  process.env.BP_WEBHOOK_URL = baseUrl
  try {
    return await run()
  } finally {
    if (previous === undefined) delete process.env.BP_WEBHOOK_URL
    else process.env.BP_WEBHOOK_URL = previous
  }
}

/** Nothing is stored for any conversation: the handler parses the event, then finds no hand-off to apply it to. */
const EMPTY_BOTPRESS_CLIENT = {
  getState: async () => ({ state: { payload: null } }),
}

const SILENT_LOGGER = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  forBot: () => SILENT_LOGGER,
  withConversationId: () => SILENT_LOGGER,
  withUserId: () => SILENT_LOGGER,
}

/**
 * Delivers one webhook body to the integration as the hop server would: POST, JSON, signed with the tenant's
 * secret over the example webhook URL, relayed by Botpress Cloud as the path after the webhook id ("/"). Resolves
 * with the handler's answer.
 */
export async function deliverWebhook(content: unknown): Promise<WebhookAnswer> {
  const body = JSON.stringify(content)
  const signed = { method: 'POST', target: new URL(EXAMPLE.webhookUrl).href, rawBody: body }
  const props = {
    ctx: contextFor('webhook_received'),
    client: EMPTY_BOTPRESS_CLIENT,
    logger: SILENT_LOGGER,
    req: {
      method: 'POST',
      path: '/',
      query: '',
      headers: {
        'content-type': 'application/json',
        ...signRequest({ tenantId: TENANT.id, secret: TENANT.secret, ...signed }),
      },
      body,
    },
  } as unknown as WebhookProps
  // The handler rebuilds its webhook URL from BP_WEBHOOK_URL to check what was signed.
  const response = await withWebhookBaseUrlAsync(EXAMPLE.webhookBaseUrl, () => integration.webhook(props))
  return {
    status: response?.status ?? 200,
    body: response?.body ? (JSON.parse(response.body) as WebhookAnswer['body']) : {},
  }
}
