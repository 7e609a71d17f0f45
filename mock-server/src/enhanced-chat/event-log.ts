import { FIRST_EVENT_ID } from './protocol.js'

/** One SSE event as it travels: numeric id (sent as a string), event name, data already serialised. */
export interface StoredEvent {
  id: number
  name: string
  data: string
}

/**
 * The events of every identity, each identity's in its own bounded buffer. Ids are global and increase, so an id
 * issued with a token ("lastEventId") orders correctly against every later event of that identity.
 */
export class EventLog {
  private lastId = FIRST_EVENT_ID
  private readonly buffers = new Map<string, StoredEvent[]>()

  constructor(private readonly capacity: number) {}

  /** The id of the newest event: what a new token reports as lastEventId. */
  get currentId(): number {
    return this.lastId
  }

  append(subject: string, name: string, data: string): StoredEvent {
    const event = { id: ++this.lastId, name, data }
    let buffer = this.buffers.get(subject)
    if (!buffer) {
      buffer = []
      this.buffers.set(subject, buffer)
    }
    buffer.push(event)
    if (buffer.length > this.capacity) buffer.shift()
    return event
  }

  /** Buffered events of this identity after `id`, oldest first; events older than the buffer are gone. */
  after(subject: string, id: number): StoredEvent[] {
    const buffer = this.buffers.get(subject)
    if (!buffer) return []
    let start = buffer.length
    while (start > 0 && buffer[start - 1]!.id > id) start--
    return buffer.slice(start)
  }

  forget(subject: string): void {
    this.buffers.delete(subject)
  }

  clear(): void {
    this.buffers.clear()
  }
}
