// A minimal JSON-over-HTTP client on node:http with one keep-alive pool per client. The bench needs exact control
// over connections (the baseline's point is the lack of keep-alive) and no hidden retries, so no got/fetch here.
import http from 'node:http'

export interface JsonResponse {
  status: number
  /** Parsed JSON, or `{ text }` when the body is not JSON. */
  body: Record<string, unknown>
}

export interface JsonClientOptions {
  /** Sockets per host; requests beyond it queue inside the agent. */
  maxSockets?: number
  /** false: a new connection per request (`Connection: close`), as the naive peers do. */
  keepAlive?: boolean
  timeoutMs?: number
}

export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined
  ) {
    super(message)
    this.name = 'HttpRequestError'
  }
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_SOCKETS = 256

export class JsonClient {
  private readonly agent: http.Agent | false
  private readonly timeoutMs: number

  constructor(options: JsonClientOptions = {}) {
    this.agent =
      options.keepAlive === false
        ? false
        : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS })
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  request(
    method: string,
    url: string,
    rawBody?: string,
    headers: Record<string, string> = {},
    timeoutMs = this.timeoutMs
  ): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const request = http.request(url, {
        method,
        agent: this.agent,
        headers: {
          ...(rawBody !== undefined
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(rawBody)) }
            : {}),
          ...(this.agent === false ? { connection: 'close' } : {}),
          ...headers,
        },
      })
      request.setTimeout(timeoutMs, () =>
        request.destroy(new HttpRequestError(`timeout after ${timeoutMs} ms`, 'ETIMEDOUT'))
      )
      request.on('error', (error: NodeJS.ErrnoException) => reject(new HttpRequestError(error.message, error.code)))
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', (error: NodeJS.ErrnoException) => reject(new HttpRequestError(error.message, error.code)))
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: Record<string, unknown>
          try {
            body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
          } catch {
            body = { text }
          }
          resolve({ status: response.statusCode ?? 0, body })
        })
      })
      request.end(rawBody)
    })
  }

  close(): void {
    if (this.agent) this.agent.destroy()
  }
}
