// The chat page's server: the page itself (public/), a small JSON API to open a conversation and send a message, and
// the event stream (server-sent events) that carries what the bot, the agent and the notices say.
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import type { ServerResponse } from 'node:http'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { z } from 'zod'
import { registerPhraseTester } from '../phrase-tester/routes.js'
import { UnknownConversationError, type WebchatChannel } from './channel.js'
import { MAX_TEXT_LENGTH, type StreamEvent } from './protocol.js'

const PUBLIC_DIR = new URL('../../public/', import.meta.url)
const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/chat.css': 'chat.css',
  '/chat.js': 'chat.js',
  '/favicon.svg': 'favicon.svg',
}
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
}
/** A comment line now and then keeps proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000
/** The page reconnects this long after a dropped stream (EventSource `retry`). */
const RECONNECT_MS = 1_000

/** The HITL plugin's default close command (userHitlCloseCommand); "Leave the chat" sends it. */
const CLOSE_COMMAND = '/end'
const MAX_NAME_LENGTH = 80

const openBody = z
  .object({
    name: z
      .string({ error: 'name must be a string' })
      .trim()
      .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
      .optional(),
  })
  .strict()
const typingBody = z.object({ typing: z.boolean({ error: 'typing must be true or false' }) }).strict()

const messageBody = z.object({
  text: z
    .string({ error: 'text must be a string' })
    .trim()
    .min(1, 'text must not be empty')
    .max(MAX_TEXT_LENGTH, `text must be at most ${MAX_TEXT_LENGTH} characters`),
})

export type WebchatServerOptions = {
  host: string
  port: number
  channel: WebchatChannel
  /** Shown on the page as a link, so a newcomer finds the agent side. */
  consoleUrl: string
}

export class WebchatServer {
  private readonly _streams = new Set<ServerResponse>()
  private readonly _heartbeat: NodeJS.Timeout

  private constructor(private readonly _app: FastifyInstance) {
    this._heartbeat = setInterval(() => {
      for (const stream of this._streams) stream.write(': keep-alive\n\n')
    }, HEARTBEAT_MS)
    this._heartbeat.unref()
  }

  public static async start(options: WebchatServerOptions): Promise<WebchatServer> {
    const assets = await loadAssets()
    const app = Fastify({ logger: false, forceCloseConnections: true })
    const server = new WebchatServer(app)
    server._routes(options, assets)
    try {
      await registerPhraseTester(app)
      await app.listen({ port: options.port, host: options.host })
    } catch (error) {
      clearInterval(server._heartbeat)
      await app.close()
      throw error
    }
    return server
  }

  public get url(): string {
    const { address, port } = this._app.server.address() as AddressInfo
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  }

  public async close(): Promise<void> {
    clearInterval(this._heartbeat)
    for (const stream of this._streams) stream.end()
    this._streams.clear()
    await this._app.close()
  }

  private _routes(options: WebchatServerOptions, assets: Map<string, Buffer>): void {
    const { channel } = options
    const app = this._app

    app.setErrorHandler((error: FastifyError | UnknownConversationError, _request, reply) => {
      const status = error instanceof UnknownConversationError ? 404 : (error.statusCode ?? 500)
      return reply.code(status).send({ error: error.message })
    })

    for (const [path, file] of Object.entries(ASSETS)) {
      app.get(path, async (_request, reply) =>
        reply
          .header('content-type', CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream')
          .header('cache-control', 'no-cache')
          .send(assets.get(file))
      )
    }

    app.get('/api/info', async () => ({ consoleUrl: options.consoleUrl, maxTextLength: MAX_TEXT_LENGTH }))

    app.post('/api/conversations', async (request, reply) => {
      const parsed = openBody.safeParse(request.body ?? {})
      if (!parsed.success) {
        return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'invalid request' })
      }
      return reply.code(201).send(channel.open(parsed.data.name))
    })

    app.post('/api/conversations/:id/typing', async (request, reply) => {
      const { id } = request.params as { id: string }
      const parsed = typingBody.safeParse(request.body ?? {})
      if (!parsed.success) {
        return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'invalid typing' })
      }
      channel.typing(id, parsed.data.typing)
      return reply.code(202).send({ accepted: true })
    })

    app.post('/api/conversations/:id/leave', async (request, reply) => {
      const { id } = request.params as { id: string }
      channel.leave(id, CLOSE_COMMAND)
      return reply.code(202).send({ accepted: true })
    })

    app.get('/api/conversations/:id', async (request) => {
      const { id } = request.params as { id: string }
      return channel.describe(id)
    })

    app.post('/api/conversations/:id/messages', async (request, reply) => {
      const { id } = request.params as { id: string }
      const parsed = messageBody.safeParse(request.body ?? {})
      if (!parsed.success) {
        return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'invalid message' })
      }
      const message = channel.receive(id, parsed.data.text)
      return reply.code(202).send({ messageId: message.id })
    })

    app.get('/api/conversations/:id/events', async (request, reply) => {
      const { id } = request.params as { id: string }
      if (!channel.has(id)) {
        return reply.code(404).send({ error: `conversation ${id} does not exist` })
      }
      reply.hijack()
      const stream = reply.raw
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      stream.write(`retry: ${RECONNECT_MS}\n\n`)
      this._streams.add(stream)
      const unsubscribe = channel.subscribe(id, (event: StreamEvent) => {
        stream.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`)
      })
      request.raw.once('close', () => {
        unsubscribe()
        this._streams.delete(stream)
      })
    })
  }
}

async function loadAssets(): Promise<Map<string, Buffer>> {
  const files = [...new Set(Object.values(ASSETS))]
  const contents = await Promise.all(files.map((file) => readFile(new URL(file, PUBLIC_DIR))))
  return new Map(files.map((file, index) => [file, contents[index]!]))
}
