// Loaded with `node --import` into a server under test. Each time the server announces that it is ready (a write to
// stdout, or an IPC message, that contains SIGNAL_PROBE_MARKER), the probe writes to stderr how many SIGINT and
// SIGTERM listeners the process has at that moment. A signal sent the instant a server says it is ready meets Node's
// default action (exit 130 / 143) if the server installs its handlers only afterwards; the probe lets a test check
// that order without racing a signal against start-up.
import fs from 'node:fs'

const marker = process.env.SIGNAL_PROBE_MARKER
const STDOUT_FD = 1
const STDERR_FD = 2

/** @param {unknown} chunk */
function reportIfAnnouncing(chunk) {
  if (!marker) return
  const text = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk.toString() : JSON.stringify(chunk)
  if (!text.includes(marker)) return
  const counts = `SIGINT=${process.listenerCount('SIGINT')} SIGTERM=${process.listenerCount('SIGTERM')}`
  fs.writeSync(STDERR_FD, `signal-probe ${counts}\n`)
}

// console and process.stdout
const stdoutWrite = process.stdout.write.bind(process.stdout)
process.stdout.write = (chunk, ...rest) => {
  reportIfAnnouncing(chunk)
  return stdoutWrite(chunk, ...rest)
}

// pino writes to file descriptor 1 itself (sonic-boom), past process.stdout
const { write, writeSync } = fs
fs.writeSync = (fd, chunk, ...rest) => {
  if (fd === STDOUT_FD) reportIfAnnouncing(chunk)
  return writeSync(fd, chunk, ...rest)
}
fs.write = (fd, chunk, ...rest) => {
  if (fd === STDOUT_FD) reportIfAnnouncing(chunk)
  return write(fd, chunk, ...rest)
}

// a child that announces itself to its parent over IPC
if (process.send) {
  const send = process.send.bind(process)
  process.send = (message, ...rest) => {
    reportIfAnnouncing(message)
    return send(message, ...rest)
  }
}
