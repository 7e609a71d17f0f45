// What one webhook delivery costs the hop's process with each way of sending it: CPU per delivered webhook (the
// receiver runs in a child process, so its cost is not counted), rounds alternated so a busy machine hurts each
// alike. Every variant checks the URL against the policy, serialises the body once and signs it (method, URL,
// timestamp, body), as the dispatcher must.
//   got-before  the dispatcher's got call before issue 17's HTTP step (URL parsed twice per webhook, options merged)
//   got-lean    one prepared got instance (method, content type, timeout, signal set once), URL checks cached per
//               webhook URL: the best got allowed (the sender of commit 882cc40)
//   http        bare node:http with a keep-alive agent, URL checked per webhook (no cache)
//   sender      WebhookSender as shipped (bare node:http, URL checks cached)
//
//   npm run build -w bridge-contract   # once: the script imports its built entry
//   node --import tsx hop-server/scripts/webhook-clients.ts [--webhooks 3000] [--concurrency 8] [--rounds 3]
import { fork } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import got from 'got'
import { signRequest, webhookSignedTarget } from '@liveagent-hop/bridge-contract'
import { urlProblem } from '../src/security/allowlist.js'
import type { UrlPolicy } from '../src/security/allowlist.js'
import { WebhookSender } from '../src/webhooks/sender.js'

const US_PER_MS = 1000
const TIMEOUT_MS = 10_000
const TENANT = 'acme'
const SECRET = 'webhook-secret-0123456789'

type Deliver = (url: string, body: string) => Promise<number>

if (process.argv[2] === 'serve') {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => res.end())
  })
  server.keepAliveTimeout = 600_000
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port))
} else await main()

function variants(policy: UrlPolicy): Record<string, { deliver: Deliver; close(): void }> {
  const signal = new AbortController().signal
  const beforeAgent = new http.Agent({ keepAlive: true })
  const before = got.extend({
    agent: { http: beforeAgent },
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    timeout: { request: TIMEOUT_MS },
    responseType: 'text',
  })
  const leanAgent = new http.Agent({ keepAlive: true })
  const lean = got.extend({
    method: 'POST',
    agent: { http: leanAgent },
    headers: { 'content-type': 'application/json' },
    signal,
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    timeout: { request: TIMEOUT_MS },
    responseType: 'text',
  })
  const leanTargets = new Map<string, { url: URL; signed: string }>()
  const sender = new WebhookSender({ policy, timeoutMs: TIMEOUT_MS, signal })
  const bareAgent = new http.Agent({ keepAlive: true })
  return {
    'got-before': {
      deliver: async (url, body) => {
        const problem = urlProblem(url, policy)
        if (problem) throw new Error(problem)
        const response = await before.post(url, {
          body,
          headers: {
            'content-type': 'application/json',
            ...signRequest(TENANT, SECRET, { method: 'POST', target: webhookSignedTarget(url), rawBody: body }),
          },
          signal,
        })
        return response.statusCode
      },
      close: () => beforeAgent.destroy(),
    },
    'got-lean': {
      deliver: async (url, body) => {
        let target = leanTargets.get(url)
        if (!target) {
          const problem = urlProblem(url, policy)
          if (problem) throw new Error(problem)
          leanTargets.set(url, (target = { url: new URL(url), signed: webhookSignedTarget(url) }))
        }
        const response = await lean(target.url, {
          body,
          headers: signRequest(TENANT, SECRET, { method: 'POST', target: target.signed, rawBody: body }),
        })
        return response.statusCode
      },
      close: () => leanAgent.destroy(),
    },
    sender: {
      deliver: async (url, body) => {
        const result = await sender.post(url, TENANT, SECRET, body)
        if (!result.ok && result.reason !== 'http') throw new Error(result.detail)
        return result.ok ? 200 : 0
      },
      close: () => sender.close(),
    },
    http: {
      deliver: (url, body) =>
        new Promise((resolve, reject) => {
          const problem = urlProblem(url, policy)
          if (problem) return reject(new Error(problem))
          const req = http.request(url, {
            method: 'POST',
            agent: bareAgent,
            signal,
            timeout: TIMEOUT_MS,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              ...signRequest(TENANT, SECRET, { method: 'POST', target: url, rawBody: body }),
            },
          })
          req.on('error', reject)
          req.on('response', (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
          })
          req.end(body)
        }),
      close: () => bareAgent.destroy(),
    },
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      webhooks: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
    },
  })
  const count = Number(values.webhooks)
  const concurrency = Number(values.concurrency)
  const child = fork(new URL(import.meta.url).pathname, ['serve'], { execArgv: ['--import', 'tsx'] })
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)))
  const policy: UrlPolicy = { allowlist: [], loopbackTargets: [`127.0.0.1:${port}`], ownPort: undefined }
  const url = `http://127.0.0.1:${port}/webhooks/bot-1`
  const all = variants(policy)
  const totals = new Map<string, number[]>()
  try {
    for (let round = 0; round < Number(values.rounds); round += 1) {
      for (const [name, variant] of Object.entries(all)) {
        const body = (seq: number): string =>
          JSON.stringify({
            chatId: 'chat-1',
            conversationId: 'conv-1',
            seq,
            type: 'message',
            at: 1,
            data: { text: 'hi' },
          })
        for (let i = 0; i < concurrency * 20; i += 1) await variant.deliver(url, body(i))
        const cpu = process.cpuUsage()
        let next = 0
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < count) {
              const status = await variant.deliver(url, body(next++))
              if (status !== 200) throw new Error(`${name}: status ${status}`)
            }
          })
        )
        const used = process.cpuUsage(cpu)
        const perWebhook = (used.user + used.system) / count / US_PER_MS
        totals.set(name, [...(totals.get(name) ?? []), perWebhook])
        console.log(`round ${round + 1} ${name.padEnd(10)} ${perWebhook.toFixed(3)} ms CPU per webhook`)
      }
    }
    for (const [name, runs] of totals) {
      const sorted = [...runs].sort((a, b) => a - b)
      console.log(`${name.padEnd(10)} median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} ms CPU per webhook`)
    }
  } finally {
    for (const variant of Object.values(all)) variant.close()
    child.kill()
  }
}
