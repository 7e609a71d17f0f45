// Every API call the emulator answered, in order, and the failures a test scheduled: what a test reads to check
// what an integration asked of Botpress, and how it makes Botpress fail where the Cloud can (a 500 on any call).
import { internalError } from './api-error.js'

export type Call = { operation: string; input: unknown }

export class CallLog {
  public readonly calls: Call[] = []
  private readonly _failures: { operation: string; remaining: number }[] = []

  /** The next `times` calls of `operation` fail with a 500, before touching anything. */
  public failNext(operation: string, times = 1): void {
    this._failures.push({ operation, remaining: times })
  }

  /** Records a call, and throws the 500 if a failure was scheduled for it. */
  public record(operation: string, input: unknown): void {
    this.calls.push({ operation, input })
    const failure = this._failures.find((f) => f.operation === operation && f.remaining > 0)
    if (failure) {
      failure.remaining -= 1
      throw internalError(`scheduled failure of ${operation}`)
    }
  }

  public callsOf(operation: string): unknown[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.input)
  }
}
