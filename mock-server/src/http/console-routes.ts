import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { EnhancedChatSimulator } from '../enhanced-chat/simulator.js'
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
 * changed chat (coalesced per tick), Live Agent chats and Enhanced Chat conversations alike. Only agent-visible
 * changes travel; poll bookkeeping does not.
 */
export class ConsoleFeed {
  private readonly streams = new Set<ServerResponse>()
  /** Changed chats by id, each with how to render it when the tick ends. */
  private readonly dirty = new Map<string, () => unknown>()
  private flushScheduled = false
  private heartbeat: NodeJS.Timeout | undefined
  private readonly unsubscribers: (() => void)[] = []

  constructor(
    private readonly sim: Simulator,
    private readonly enhanced?: EnhancedChatSimulator
  ) {
    this.unsubscribers.push(
      sim.onChange((session, kind) => {
        if (kind !== 'chat' || !session.started) return
        this.markDirty(session.id, () => session.toView())
      })
    )
    if (enhanced)
      this.unsubscribers.push(
        enhanced.onChange((conversation) => this.markDirty(conversation.id, () => conversation.toView()))
      )
  }

  private markDirty(id: string, view: () => unknown): void {
    if (this.streams.size === 0) return
    this.dirty.set(id, view)
    if (this.flushScheduled) return
    this.flushScheduled = true
    queueMicrotask(() => this.flush())
  }

  attach(raw: ServerResponse): void {
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    const { agentName, scenario, buttonId } = this.sim.options
    const chats = [...this.sim.chats(), ...(this.enhanced?.views() ?? [])]
    raw.write(event('snapshot', { chats, agentName, scenario, buttonId }))
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
    for (const unsubscribe of this.unsubscribers) unsubscribe()
    this.stopHeartbeat()
    for (const stream of this.streams) stream.end()
    this.streams.clear()
  }

  private flush(): void {
    this.flushScheduled = false
    for (const view of this.dirty.values()) {
      const frame = event('chat', view())
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
