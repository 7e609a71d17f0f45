/** A sliding-window counter per key: at most `max` hits within `windowMs`. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number
  ) {}

  /** Records a hit and returns true, or returns false (and records nothing) when the key is over its limit. */
  tryHit(key: string, now = Date.now()): boolean {
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs)
    if (recent.length >= this.max) {
      this.hits.set(key, recent)
      return false
    }
    recent.push(now)
    this.hits.set(key, recent)
    return true
  }

  clear(): void {
    this.hits.clear()
  }
}
