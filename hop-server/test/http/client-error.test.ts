// Requests Node's HTTP parser refuses before any route sees them, over a raw socket: the answer says
// `Connection: close` and the server closes the connection, so no client sends its next request into it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { connect } from 'node:net'
import { startHopServer, type HopServer } from '../../src/index.js'
import { hopConfig, tempDir } from '../support/harness.js'

/** Node's default limit of all request headers together is 16 KiB. */
const OVERSIZED_HEADER = 'x'.repeat(32 * 1024)

const dir = tempDir('hop-client-error-')
let hop: HopServer

beforeAll(async () => {
  hop = await startHopServer(hopConfig(dir.path))
})

afterAll(async () => {
  await hop?.close()
  dir.remove()
})

/** Writes `request` on a new connection; resolves with everything received once the server closed it. */
function exchange(request: string): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(hop.port, '127.0.0.1')
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('error', reject)
    // 'end' is the server's FIN: it closed the connection, we did not.
    socket.on('end', () => {
      socket.destroy()
      resolve({ text, closedByServer: true })
    })
    socket.write(request)
  })
}

function parse(text: string) {
  const [head = '', body = ''] = text.split('\r\n\r\n')
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ])
  )
  return { statusLine, headers, body }
}

describe('requests the HTTP parser refuses', () => {
  it('answers 431 to oversized headers with Connection: close and a JSON message, then closes', async () => {
    const { text, closedByServer } = await exchange(
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${OVERSIZED_HEADER}\r\n\r\n`
    )
    const answer = parse(text)
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(answer.headers.connection).toBe('close')
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'the request headers are larger than the server accepts',
    })
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body))
    expect(closedByServer).toBe(true)
  })

  it('answers 400 to a malformed request line with Connection: close, then closes', async () => {
    const { text, closedByServer } = await exchange('NOT-HTTP\r\n\r\n')
    const answer = parse(text)
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(answer.headers.connection).toBe('close')
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 400, message: 'the request is not valid HTTP' })
    expect(closedByServer).toBe(true)
  })

  it('keeps serving other connections afterwards', async () => {
    expect((await fetch(`${hop.url}/healthz`)).status).toBe(200)
  })
})
