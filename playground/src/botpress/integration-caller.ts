// Botpress's side of the runtime protocol: every call to an integration is a POST to its HTTP server with the x-bp-*
// headers (operation, bot, webhook id, base64 configuration), which the SDK's dispatcher decodes into `ctx`.
import { botpressHeaders, type BotpressOperation, type RuntimeIdentity } from '@liveagent-hop/botpress-emulator'

/** How long Botpress waits for one integration call; the hop server answers in milliseconds on loopback. */
const CALL_TIMEOUT_MS = 30_000

export type IntegrationResponse = { status: number; body: unknown }

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

export class IntegrationCaller {
  public constructor(
    private readonly _url: string,
    private readonly _identity: RuntimeIdentity,
    private readonly _configuration: unknown
  ) {}

  public get identity(): RuntimeIdentity {
    return this._identity
  }

  /** The integration's configuration, as Botpress sends it with every call. */
  public get configuration(): unknown {
    return this._configuration
  }

  /** `action_triggered`: resolves to the action's output, rejects with IntegrationCallError. */
  public async action<T = Record<string, unknown>>(type: string, input: unknown): Promise<T> {
    const { body } = await this._expectOk('action_triggered', { type, input }, type)
    return (body as { output: T }).output
  }

  /** `message_created`: a bot message in one of the integration's conversations goes to its channel handler. */
  public async messageCreated(body: {
    conversation: unknown
    user: unknown
    message: { id: string }
    type: string
    payload: unknown
  }): Promise<void> {
    await this._expectOk('message_created', body, body.type)
  }

  public async register(webhookUrl: string): Promise<void> {
    await this._expectOk('register', { webhookUrl })
  }

  /** `webhook_received`: the request exactly as it reached Botpress's webhook URL; the answer goes back as is. */
  public async webhook(req: {
    method: string
    path: string
    query: string
    headers: Record<string, string>
    body: string
  }): Promise<{ status: number; text: string }> {
    const response = await this._post('webhook_received', { req })
    return { status: response.status, text: response.text }
  }

  private async _expectOk(operation: BotpressOperation, body: unknown, type?: string): Promise<IntegrationResponse> {
    const response = await this._post(operation, body, type)
    if (response.status < 200 || response.status >= 300) {
      throw new IntegrationCallError(operation, response.status, errorMessageOf(response.text))
    }
    return { status: response.status, body: parseJson(response.text) }
  }

  private async _post(operation: BotpressOperation, body: unknown, type?: string) {
    const response = await fetch(this._url, {
      method: 'POST',
      headers: botpressHeaders({
        operation,
        configuration: this._configuration,
        identity: this._identity,
        ...(type ? { type } : {}),
      }),
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    })
    return { status: response.status, text: await response.text() }
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** RuntimeError bodies carry `message`; the SDK's own failures carry `error`. */
const errorMessageOf = (text: string): string => {
  const body = parseJson(text) as { message?: unknown; error?: unknown } | string
  if (typeof body === 'object' && body !== null) {
    if (typeof body.message === 'string') return body.message
    if (typeof body.error === 'string') return body.error
  }
  return typeof body === 'string' && body ? body : 'the integration failed without a message'
}
