// One webhook POST, signed, through one prepared got instance. Everything that does not change between deliveries
// is set up once: the instance (agents, timeout, content type, shutdown signal, no retries, no redirects: the
// dispatcher owns the retry decision), and per webhook URL its policy check and signed target (a bounded cache,
// since a replica serves few distinct webhook URLs). Per delivery: the body (serialised once by the caller), one
// signature over method, URL, timestamp and body, and one small options object for got.
import http from 'node:http'
import https from 'node:https'
import got, { type Got } from 'got'
import { signRequest, webhookSignedTarget } from '@liveagent-hop/bridge-contract'
import { urlProblem, type UrlPolicy } from '../security/allowlist.js'

/** Distinct webhook URLs whose checks are kept; past it the cache starts over (a bound, not a working size). */
const MAX_CACHED_URLS = 1000
const SUCCESS_MIN = 200
const SUCCESS_MAX = 299
const METHOD = 'POST'

export interface WebhookSenderOptions {
  policy: UrlPolicy
  timeoutMs: number
  /** Aborts every delivery in flight (shutdown). */
  signal: AbortSignal
}

export type SendResult =
  | { ok: true }
  | { ok: false; reason: 'disallowed'; detail: string }
  | { ok: false; reason: 'http'; status: number; detail: string }
  | { ok: false; reason: 'network'; detail: string }

/** A webhook URL as checked once: why it may not be called, or the URL and the target its signature covers. */
type PreparedUrl = { problem: string } | { problem: undefined; url: URL; signedTarget: string }

export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true })
  private readonly httpsAgent = new https.Agent({ keepAlive: true })
  private readonly http: Got
  private readonly prepared = new Map<string, PreparedUrl>()

  constructor(private readonly options: WebhookSenderOptions) {
    this.http = got.extend({
      method: METHOD,
      agent: { http: this.httpAgent, https: this.httpsAgent },
      headers: { 'content-type': 'application/json' },
      signal: options.signal,
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      timeout: { request: options.timeoutMs },
      responseType: 'text',
    })
  }

  /** POSTs `body` (JSON, already serialised) to `webhookUrl`, signed for `tenant` now. Never throws. */
  async post(webhookUrl: string, tenant: string, secret: string, body: string): Promise<SendResult> {
    const target = this.prepare(webhookUrl)
    if (target.problem !== undefined) return { ok: false, reason: 'disallowed', detail: `webhookUrl ${target.problem}` }
    try {
      const response = await this.http(target.url, {
        body,
        headers: signRequest(tenant, secret, { method: METHOD, target: target.signedTarget, rawBody: body }),
      })
      const status = response.statusCode
      if (status >= SUCCESS_MIN && status <= SUCCESS_MAX) return { ok: true }
      return { ok: false, reason: 'http', status, detail: `the receiver answered ${status}` }
    } catch (error) {
      return { ok: false, reason: 'network', detail: (error as Error).message }
    }
  }

  /** Why `webhookUrl` may not be called (the URL policy), or undefined. */
  urlProblem(webhookUrl: string): string | undefined {
    return this.prepare(webhookUrl).problem
  }

  /** Frees the keep-alive sockets (shutdown, after the deliveries in flight ended). */
  close(): void {
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }

  private prepare(webhookUrl: string): PreparedUrl {
    let prepared = this.prepared.get(webhookUrl)
    if (prepared) return prepared
    const problem = urlProblem(webhookUrl, this.options.policy)
    prepared =
      problem === undefined
        ? { problem, url: new URL(webhookUrl), signedTarget: webhookSignedTarget(webhookUrl) }
        : { problem }
    if (this.prepared.size >= MAX_CACHED_URLS) this.prepared.clear()
    this.prepared.set(webhookUrl, prepared)
    return prepared
  }
}
