// The webhook receiver process: verifies every delivery's signature (401 otherwise, as the contract says),
// stamps its arrival, answers 200 at once and streams the records to the driver in small batches. It runs apart
// from the driver so that the driver's own work never delays an arrival timestamp.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { verifySigned } from '../http/signing.js'
import type { Delivery, ToDriver, ToReceiver } from './protocol.js'

const FLUSH_EVERY_MS = 20
const NS_PER_MS = 1e6
/** The histogram's samples include its own timer period: it is subtracted to report the delay alone. */
const LOOP_RESOLUTION_MS = 5

const tenant = process.env.RECEIVER_TENANT
const secret = process.env.RECEIVER_SECRET
if (!tenant || !secret || !process.send) {
  console.error('receiver: RECEIVER_TENANT, RECEIVER_SECRET and an IPC channel are required (started by the bench).')
  process.exit(2)
}

const send = (message: ToDriver) => process.send!(message)
let pending: Delivery[] = []
let deliveries = 0
let rejected = 0
let malformed = 0
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
loopDelay.enable()

const delayMs = (ns: number) => Math.max(0, Math.round((ns / NS_PER_MS - LOOP_RESOLUTION_MS) * 100) / 100)

function flush(): void {
  if (pending.length === 0) return
  send({ type: 'deliveries', deliveries: pending })
  pending = []
}

function parse(raw: Buffer, receivedAt: number): Delivery | undefined {
  try {
    const event = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    const data = (event.data ?? {}) as Record<string, unknown>
    if (typeof event.chatId !== 'string' || typeof event.seq !== 'number' || typeof event.type !== 'string') {
      return undefined
    }
    return {
      chatId: event.chatId,
      seq: event.seq,
      type: event.type,
      ...(typeof data.text === 'string' ? { text: data.text } : {}),
      ...(typeof data.reason === 'string' ? { reason: data.reason } : {}),
      receivedAt,
    }
  } catch {
    return undefined
  }
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const receivedAt = Date.now()
    const raw = Buffer.concat(chunks)
    // Webhooks are signed over the absolute URL they were posted to (docs/bridge-contract.md).
    const target = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`).href
    const verdict = verifySigned(
      request.headers,
      { method: request.method ?? '', target, rawBody: raw },
      tenant!,
      secret!,
      receivedAt
    )
    if (!verdict.ok) {
      rejected++
      return answer(response, 401, { message: verdict.reason })
    }
    const delivery = parse(raw, receivedAt)
    if (!delivery) {
      malformed++
      // 2xx: the contract says a receiver acknowledges what it does not understand.
      return answer(response, 200, { ok: true, ignored: true })
    }
    deliveries++
    pending.push(delivery)
    answer(response, 200, { ok: true })
  })
}

const server = createServer(handle)
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` })
})
const flusher = setInterval(flush, FLUSH_EVERY_MS)

process.on('message', (message: ToReceiver) => {
  if (message.type === 'flush') flush()
  if (message.type === 'stats') {
    flush()
    send({
      type: 'stats',
      stats: {
        deliveries,
        rejected,
        malformed,
        loopDelayMs: {
          p50: delayMs(loopDelay.percentile(50)),
          p99: delayMs(loopDelay.percentile(99)),
          max: delayMs(loopDelay.max),
        },
      },
    })
  }
})

// The driver went away (ended or crashed): stop.
process.on('disconnect', () => {
  clearInterval(flusher)
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
