// A pino-compatible logger shape: pass a pino logger (or a child of one); the default is silent.

type LogFn = (obj: object, msg?: string) => void

export interface LiveAgentLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

const noop: LogFn = () => {}

export const silentLogger: LiveAgentLogger = { debug: noop, info: noop, warn: noop, error: noop }
