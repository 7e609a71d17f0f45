// A small scripted HTTP proxy on loopback. Consumer tests put it between the client and the Pact mock server to do
// what Pact cannot express (hold a long poll open, lose an answer on the way back) and to record what the client
// sent; provider tests put it between the verifier and a real provider to break that provider on purpose.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProxiedRequest {
  method: string
  /** Path without the query string. */
  path: string
  /** Path and query exactly as received (what a bridge signature covers). */
  target: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** The status the target answered, once it did (requests held, answered here or never forwarded: none). */
  targetStatus?: number
}

export interface ProxiedResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** What the proxy does with one request. */
export type Decision =
  /** Pass it on, optionally rewritten on the way there and back. */
  | {
      kind: 'forward'
      rewrite?: { query?: URLSearchParams; headers?: Record<string, string> }
      respond?: (response: ProxiedResponse) => ProxiedResponse
    }
  /** Keep it open and never answer: a long poll the server is still holding when the client gives up. */
  | { kind: 'hold' }
  /** Answer it here; the target never sees it. */
  | { kind: 'answer'; status: number; body?: string }
  /** Pass it on, then cut the client's connection instead of answering: the server acted, the answer got lost. */
  | { kind: 'lose-response' }

export type Router = (request: ProxiedRequest) => Decision | Promise<Decision>

export const FORWARD: Decision = { kind: 'forward' }

/** Headers that describe one hop of the connection, not the message, and so are not copied across the proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host'])

export class HttpProxy {
  /** Every request the proxy received, in arrival order. */
  readonly requests: ProxiedRequest[] = []
  private readonly target: URL

  private readonly server: Server

  private constructor(
    target: string,
    private readonly router: Router
  ) {
    this.target = new URL(target)
    this.server = createServer((req, res) => {
      this.handle(req).then(
        (response) => {
          if (!response) return
          res.writeHead(response.status, response.headers).end(response.body)
        },
        (error: unknown) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(`proxy error: ${(error as Error).message}`)
        }
      )
    })
  }

  /** Starts a proxy on an ephemeral loopback port in front of `target` (scheme, host and port are used). */
  static async start(target: string, router: Router = () => FORWARD): Promise<HttpProxy> {
    const proxy = new HttpProxy(target, router)
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve))
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Requests whose path ends with `suffix` (e.g. `System/Messages`). */
  requestsTo(suffix: string): ProxiedRequest[] {
    return this.requests.filter((r) => r.path.endsWith(suffix))
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Resolves with the answer to send, or undefined when the client must get none (held or lost). */
  private async handle(req: IncomingMessage): Promise<ProxiedResponse | undefined> {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const request: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      target: req.url ?? '/',
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }
    this.requests.push(request)
    const decision = await this.router(request)
    switch (decision.kind) {
      case 'hold':
        return undefined
      case 'answer':
        return { status: decision.status, headers: { 'content-type': 'text/plain' }, body: decision.body ?? '' }
      case 'lose-response':
        request.targetStatus = (await this.forward(request)).status
        req.socket.destroy()
        return undefined
      case 'forward': {
        const rewritten: ProxiedRequest = {
          ...request,
          query: decision.rewrite?.query ?? request.query,
          headers: { ...request.headers, ...decision.rewrite?.headers },
        }
        const response = await this.forward(rewritten)
        request.targetStatus = response.status
        return decision.respond ? decision.respond(response) : response
      }
    }
  }

  private forward(request: ProxiedRequest): Promise<ProxiedResponse> {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
    const body = Buffer.from(request.body, 'utf8')
    if (body.length > 0) headers['content-length'] = String(body.length)
    const query = request.query.toString()
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: request.method,
          path: query ? `${request.path}?${query}` : request.path,
          headers,
        },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('error', reject)
          incoming.on('end', () => {
            const responseHeaders: Record<string, string> = {}
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name))
                responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({
              status: incoming.statusCode ?? 502,
              headers: responseHeaders,
              body: Buffer.concat(chunks).toString('utf8'),
            })
          })
        }
      )
      outgoing.on('error', reject)
      outgoing.end(body)
    })
  }
}

export const HOLD: Decision = { kind: 'hold' }

export interface Rule {
  when: (request: ProxiedRequest) => boolean
  then: Decision
  /** How many requests the rule applies to (default: all). */
  times?: number
}

/** A router from rules: the first rule that matches (and has uses left) decides; anything else is forwarded. */
export function routeBy(...rules: Rule[]): Router {
  const usesLeft = rules.map((rule) => rule.times ?? Number.POSITIVE_INFINITY)
  return (request) => {
    for (const [index, rule] of rules.entries()) {
      if (usesLeft[index]! > 0 && rule.when(request)) {
        usesLeft[index]! -= 1
        return rule.then
      }
    }
    return FORWARD
  }
}
