/** Timers of the scripted agents, grouped by chat so a chat's pending actions die with it, and all die on close(). */
export class Scheduler {
  private readonly groups = new Map<string, Set<NodeJS.Timeout>>()

  after(group: string, delayMs: number, action: () => void): void {
    let timers = this.groups.get(group)
    if (!timers) {
      timers = new Set()
      this.groups.set(group, timers)
    }
    const owned = timers
    const timer = setTimeout(() => {
      owned.delete(timer)
      if (owned.size === 0 && this.groups.get(group) === owned) this.groups.delete(group)
      action()
    }, delayMs)
    owned.add(timer)
  }

  cancel(group: string): void {
    const timers = this.groups.get(group)
    if (!timers) return
    for (const timer of timers) clearTimeout(timer)
    this.groups.delete(group)
  }

  clear(): void {
    for (const group of [...this.groups.keys()]) this.cancel(group)
  }
}
