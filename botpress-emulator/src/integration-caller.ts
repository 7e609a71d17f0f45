// Botpress's side of the runtime protocol: every call to an integration is a POST to its HTTP server with the x-bp-*
// headers (operation, bot, webhook id, base64 configuration), which the SDK's dispatcher decodes into `ctx`.
import { botpressHeaders, type BotpressOperation, type RuntimeIdentity } from './runtime-headers.js'

/** How long Botpress waits for one integration call; an integration on loopback answers in milliseconds. */
const CALL_TIMEOUT_MS = 30_000

/** The integration's answer as it came: status, parsed body (or the text when it is not JSON) and the text. */
export type RuntimeResponse = { status: number; body: unknown; text: string }

/** An integration answered with an error: `message` is what a RuntimeError said, or the SDK's generic text. */
export class IntegrationCallError extends Error {
  public constructor(
    public readonly operation: BotpressOperation,
    public readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export type WebhookRequest = {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string
}

export class IntegrationCaller {
  public constructor(
    private readonly _url: string,
    private readonly _identity: RuntimeIdentity,
    /** Read at every call, as Botpress sends the configuration of the moment with each one. */
    private readonly _configuration: () => unknown
  ) {}

  public get identity(): RuntimeIdentity {
    return this._identity
  }

  public get configuration(): unknown {
    return this._configuration()
  }

  /** `action_triggered`: resolves to the action's output, rejects with IntegrationCallError. */
  public async action<T = Record<string, unknown>>(type: string, input: unknown): Promise<T> {
    const { body } = await this._expectOk('action_triggered', { type, input }, type)
    return (body as { output: T }).output
  }

  /** `message_created`: a bot message in one of the integration's conversations goes to its channel handler. */
  public async messageCreated(body: MessageCreated): Promise<void> {
    await this._expectOk('message_created', body, body.type)
  }

  public async register(webhookUrl: string): Promise<void> {
    await this._expectOk('register', { webhookUrl })
  }

  /** `webhook_received`: the request exactly as it reached Botpress's webhook URL; the answer goes back as is. */
  public async webhook(req: WebhookRequest): Promise<RuntimeResponse> {
    return this.call('webhook_received', { req })
  }

  /** One call, answered as it came (errors included): what a test of the dispatcher looks at. */
  public async call(operation: BotpressOperation, body: unknown, type?: string): Promise<RuntimeResponse> {
    const response = await fetch(this._url, {
      method: 'POST',
      headers: botpressHeaders({
        operation,
        configuration: this._configuration(),
        identity: this._identity,
        ...(type ? { type } : {}),
      }),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    })
    const text = await response.text()
    return { status: response.status, body: parseJson(text), text }
  }

  private async _expectOk(operation: BotpressOperation, body: unknown, type?: string): Promise<RuntimeResponse> {
    const response = await this.call(operation, body, type)
    if (response.status < 200 || response.status >= 300) {
      throw new IntegrationCallError(operation, response.status, errorMessageOf(response.body))
    }
    return response
  }
}

export type MessageCreated = {
  conversation: unknown
  user: unknown
  message: { id: string }
  type: string
  payload: unknown
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** RuntimeError bodies carry `message`; the SDK's own failures carry `error`. */
const errorMessageOf = (body: unknown): string => {
  if (typeof body === 'object' && body !== null) {
    const { message, error } = body as { message?: unknown; error?: unknown }
    if (typeof message === 'string') return message
    if (typeof error === 'string') return error
  }
  return typeof body === 'string' && body ? body : 'the integration failed without a message'
}
