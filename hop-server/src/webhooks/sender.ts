// One webhook POST, signed, over bare node:http(s) with keep-alive agents (post-once.ts). got cost about three times
// the CPU per webhook here (scripts/webhook-clients.ts: 0.48 against 0.16 ms even with one prepared instance), and
// a webhook needs none of what it adds: no retry, no redirect (the dispatcher owns the retry decision), a status
// and nothing of the body. Per webhook URL its policy check and signed target are kept (a bounded cache, since a
// replica serves few distinct webhook URLs). Per delivery: the body (serialised once by the caller), one signature
// over method, URL, timestamp and body, one headers object.
import http from 'node:http'
import https from 'node:https'
import { signRequest, webhookSignedTarget } from '@liveagent-hop/bridge-contract'
import { urlProblem, type UrlPolicy } from '../security/allowlist.js'
import { postOnce, type PostOnceTarget } from './post-once.js'

/** Distinct webhook URLs whose checks are kept; past it the cache starts over (a bound, not a working size). */
const MAX_CACHED_URLS = 1000
const SUCCESS_MIN = 200
const SUCCESS_MAX = 299
const METHOD = 'POST'
const JSON_TYPE = 'application/json'

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
type PreparedUrl = { problem: string } | ({ problem: undefined; signedTarget: string } & PostOnceTarget)

export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true })
  private readonly httpsAgent = new https.Agent({ keepAlive: true })
  private readonly prepared = new Map<string, PreparedUrl>()

  constructor(private readonly options: WebhookSenderOptions) {}

  /** POSTs `body` (JSON, already serialised) to `webhookUrl`, signed for `tenant` now. Never throws. */
  async post(webhookUrl: string, tenant: string, secret: string, body: string): Promise<SendResult> {
    const target = this.prepare(webhookUrl)
    if (target.problem !== undefined) return { ok: false, reason: 'disallowed', detail: `webhookUrl ${target.problem}` }
    try {
      const signed = signRequest(tenant, secret, { method: METHOD, target: target.signedTarget, rawBody: body })
      const headers = { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body), ...signed }
      const status = await postOnce(target, headers, body, this.options.timeoutMs, this.options.signal)
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
        ? {
            problem,
            url: new URL(webhookUrl),
            agent: webhookUrl.startsWith('https:') ? this.httpsAgent : this.httpAgent,
            signedTarget: webhookSignedTarget(webhookUrl),
          }
        : { problem }
    if (this.prepared.size >= MAX_CACHED_URLS) this.prepared.clear()
    this.prepared.set(webhookUrl, prepared)
    return prepared
  }
}
