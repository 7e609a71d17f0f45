// One Enhanced Chat guest of the streams bench, over raw HTTP: access token, a conversation, and its event stream
// opened with the token's Last-Event-Id (so the conversation's first events arrive as a replay).
import { randomUUID } from 'node:crypto'
import { type Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'

const API = '/iamessage/api/v2'
/** A stream is open once the two first events of its conversation (session Waiting, routing result) arrived. */
const FIRST_EVENTS = 2

export interface GuestTarget {
  url: string
  orgId15: string
  esDeveloperName: string
  /** Keep-alive agent for the REST calls; streams get a socket each. */
  restAgent: Agent
}

export interface OpenStream {
  events: number
  pings: number
  closed: boolean
  close(): void
}

function call(target: GuestTarget, method: string, path: string, body: unknown, token?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(`${target.url}${API}${path}`, {
      method,
      agent: target.restAgent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** Opens one guest's stream; resolves once its first events arrived. */
export async function openGuestStream(target: GuestTarget, timeoutMs: number): Promise<OpenStream> {
  const tokenRes = await call(target, 'POST', '/authorization/unauthenticated/access-token', {
    orgId: target.orgId15,
    esDeveloperName: target.esDeveloperName,
    capabilitiesVersion: '1',
    platform: 'Web',
  })
  if (tokenRes.status !== 200) throw new Error(`access-token answered ${tokenRes.status} ${tokenRes.text}`)
  const { accessToken, lastEventId } = JSON.parse(tokenRes.text) as { accessToken: string; lastEventId: string }
  const created = await call(
    target,
    'POST',
    '/conversation',
    { conversationId: randomUUID(), esDeveloperName: target.esDeveloperName },
    accessToken
  )
  if (created.status !== 201) throw new Error(`create conversation answered ${created.status} ${created.text}`)

  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(`${target.url}/eventrouter/v1/sse`, {
      agent: false,
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${accessToken}`,
        'x-org-id': target.orgId15,
        'last-event-id': lastEventId,
      },
    })
    const stream: OpenStream = { events: 0, pings: 0, closed: false, close: () => req.destroy() }
    const timer = setTimeout(() => {
      req.destroy()
      reject(new Error(`the stream's first events did not arrive within ${timeoutMs} ms`))
    }, timeoutMs)
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer)
        res.resume()
        return reject(new Error(`SSE answered ${res.statusCode}`))
      }
      res.setEncoding('utf8')
      let pending = ''
      res.on('data', (chunk: string) => {
        pending += chunk
        let end
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const frame = pending.slice(0, end)
          pending = pending.slice(end + 2)
          if (frame.startsWith('event: ping')) stream.pings++
          else stream.events++
        }
        if (stream.events >= FIRST_EVENTS) {
          clearTimeout(timer)
          resolve(stream)
        }
      })
      res.on('close', () => (stream.closed = true))
    })
    req.on('error', (error) => {
      stream.closed = true
      clearTimeout(timer)
      reject(error)
    })
    req.end()
  })
}
