// The one list of the bench's running child processes (mock, hop servers, baseline, redis-server, receiver, tsc),
// so that a signal or an uncaught error stops every one of them, whichever part of the run spawned it.
import type { ChildProcess } from 'node:child_process'

export interface LiveChild {
  name: string
  child: ChildProcess
  /** How long a stop waits after SIGTERM before SIGKILL. */
  graceMs: number
  /**
   * Resolves once the child's output is flushed (its log file closed); default: its exit. Not its 'close': a forked
   * child killed while its IPC channel is being disconnected may never emit 'close' (seen with the receiver).
   */
  settled?: Promise<void>
}

interface Entry extends LiveChild {
  stopping?: Promise<void>
}

const DEFAULT_SETTLED = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    child.once('exit', () => resolve())
  })

class LiveChildren {
  private readonly entries = new Set<Entry>()
  private stopAllRequested = false

  /** Tracks `child` until it exits. Once a stop of all is under way, a newly spawned child is stopped at once. */
  add(child: LiveChild): void {
    const entry: Entry = { ...child, settled: child.settled ?? DEFAULT_SETTLED(child.child) }
    if (child.child.exitCode !== null || child.child.signalCode !== null) return
    this.entries.add(entry)
    child.child.once('exit', () => {
      if (!entry.stopping) this.entries.delete(entry)
    })
    if (this.stopAllRequested) this.stop(entry)
  }

  get size(): number {
    return this.entries.size
  }

  /**
   * SIGTERM to every child, SIGKILL to those still alive after their grace; resolves with "name (pid N)" of each
   * child it stopped, once all have exited, children spawned meanwhile included.
   */
  async stopAll(): Promise<string[]> {
    this.stopAllRequested = true
    const stopped: string[] = []
    while (this.entries.size > 0) {
      const batch = [...this.entries]
      for (const entry of batch) {
        if (!entry.stopping) stopped.push(`${entry.name} (pid ${entry.child.pid})`)
        this.stop(entry)
      }
      await Promise.all(batch.map((entry) => entry.stopping))
    }
    return stopped
  }

  /** SIGKILL to every child still alive, now (a second signal while stopping); returns "name (pid N)" of each. */
  killAll(): string[] {
    const killed = [...this.entries].map((entry) => {
      entry.child.kill('SIGKILL')
      return `${entry.name} (pid ${entry.child.pid})`
    })
    this.entries.clear()
    return killed
  }

  private stop(entry: Entry): void {
    if (entry.stopping) return
    const { child } = entry
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      child.once('exit', () => resolve())
    })
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), entry.graceMs)
    entry.stopping = exited
      .then(() => entry.settled)
      .finally(() => {
        clearTimeout(timer)
        this.entries.delete(entry)
      })
  }
}

/** The bench's child processes: every spawn registers here (ManagedProcess, the tsc build, the receiver). */
export const liveChildren = new LiveChildren()
