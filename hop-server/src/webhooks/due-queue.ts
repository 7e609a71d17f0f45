// Chats waiting for a webhook delivery attempt, by when each is due: a binary min-heap of (due time, chat) and one
// timer armed for the earliest entry, so thousands of waiting chats cost one timer and no store query. A chat is
// in the queue at most once: planning it again replaces its time, and the replaced heap entry is skipped when it
// surfaces (lazy deletion; the heap is rebuilt when stale entries outnumber live ones).

/** Node's timers take at most 2^31-1 ms; a later entry re-arms the timer when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** Stale heap entries tolerated beyond the live ones before the heap is rebuilt. */
const STALE_SLACK = 64

interface Entry {
  at: number
  /** Insertion order: chats due at the same moment are taken first come, first served. */
  order: number
  chatId: string
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.order < b.order)

export class DueQueue {
  private readonly dueAt = new Map<string, number>()
  private heap: Entry[] = []
  private timer: NodeJS.Timeout | undefined
  private timerAt = Number.POSITIVE_INFINITY
  private closed = false
  private inserted = 0

  /** `onDue` runs when the earliest entry's time has come (the caller then takes what is due). */
  constructor(
    private readonly onDue: () => void,
    private readonly now: () => number = Date.now
  ) {}

  get size(): number {
    return this.dueAt.size
  }

  has(chatId: string): boolean {
    return this.dueAt.has(chatId)
  }

  /** The chat is due at `at`, whatever was planned before (the retry decision sets it). */
  schedule(chatId: string, at: number): void {
    if (this.closed) return
    if (this.dueAt.get(chatId) === at) return
    this.dueAt.set(chatId, at)
    this.push({ at, order: (this.inserted += 1), chatId })
    this.arm()
  }

  /** The chat has work now, unless it is already planned (then a retry keeps waiting for its backoff). */
  nudge(chatId: string): void {
    if (!this.dueAt.has(chatId)) this.schedule(chatId, this.now())
  }

  remove(chatId: string): void {
    this.dueAt.delete(chatId)
  }

  /** Removes and returns up to `limit` chats due by now, earliest first; arms the timer for the next one. */
  takeDue(limit: number): string[] {
    const now = this.now()
    const taken: string[] = []
    while (taken.length < limit) {
      const top = this.peekLive()
      if (!top || top.at > now) break
      this.pop()
      this.dueAt.delete(top.chatId)
      taken.push(top.chatId)
    }
    this.arm()
    return taken
  }

  /** True when some chat is due by now. */
  hasDue(): boolean {
    const top = this.peekLive()
    return top !== undefined && top.at <= this.now()
  }

  /** Clears the timer and every entry; nothing is planned afterwards. */
  close(): void {
    this.closed = true
    this.clearTimer()
    this.dueAt.clear()
    this.heap = []
  }

  private arm(): void {
    const top = this.peekLive()
    if (!top) return this.clearTimer()
    if (this.timer && this.timerAt === top.at) return
    this.clearTimer()
    this.timerAt = top.at
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.timerAt = Number.POSITIVE_INFINITY
        if (this.closed) return
        if (this.hasDue()) this.onDue()
        else this.arm()
      },
      Math.min(MAX_TIMER_MS, Math.max(0, top.at - this.now()))
    )
    // Pending retries alone never keep the process alive; shutdown clears the timer anyway.
    this.timer.unref()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Number.POSITIVE_INFINITY
  }

  /** The earliest live entry, dropping stale ones on the way. */
  private peekLive(): Entry | undefined {
    for (;;) {
      const top = this.heap[0]
      if (!top || this.dueAt.get(top.chatId) === top.at) return top
      this.pop()
    }
  }

  /** Adds an entry already recorded in `dueAt` (a rebuild picks it up from there). */
  private push(entry: Entry): void {
    if (this.heap.length >= 2 * this.dueAt.size + STALE_SLACK) return this.rebuild()
    const heap = this.heap
    heap.push(entry)
    let index = heap.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!before(entry, heap[parent]!)) break
      heap[index] = heap[parent]!
      index = parent
    }
    heap[index] = entry
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()
    if (!last || heap.length === 0) return
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left
      if (!before(heap[child]!, last)) break
      heap[index] = heap[child]!
      index = child
    }
    heap[index] = last
  }

  /** Keeps only live entries (one per chat) and restores heap order. */
  private rebuild(): void {
    const live = [...this.dueAt].map(([chatId, at]) => ({ at, order: (this.inserted += 1), chatId }))
    live.sort((a, b) => a.at - b.at)
    // A sorted array is a valid min-heap.
    this.heap = live
  }
}
