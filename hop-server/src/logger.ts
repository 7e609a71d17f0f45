// pino, with every secret the hop server handles redacted wherever it might appear in a log object.
import { pino, type Logger } from 'pino'
import type { LogLevel } from './config.js'

export const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'tenants',
  '*.tenants',
  'key',
  '*.key',
  'cursor.key',
  'req.headers["x-hop-signature"]',
  'headers["x-hop-signature"]',
  'req.headers.authorization',
  'headers.authorization',
  'headers["x-liveagent-session-key"]',
  '*.headers["x-liveagent-session-key"]',
]

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = { level, name: 'liveagent-hop', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options)
}
