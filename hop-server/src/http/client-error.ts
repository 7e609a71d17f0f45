// Answers requests Node's HTTP parser refuses before fastify sees them (headers too large, malformed request line,
// request timeout) with a JSON error and `Connection: close`: the connection is closed right after, and the header
// says so, so a client never sends its next request on a socket that is going away.
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { errorBody } from './errors.js'

const REQUEST_HEADER_FIELDS_TOO_LARGE = 431
const REQUEST_TIMEOUT = 408
const BAD_REQUEST = 400

function refusalOf(code: string | undefined): { status: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: REQUEST_HEADER_FIELDS_TOO_LARGE,
      message: 'the request headers are larger than the server accepts',
    }
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: REQUEST_TIMEOUT, message: 'the request took too long' }
  return { status: BAD_REQUEST, message: 'the request is not valid HTTP' }
}

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, message } = refusalOf(error.code)
  const body = JSON.stringify(errorBody(status, message))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    )
  }
  // Close once the answer is flushed; destroy so a client that keeps sending cannot hold the socket half open.
  socket.end(() => socket.destroy())
}
