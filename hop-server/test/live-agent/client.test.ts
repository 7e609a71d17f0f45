// LiveAgentClient resource by resource, against the real mock server over loopback HTTP.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '@liveagent-hop/mock-server'
import {
  LiveAgentAbortError,
  LiveAgentClient,
  LiveAgentHttpError,
  LiveAgentInputError,
  LiveAgentTimeoutError,
  parseOutOfSync,
  type SessionAuth,
  type SessionIdResponse,
} from '../../src/backends/live-agent/index.js'
import { INIT, visitorLines } from './helpers.js'

const HOLD_MS = 150

let mock: MockServer
let client: LiveAgentClient

// A fresh mock per test: a request aborted at the very end of one test can still reach the server
// afterwards, and must not show up in the next test's counters.
beforeEach(async () => {
  mock = await startMockServer({ scenario: 'manual', holdMs: HOLD_MS })
  client = new LiveAgentClient({ endpoint: `${mock.url}/chat` })
})

afterEach(async () => {
  client.close()
  await mock.close()
})

async function initialisedSession(): Promise<{ session: SessionIdResponse; auth: SessionAuth }> {
  const session = await client.createSession()
  const auth = { key: session.key, affinityToken: session.affinityToken }
  await client.chasitorInit(auth, 1, { ...INIT, sessionId: session.id })
  return { session, auth }
}

describe('LiveAgentClient against the mock', () => {
  it('creates a session with the affinity "null" and reads clientPollTimeout', async () => {
    const session = await client.createSession()
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(session.key.startsWith(`${session.id}!`)).toBe(true)
    expect(session.affinityToken).toMatch(/^[0-9a-f]{8}$/)
    expect(session.clientPollTimeoutSec).toBe(40)
  })

  it('accepts the endpoint with or without /rest and a trailing slash', async () => {
    for (const endpoint of [`${mock.url}/chat/`, `${mock.url}/chat/rest`, `${mock.url}/chat/rest/`]) {
      const other = new LiveAgentClient({ endpoint })
      try {
        await expect(other.createSession()).resolves.toHaveProperty('key')
      } finally {
        other.close()
      }
    }
  })

  it('refuses an unusable endpoint or api version before any request', () => {
    expect(() => new LiveAgentClient({ endpoint: 'not a url' })).toThrow(LiveAgentInputError)
    expect(() => new LiveAgentClient({ endpoint: 'ftp://host/chat' })).toThrow(/http/)
    expect(() => new LiveAgentClient({ endpoint: `${mock.url}/chat?x=1` })).toThrow(/query/)
    expect(() => new LiveAgentClient({ endpoint: `${mock.url}/chat`, apiVersion: 'v63' })).toThrow(/apiVersion/)
  })

  it('polls: the first batch is ChatRequestSuccess, then 204 after the hold, then the agent events', async () => {
    const { session, auth } = await initialisedSession()
    const first = await client.messages(auth, { ack: -1, pc: 0 })
    if (first.status !== 200) throw new Error('expected a batch')
    expect(first.events[0]).toMatchObject({ type: 'ChatRequestSuccess', message: { connectionTimeout: 150000 } })
    expect(first.sequence).toBe(0)
    expect(first.offset).toBeGreaterThan(0)

    await expect(client.messages(auth, { ack: first.sequence, pc: 1 })).resolves.toEqual({ status: 204 })

    mock.admin.accept(session.id, { agentName: 'Andy' })
    mock.admin.agentMessage(session.id, 'Hello Ada')
    const second = await client.messages(auth, { ack: first.sequence, pc: 2 })
    if (second.status !== 200) throw new Error('expected a batch')
    expect(second.events.map((e) => e.type)).toEqual(['ChatEstablished', 'ChatMessage'])
    expect(second.events[1]).toMatchObject({ message: { text: 'Hello Ada', name: 'Andy' } })
    expect(mock.admin.chat(session.id)?.pcs).toEqual([0, 1, 2])
  })

  it('sends every sequenced visitor post after the agent joined', async () => {
    const { session, auth } = await initialisedSession()
    mock.admin.accept(session.id)
    await client.chatMessage(auth, 2, 'first')
    await client.typing(auth, 3)
    await client.notTyping(auth, 4)
    await client.sneakPeek(auth, 5, { position: 3, text: 'sec' })
    await client.customEvent(auth, 6, { type: 'botContext', data: '{"intent":"refund"}' })
    await client.chatMessage(auth, 7, 'second')
    // the same sequence again: acknowledged and ignored by the server
    await client.chatMessage(auth, 7, 'second')
    await client.chatEnd(auth, 8)
    const chat = mock.admin.chat(session.id)
    expect(visitorLines(chat?.transcript ?? [])).toEqual(['first', 'second'])
    expect(chat?.sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 7, 8])
    expect(chat?.endReason).toBe('client')
    expect(mock.admin.stats().violations).toEqual([])
  })

  it('gives a typed 409 carrying the out-of-sync body for a sequence gap', async () => {
    const { session, auth } = await initialisedSession()
    mock.admin.accept(session.id)
    const error = await client.chatMessage(auth, 5, 'too far').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentHttpError)
    const http = error as LiveAgentHttpError
    expect(http).toMatchObject({ kind: 'http', resource: 'Chasitor/ChatMessage', status: 409 })
    expect(parseOutOfSync(http.body)).toEqual({ expected: 5, actual: 1 })
  })

  it('gives a typed 500 for a ChatMessage before the agent joined', async () => {
    const { auth } = await initialisedSession()
    await expect(client.chatMessage(auth, 2, 'early')).rejects.toMatchObject({ status: 500 })
  })

  it('gives a typed 403 once the session expired, on polls and posts', async () => {
    const { session, auth } = await initialisedSession()
    mock.admin.expire(session.id)
    await expect(client.messages(auth, { ack: -1 })).rejects.toMatchObject({ status: 403, resource: 'System/Messages' })
    await expect(client.chatEnd(auth, 2)).rejects.toMatchObject({ status: 403 })
  })

  it('deletes a session', async () => {
    const { session, auth } = await initialisedSession()
    await client.deleteSession(auth)
    expect(mock.admin.chat(session.id)?.endReason).toBe('deleted')
  })

  it('reconnects after a hand-over and reads the wrapped ReconnectSession response', async () => {
    const { session, auth } = await initialisedSession()
    const first = await client.messages(auth, { ack: -1 })
    if (first.status !== 200) throw new Error('expected a batch')
    mock.admin.injectFault({ resource: 'Messages', kind: 'handover' })
    await expect(client.messages(auth, { ack: first.sequence })).rejects.toMatchObject({ status: 503 })
    const reconnected = await client.reconnectSession(auth.key, first.offset ?? 0)
    expect(reconnected.resetSequence).toBe(true)
    expect(reconnected.affinityToken).not.toBe(auth.affinityToken)
    const fresh = { key: auth.key, affinityToken: reconnected.affinityToken }
    const data = await client.messages(fresh, { ack: first.sequence })
    if (data.status !== 200) throw new Error('expected a batch')
    expect(data.events[0]?.type).toBe('ChasitorSessionData')
    await client.resyncState(fresh, INIT.organizationId)
    expect(mock.admin.chat(session.id)?.handoverPending).toBe(false)
    expect(mock.admin.stats().violations).toEqual([])
  })

  it('gives a typed 405 for a ReconnectSession with no hand-over pending', async () => {
    const { auth } = await initialisedSession()
    await expect(client.reconnectSession(auth.key, 0)).rejects.toMatchObject({ status: 405 })
  })

  it('reads availability and settings', async () => {
    const query = { organizationId: INIT.organizationId, deploymentId: INIT.deploymentId, ids: [INIT.buttonId] }
    await expect(client.availability(query)).resolves.toEqual([{ id: INIT.buttonId, isAvailable: true }])
    mock.admin.setAvailability(false)
    await expect(client.availability(query)).resolves.toEqual([{ id: INIT.buttonId, isAvailable: false }])
    const settings = await client.settings({ ...query, needEstimatedWaitTime: true })
    expect(settings.buttons.map((b) => b.id)).toEqual([INIT.buttonId])
  })

  it('rejects with LiveAgentAbortError as soon as the signal fires during a held poll', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 60_000 })
    const slowClient = new LiveAgentClient({ endpoint: `${slow.url}/chat` })
    try {
      const session = await slowClient.createSession()
      const auth = { key: session.key, affinityToken: session.affinityToken }
      await slowClient.chasitorInit(auth, 1, { ...INIT, sessionId: session.id })
      const first = await slowClient.messages(auth, { ack: -1 })
      if (first.status !== 200) throw new Error('expected a batch')
      const controller = new AbortController()
      const held = slowClient.messages(auth, { ack: first.sequence }, { signal: controller.signal })
      await slow.admin.waitForChat((c) => c.id === session.id && c.acks.length === 2)
      controller.abort()
      // the hold is 60 s and the test's timeout 30 s: only an immediate abort gets here
      await expect(held).rejects.toBeInstanceOf(LiveAgentAbortError)
      // the server saw the poll go away: a new one is not a duplicate
      await expect(slowClient.messages(auth, { ack: first.sequence }, { timeoutMs: 300 })).rejects.toBeInstanceOf(
        LiveAgentTimeoutError
      )
      expect(slow.admin.stats().conflicts409).toBe(0)
    } finally {
      slowClient.close()
      await slow.close()
    }
  })

  it('rejects with LiveAgentTimeoutError when a poll gets no answer in time', async () => {
    const { auth } = await initialisedSession()
    mock.admin.injectFault({ resource: 'Messages', kind: 'delay', delayMs: 1000 })
    const error = await client.messages(auth, { ack: -1 }, { timeoutMs: 100 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LiveAgentTimeoutError)
    expect(error).toMatchObject({ kind: 'timeout', resource: 'System/Messages', timeoutMs: 100 })
  })

  it('rejects with a network error when the connection is reset', async () => {
    const { auth } = await initialisedSession()
    mock.admin.injectFault({ resource: 'Messages', kind: 'reset' })
    await expect(client.messages(auth, { ack: -1 })).rejects.toMatchObject({ kind: 'network' })
  })

  it('refuses invalid input before sending anything', async () => {
    const auth = { key: 'k', affinityToken: 'a' }
    await expect(client.chatMessage(auth, 1, '')).rejects.toBeInstanceOf(LiveAgentInputError)
    await expect(client.chatMessage(auth, 0, 'x')).rejects.toThrow(/sequence/)
    await expect(client.chasitorInit(auth, 1, { ...INIT, organizationId: '', sessionId: 'x' })).rejects.toBeInstanceOf(
      LiveAgentInputError
    )
    expect(mock.admin.stats().requests).toEqual({})
  })
})
