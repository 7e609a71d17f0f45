// Botpress hands a bot its incoming messages and events one at a time, in the order they were created. A bot handler
// may call the integration, which creates more messages: those wait for the handler to finish instead of racing it.
import type { Logger } from 'pino'

export class SerialQueue {
  private _tail: Promise<void> = Promise.resolve()
  private _closed = false
  private _pending = 0

  public constructor(private readonly _logger: Logger) {}

  /** Runs `task` after every task pushed before it. A failing task is logged; the queue goes on. */
  public push(label: string, task: () => Promise<unknown>): void {
    if (this._closed) return
    this._pending += 1
    this._tail = this._tail.then(async () => {
      try {
        if (!this._closed) await task()
      } catch (error) {
        this._logger.error({ err: error }, `bot handler failed on ${label}`)
      } finally {
        this._pending -= 1
      }
    })
  }

  /** No task waiting or running. */
  public get isIdle(): boolean {
    return this._pending === 0
  }

  /** Resolves once every task pushed so far has run. */
  public idle(): Promise<void> {
    return this._tail
  }

  /** Drops the tasks not started yet and waits for the running one. */
  public async close(): Promise<void> {
    this._closed = true
    await this._tail
  }
}
