import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { ChatSession } from '../session.js'
import type { Simulator } from '../simulator.js'

const PUBLIC_DIR = new URL('../../public/', import.meta.url)
const ASSETS = {
  'console.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
} as const
/** Keeps proxies and browsers from timing out an idle event stream. */
const HEARTBEAT_MS = 15_000

/**
 * Live updates for the agent console over Server-Sent Events: a snapshot on connect, then one `chat` event per
 * changed chat (coalesced per tick). Only agent-visible changes travel; poll bookkeeping does not.
 */
export class ConsoleFeed {
  private readonly streams = new Set<ServerResponse>()
  private readonly dirty = new Set<ChatSession>()
  private flushScheduled = false
  private heartbeat: NodeJS.Timeout | undefined
  private readonly unsubscribe: () => void

  constructor(private readonly sim: Simulator) {
    this.unsubscribe = sim.onChange((session, kind) => {
      if (kind !== 'chat' || !session.initialized || this.streams.size === 0) return
      this.dirty.add(session)
      if (this.flushScheduled) return
      this.flushScheduled = true
      queueMicrotask(() => this.flush())
    })
  }

  attach(raw: ServerResponse): void {
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    const { agentName, scenario, buttonId } = this.sim.options
    raw.write(event('snapshot', { chats: this.sim.chats(), agentName, scenario, buttonId }))
    this.streams.add(raw)
    raw.once('close', () => {
      this.streams.delete(raw)
      if (this.streams.size === 0) this.stopHeartbeat()
    })
    this.heartbeat ??= setInterval(() => {
      for (const stream of this.streams) stream.write(': keep-alive\n\n')
    }, HEARTBEAT_MS)
  }

  close(): void {
    this.unsubscribe()
    this.stopHeartbeat()
    for (const stream of this.streams) stream.end()
    this.streams.clear()
  }

  private flush(): void {
    this.flushScheduled = false
    for (const session of this.dirty) {
      const frame = event('chat', session.toView())
      for (const stream of this.streams) stream.write(frame)
    }
    this.dirty.clear()
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat)
    this.heartbeat = undefined
  }
}

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`

/** /console: the agent console page, its assets and its event stream. */
export function consoleRoutes(feed: ConsoleFeed) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const assets = new Map<string, string>()
    for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(new URL(name, PUBLIC_DIR), 'utf8'))

    app.get('/', async (_req, reply) => reply.type(ASSETS['console.html']).send(assets.get('console.html')))
    app.get('/console.css', async (_req, reply) => reply.type(ASSETS['console.css']).send(assets.get('console.css')))
    app.get('/console.js', async (_req, reply) => reply.type(ASSETS['console.js']).send(assets.get('console.js')))
    app.get('/events', (req, reply) => {
      reply.hijack()
      feed.attach(reply.raw)
    })
  }
}
