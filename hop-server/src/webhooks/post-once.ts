// One POST over bare node:http(s) on a keep-alive agent, for the webhook sender: the answer's status, the body
// drained and dropped. No retry, no redirect, no decompression: the receiver's status is all the dispatcher uses.
// Rejects with an Error on a network failure, on `timeoutMs` without a complete answer, or when `signal` aborts.
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import http from 'node:http'
import https from 'node:https'

export interface PostOnceTarget {
  url: URL
  agent: Agent
}

export function postOnce(
  target: PostOnceTarget,
  headers: OutgoingHttpHeaders,
  body: string,
  timeoutMs: number,
  signal: AbortSignal
): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('the delivery was aborted (shutdown)'))
    const secure = target.url.protocol === 'https:'
    const request = (secure ? https : http).request(target.url, {
      method: 'POST',
      headers,
      agent: target.agent,
      signal,
    })
    // The whole exchange, not socket idleness, is what `timeoutMs` bounds.
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      reject(error)
    }
    request.on('error', fail)
    request.on('response', (response: IncomingMessage) => {
      response.on('error', fail)
      response.on('end', () => {
        clearTimeout(timer)
        resolve(response.statusCode ?? 0)
      })
      response.resume()
    })
    request.end(body)
  })
}
