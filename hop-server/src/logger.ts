// pino, with every secret the hop server handles redacted wherever it might appear in a log object.
import { HEADER_SIGNATURE } from '@liveagent-hop/bridge-contract'
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
  `req.headers["${HEADER_SIGNATURE}"]`,
  `headers["${HEADER_SIGNATURE}"]`,
  'req.headers.authorization',
  'headers.authorization',
  'headers["x-liveagent-session-key"]',
  '*.headers["x-liveagent-session-key"]',
]

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = { level, name: 'liveagent-hop', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options)
}
