// A small signed client of the hop API for tests, the bench and contract tests (the integration has its own).
import { signRequest } from '@liveagent-hop/bridge-contract'

export interface HopResponse<T = Record<string, unknown>> {
  status: number
  body: T
}

/** Strictly increasing signing timestamps: two identical requests in one millisecond must not sign alike. */
let lastTimestamp = 0
const signingTimestamp = () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1))

export class HopTestClient {
  constructor(
    readonly baseUrl: string,
    readonly tenant: string,
    private readonly secret: string
  ) {}

  /**
   * Signs the method, `path` (with its query, exactly as sent) and `rawBody` as given (so tests can send invalid
   * JSON), unless `headers` override the signature.
   */
  async raw(
    method: 'GET' | 'POST',
    path: string,
    rawBody = '',
    headers: Record<string, string> = {}
  ): Promise<HopResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...signRequest(this.tenant, this.secret, { method, target: path, rawBody }, signingTimestamp()),
        ...headers,
      },
      ...(method === 'POST' ? { body: rawBody } : {}),
    })
    const text = await response.text()
    let body: Record<string, unknown> = {}
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      body = { text }
    }
    return { status: response.status, body }
  }

  post(path: string, body: unknown): Promise<HopResponse> {
    return this.raw('POST', path, JSON.stringify(body))
  }

  get(path: string): Promise<HopResponse> {
    return this.raw('GET', path)
  }

  createChat(body: unknown): Promise<HopResponse> {
    return this.post('/v1/chats', body)
  }

  sendMessage(chatId: string, messageId: string, text: string): Promise<HopResponse> {
    return this.post(`/v1/chats/${chatId}/messages`, { messageId, text })
  }

  typing(chatId: string, typing: boolean): Promise<HopResponse> {
    return this.post(`/v1/chats/${chatId}/typing`, { typing })
  }

  end(chatId: string, reason = 'visitor'): Promise<HopResponse> {
    return this.post(`/v1/chats/${chatId}/end`, { reason })
  }

  status(chatId: string): Promise<HopResponse> {
    return this.get(`/v1/chats/${chatId}`)
  }
}
