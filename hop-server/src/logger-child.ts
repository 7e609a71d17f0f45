// A child logger made on first use. Every open chat binds its ids to a few loggers (the pump's, the backend's, the
// session's), but an idle chat logs nothing: a pino child per binding would be ~350 bytes of heap per logger per chat,
// kept for the chat's whole life. This holds the parent and the bindings (shared with its own children, merged) and
// asks pino for the child only when a line at an enabled level is written; the lines are the same as a pino child's.
import type { BackendLogger } from './backends/chat-backend.js'

/** The pino surface a lazy child needs from its parent. */
export interface ParentLogger {
  child(bindings: Record<string, unknown>): BackendLogger
  isLevelEnabled(level: string): boolean
}

type Level = 'debug' | 'info' | 'warn' | 'error'

export class LazyChildLogger implements BackendLogger {
  private made: BackendLogger | undefined

  constructor(
    private readonly parent: ParentLogger,
    private readonly bindings: Record<string, unknown>
  ) {}

  /** Merges the bindings instead of nesting: still nothing is made until a line is written. */
  child(bindings: Record<string, unknown>): LazyChildLogger {
    return new LazyChildLogger(this.parent, { ...this.bindings, ...bindings })
  }

  /** A child has its parent's level (no level of its own is ever set here). */
  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level)
  }

  debug(object: object, message?: string): void {
    this.write('debug', object, message)
  }

  info(object: object, message?: string): void {
    this.write('info', object, message)
  }

  warn(object: object, message?: string): void {
    this.write('warn', object, message)
  }

  error(object: object, message?: string): void {
    this.write('error', object, message)
  }

  private write(level: Level, object: object, message: string | undefined): void {
    if (!this.parent.isLevelEnabled(level)) return
    this.made ??= this.parent.child(this.bindings)
    // pino reads an explicit undefined as a message: pass only what was given.
    if (message === undefined) this.made[level](object)
    else this.made[level](object, message)
  }
}

/** A child of `parent` bound to `bindings`, made by pino only when it first writes a line. */
export function lazyChild(parent: ParentLogger, bindings: Record<string, unknown>): LazyChildLogger {
  return new LazyChildLogger(parent, bindings)
}
