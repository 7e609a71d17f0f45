// Self-fencing: by this replica's own clock, until when each of its leases is surely valid. A lease granted by a
// store call sent at `sentAt` lasts at least until `sentAt + ttl` (the store starts counting later than that).
// Past `sentAt + ttl - margin` with no newer grant, another replica may soon take the chat, so its pump must
// stop polling first: a second long poll on a Live Agent session ends the chat (409). One map and a cached
// earliest deadline keep the periodic check O(1) until something is actually due.

export class LeaseFence {
  private readonly fenceAt = new Map<string, number>()
  /** A lower bound of every fence moment: `due()` scans only once it is reached. */
  private earliest = Number.POSITIVE_INFINITY

  constructor(
    private readonly ttlMs: number,
    private readonly marginMs: number
  ) {}

  /** A store call that granted or renewed these leases was sent at `sentAt`. */
  granted(chatIds: Iterable<string>, sentAt: number): void {
    const fenceAt = sentAt + this.ttlMs - this.marginMs
    for (const chatId of chatIds) {
      const current = this.fenceAt.get(chatId)
      // An older call answering late never shortens a newer grant.
      if (current === undefined || current < fenceAt) this.fenceAt.set(chatId, fenceAt)
    }
    this.earliest = Math.min(this.earliest, fenceAt)
  }

  forget(chatId: string): void {
    this.fenceAt.delete(chatId)
  }

  /** Chats whose fence moment has come; they are forgotten here. */
  due(now: number): string[] {
    if (now < this.earliest) return []
    const due: string[] = []
    let earliest = Number.POSITIVE_INFINITY
    for (const [chatId, fenceAt] of this.fenceAt) {
      if (fenceAt <= now) due.push(chatId)
      else earliest = Math.min(earliest, fenceAt)
    }
    for (const chatId of due) this.fenceAt.delete(chatId)
    this.earliest = earliest
    return due
  }

  clear(): void {
    this.fenceAt.clear()
    this.earliest = Number.POSITIVE_INFINITY
  }
}
