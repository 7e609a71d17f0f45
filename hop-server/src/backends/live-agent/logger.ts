// A pino-compatible logger shape: pass a pino logger (or a child of one); the default is silent.

type LogFn = (obj: object, msg?: string) => void

export interface LiveAgentLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  /** pino's: lets a hot path skip building a debug line nobody reads. Absent means every level is on. */
  isLevelEnabled?(level: string): boolean
}

const noop: LogFn = () => {}

export const silentLogger: LiveAgentLogger = { debug: noop, info: noop, warn: noop, error: noop }
