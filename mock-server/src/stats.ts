export interface Violation {
  /** ISO timestamp */
  at: string
  sessionId?: string
  /** Short rule name, e.g. 'concurrent-poll', 'sequence-gap' (README lists them). */
  rule: string
  detail: string
}

export interface StatsView {
  /** Every 409 answered (duplicate polls and out-of-sync sequences). */
  conflicts409: number
  violations: Violation[]
  /** Requests per resource name (SessionId, Messages, ChatMessage, …). */
  requests: Record<string, number>
}

const MAX_VIOLATIONS = 1000

/** Counters a client test asserts on ("0 conflicts, 0 violations"). */
export class Stats {
  private conflicts = 0
  private violationList: Violation[] = []
  private requestCounts = new Map<string, number>()

  countRequest(resource: string): void {
    this.requestCounts.set(resource, (this.requestCounts.get(resource) ?? 0) + 1)
  }

  countConflict(): void {
    this.conflicts++
  }

  violation(rule: string, detail: string, sessionId?: string): void {
    if (this.violationList.length >= MAX_VIOLATIONS) this.violationList.shift()
    this.violationList.push({ at: new Date().toISOString(), ...(sessionId ? { sessionId } : {}), rule, detail })
  }

  view(): StatsView {
    return {
      conflicts409: this.conflicts,
      violations: this.violationList.map((v) => ({ ...v })),
      requests: Object.fromEntries(this.requestCounts),
    }
  }

  reset(): void {
    this.conflicts = 0
    this.violationList = []
    this.requestCounts = new Map()
  }
}
