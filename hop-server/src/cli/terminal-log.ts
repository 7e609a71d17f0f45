// Log lines for a person at a terminal: pino's JSON turned into `12:00:01 WARN  message  key=value`. Used only when
// stdout is a TTY; anywhere else (a process manager, a container, a pipe) the JSON lines go out unchanged.

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}
/** Fields every line has, which would only repeat themselves. */
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name'])
const LEVEL_WIDTH = 5

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value
  if (value !== null && typeof value === 'object' && 'message' in value) return String(value.message)
  return JSON.stringify(value)
}

/** One JSON log line as a readable line; anything that is not a JSON object is passed through. */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  if (entry === null || typeof entry !== 'object') return line
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : ''
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(LEVEL_WIDTH)
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
  return [time, level, String(entry.msg ?? ''), ...fields].filter(Boolean).join(' ')
}

/** A pino destination that writes each line readably to `out`. */
export function terminalLogStream(out: NodeJS.WritableStream): NodeJS.WritableStream {
  return {
    write(chunk: string | Uint8Array) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      for (const line of text.split('\n')) if (line) out.write(`${formatLogLine(line)}\n`)
      return true
    },
  } as NodeJS.WritableStream
}
