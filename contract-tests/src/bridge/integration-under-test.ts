// The consumer under test: the Botpress integration's real hop client (HTTP API) and its real webhook handler
// (`integration.webhook`, which checks the signature and parses the event with the integration's own schemas).
import integration, { HopClient, signRequest } from '@liveagent-hop/integration'
import { LIVE_AGENT_IDS } from '../live-agent/contract.js'
import { EXAMPLE, TENANT } from './contract.js'

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

/** The configuration a bot builder would enter (the hop server URL is not used by the webhook handler). */
const CONFIGURATION = {
  hopServerUrl: 'https://hop.example.com',
  tenantId: TENANT.id,
  sharedSecret: TENANT.secret,
  liveAgentEndpoint: EXAMPLE.liveAgent.endpoint,
  ...LIVE_AGENT_IDS,
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
 * secret. Resolves with the handler's answer.
 */
export async function deliverWebhook(content: unknown): Promise<WebhookAnswer> {
  const body = JSON.stringify(content)
  const props = {
    ctx: {
      botId: 'bot_contract',
      botUserId: 'user_contract',
      integrationId: 'int_contract',
      integrationAlias: 'liveagent',
      webhookId: 'wh_contract',
      operation: 'webhook_received',
      configurationType: null,
      configuration: CONFIGURATION,
    },
    client: EMPTY_BOTPRESS_CLIENT,
    logger: SILENT_LOGGER,
    req: {
      method: 'POST',
      path: '/',
      query: '',
      headers: {
        'content-type': 'application/json',
        ...signRequest({ tenantId: TENANT.id, secret: TENANT.secret, rawBody: body }),
      },
      body,
    },
  } as unknown as WebhookProps
  const response = await integration.webhook(props)
  return {
    status: response?.status ?? 200,
    body: response?.body ? (JSON.parse(response.body) as WebhookAnswer['body']) : {},
  }
}
