import type { ServerResponse } from 'node:http'
import type { StoredEvent } from './event-log.js'
import type { EnhancedFaultPlan } from './faults.js'
import type { TokenAuthority, TokenClaims } from './tokens.js'

interface Stream {
  res: ServerResponse
  claims: TokenClaims
  /** Ends the stream when its token expires (the client's reconnect then meets the 401). */
  expiry: NodeJS.Timeout | undefined
  /** close-after fault: events still to write before the server ends the stream. */
  remaining: number | undefined
}

interface DelayedQueue {
  items: { at: number; event: StoredEvent }[]
  timer: NodeJS.Timeout | undefined
}

const MS_PER_SECOND = 1000
/** setTimeout's longest delay; a token living longer is ended by the ping's check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1

export const frame = (event: StoredEvent): string => `id: ${event.id}\nevent: ${event.name}\ndata: ${event.data}\n\n`

/**
 * Open event streams, by identity: every event of an identity goes to each of its streams. One timer serves the
 * keep-alive pings of all streams (and ends streams whose token expired); delayed events keep their order.
 */
export class SseHub {
  private readonly streams = new Map<string, Set<Stream>>()
  private readonly delayed = new Map<string, DelayedQueue>()
  private readonly pinger: NodeJS.Timeout
  private pings = 0
  private open = 0

  constructor(
    private readonly faults: EnhancedFaultPlan,
    private readonly tokens: TokenAuthority,
    pingMs: number
  ) {
    this.pinger = setInterval(() => this.ping(), pingMs)
  }

  get size(): number {
    return this.open
  }

  /** Starts the stream and replays `backlog` (the buffered events after the client's Last-Event-Id). */
  attach(res: ServerResponse, claims: TokenClaims, backlog: StoredEvent[]): void {
    // The client may have gone while its token was being checked: 'close' has fired already, keep nothing.
    if (res.destroyed || !res.socket || res.socket.destroyed) return
    res.writeHead(200, {
      'content-type': 'text/event-stream;charset=UTF-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    res.flushHeaders()
    const untilExpiry = claims.exp * MS_PER_SECOND - Date.now()
    const stream: Stream = {
      res,
      claims,
      remaining: undefined,
      expiry: untilExpiry <= MAX_TIMER_MS ? setTimeout(() => res.end(), Math.max(0, untilExpiry)) : undefined,
    }
    let set = this.streams.get(claims.sub)
    if (!set) {
      set = new Set()
      this.streams.set(claims.sub, set)
    }
    set.add(stream)
    this.open++
    const owner = set
    res.once('close', () => {
      clearTimeout(stream.expiry)
      if (!owner.delete(stream)) return
      this.open--
      if (owner.size === 0 && this.streams.get(claims.sub) === owner) this.streams.delete(claims.sub)
    })
    for (const event of backlog) this.write(stream, event)
  }

  /** A new event of `subject`: to its streams now, or later when a delay fault applies or delayed events wait. */
  deliver(subject: string, event: StoredEvent): void {
    const delayMs = this.faults.takeDelay()?.delayMs ?? 0
    const queue = this.delayed.get(subject)
    if (delayMs === 0 && !queue) {
      for (const stream of [...(this.streams.get(subject) ?? [])]) this.write(stream, event)
      return
    }
    const last = queue?.items.at(-1)?.at ?? 0
    const entry = { at: Math.max(Date.now() + delayMs, last), event }
    if (queue) queue.items.push(entry)
    else this.delayed.set(subject, { items: [entry], timer: undefined })
    this.schedule(subject)
  }

  /** Breaks the connections abruptly (no end of stream), as a network failure would. */
  drop(subject?: string): number {
    let dropped = 0
    for (const stream of this.select(subject)) {
      stream.res.destroy()
      dropped++
    }
    return dropped
  }

  /** Each selected stream ends cleanly after `events` more events. */
  closeAfter(events: number, subject?: string): number {
    const selected = this.select(subject)
    for (const stream of selected) {
      stream.remaining = events
      if (events === 0) stream.res.end()
    }
    return selected.length
  }

  /** Ends the streams of an identity (its token expired). */
  end(subject: string): void {
    for (const stream of this.select(subject)) stream.res.end()
  }

  close(): void {
    clearInterval(this.pinger)
    for (const queue of this.delayed.values()) clearTimeout(queue.timer)
    this.delayed.clear()
    for (const set of this.streams.values())
      for (const stream of set) {
        clearTimeout(stream.expiry)
        stream.res.end()
      }
    this.streams.clear()
  }

  reset(): void {
    for (const queue of this.delayed.values()) clearTimeout(queue.timer)
    this.delayed.clear()
    for (const set of [...this.streams.values()]) for (const stream of [...set]) stream.res.destroy()
  }

  private select(subject: string | undefined): Stream[] {
    if (subject !== undefined) return [...(this.streams.get(subject) ?? [])]
    return [...this.streams.values()].flatMap((set) => [...set])
  }

  private write(stream: Stream, event: StoredEvent): void {
    if (stream.res.writableEnded || stream.res.destroyed) return
    stream.res.write(frame(event))
    if (stream.remaining === undefined) return
    stream.remaining--
    if (stream.remaining <= 0) stream.res.end()
  }

  private schedule(subject: string): void {
    const queue = this.delayed.get(subject)
    if (!queue || queue.timer) return
    const next = queue.items[0]
    if (!next) return
    queue.timer = setTimeout(() => this.flush(subject), Math.max(0, next.at - Date.now()))
  }

  private flush(subject: string): void {
    const queue = this.delayed.get(subject)
    if (!queue) return
    queue.timer = undefined
    const now = Date.now()
    while (queue.items.length > 0 && queue.items[0]!.at <= now) {
      const { event } = queue.items.shift()!
      for (const stream of [...(this.streams.get(subject) ?? [])]) this.write(stream, event)
    }
    if (queue.items.length === 0) this.delayed.delete(subject)
    else this.schedule(subject)
  }

  private ping(): void {
    const data = `event: ping\ndata: ${this.pings++}\n\n`
    for (const set of this.streams.values())
      for (const stream of set) {
        if (this.tokens.isExpired(stream.claims)) stream.res.end()
        else stream.res.write(data)
      }
  }
}
