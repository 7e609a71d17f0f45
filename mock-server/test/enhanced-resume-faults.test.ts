// Resume with Last-Event-Id after a dropped or closed stream (nothing lost, nothing twice), the bounded replay buffer,
// and every fault of /__admin/enhanced over HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { names, parseData, payloadOf, RawGuest, type SseEvent, type SseStream } from './support/raw-enhanced.js'
import { rawRequest } from './support/raw-visitor.js'

const is = (name: string) => (e: SseEvent) => e.event === name
const agentTexts = (events: SseEvent[]): string[] =>
  events
    .filter((e) => e.event === 'CONVERSATION_MESSAGE' && parseData(e).conversationEntry.sender.role === 'Agent')
    .map((e) => payloadOf(e).abstractMessage.staticContent.text as string)

describe('Enhanced Chat resume and faults', () => {
  let mock: MockServer
  let guest: RawGuest

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual' })
  })
  afterEach(() => {
    guest?.closeStreams()
    mock.enhanced.reset()
  })
  afterAll(() => mock.close())

  const admin = (path: string, body: unknown = {}) =>
    rawRequest(`${mock.url}/__admin/enhanced${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  /** A guest with an open stream and an accepted conversation. */
  async function activeConversation(): Promise<{ id: string; stream: SseStream }> {
    guest = new RawGuest(mock)
    await guest.getToken()
    const stream = await guest.stream()
    const { id } = await guest.createConversation()
    mock.enhanced.accept(id)
    await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
    return { id, stream }
  }

  it('resumes after a dropped stream with Last-Event-Id: every event exactly once, in order', async () => {
    const { id, stream } = await activeConversation()
    mock.enhanced.agentMessage(id, 'one')
    await stream.waitFor(is('CONVERSATION_MESSAGE'))
    const dropped = await admin('/streams/drop', { conversationId: id })
    expect(dropped.json()).toEqual({ dropped: 1 })
    await stream.waitForEnd()

    // While the guest is away: agent messages, typing, and the guest's own message (echoed on the stream).
    for (const text of ['two', 'three', 'four']) mock.enhanced.agentMessage(id, text)
    mock.enhanced.agentTyping(id, true)
    expect((await guest.send(id, 'sent while reconnecting')).status).toBe(202)
    mock.enhanced.agentMessage(id, 'five')

    const resumed = await guest.stream(stream.lastId)
    await resumed.waitFor((e) => agentTexts([e]).includes('five'))
    const all = [...stream.conversationEvents, ...resumed.conversationEvents]
    const ids = all.map((e) => Number(e.id))
    expect(new Set(ids).size).toBe(ids.length) // nothing twice
    expect(ids).toEqual([...ids].sort((a, b) => a - b)) // in order
    expect(agentTexts(all)).toEqual(['one', 'two', 'three', 'four', 'five']) // nothing lost
    expect(names(resumed.events).slice(0, 4)).toEqual([
      'CONVERSATION_MESSAGE',
      'CONVERSATION_MESSAGE',
      'CONVERSATION_MESSAGE',
      'CONVERSATION_TYPING_STARTED_INDICATOR',
    ])
    // The entries API agrees with what the two streams delivered.
    const entries = (await guest.call('GET', `/conversation/${id}/entries?limit=50`)).json<{
      conversationEntries: { identifier: string }[]
    }>()
    expect(all.map((e) => parseData(e).conversationEntry.identifier)).toEqual(
      entries.conversationEntries.map((e) => e.identifier)
    )
  })

  it('closes a stream cleanly after N events (close-after fault); reconnecting resumes where it stopped', async () => {
    const { id, stream } = await activeConversation()
    expect((await admin('/streams/close-after', { events: 2 })).json()).toEqual({ streams: 1 })
    for (const text of ['a', 'b', 'c', 'd']) mock.enhanced.agentMessage(id, text)
    await stream.waitForEnd()
    expect(agentTexts(stream.events)).toEqual(['a', 'b'])
    const resumed = await guest.stream(stream.lastId)
    await resumed.waitFor(is('CONVERSATION_MESSAGE'), 2)
    expect(agentTexts(resumed.events)).toEqual(['c', 'd'])
  })

  it('keeps a bounded buffer per identity: a client away for longer than the buffer loses the oldest events', async () => {
    const small = await startMockServer({ scenario: 'manual', sseBufferEvents: 3 })
    try {
      const g = new RawGuest(small)
      const token = await g.getToken()
      const { id } = await g.createConversation() // 2 events: session Waiting, routing result
      small.enhanced.accept(id) // 2 events: participant added, session Active
      for (const text of ['x', 'y']) small.enhanced.agentMessage(id, text)
      const stream = await g.stream(token.lastEventId)
      await stream.waitFor(is('CONVERSATION_MESSAGE'), 2)
      expect(names(stream.events)).toEqual([
        'CONVERSATION_SESSION_STATUS_CHANGED',
        'CONVERSATION_MESSAGE',
        'CONVERSATION_MESSAGE',
      ])
      g.closeStreams()
    } finally {
      await small.close()
    }
  })

  it('delays events (in order, each at least delayMs late) while REST and the entries API see them at once', async () => {
    const { id, stream } = await activeConversation()
    const DELAY_MS = 300
    expect((await admin('/faults', { kind: 'delayEvents', delayMs: DELAY_MS, count: 1 })).status).toBe(200)
    const sentAt = Date.now()
    mock.enhanced.agentMessage(id, 'late')
    mock.enhanced.agentMessage(id, 'right behind')
    const entries = (await guest.call('GET', `/conversation/${id}/entries?entryTypeFilter=Message`)).json<{
      conversationEntries: unknown[]
    }>()
    expect(entries.conversationEntries).toHaveLength(2)
    await stream.waitFor(is('CONVERSATION_MESSAGE'), 2)
    const lateAt = Date.now()
    expect(lateAt - sentAt).toBeGreaterThanOrEqual(DELAY_MS)
    expect(agentTexts(stream.events)).toEqual(['late', 'right behind'])
  })

  it('answers an injected 5xx on one route (then recovers) and on any route, the stream included', async () => {
    guest = new RawGuest(mock)
    await guest.getToken()
    const { id } = await guest.createConversation()
    expect((await admin('/faults', { kind: 'error', route: 'sendMessage', status: 503, count: 2 })).status).toBe(200)
    const first = await guest.send(id, 'one')
    expect([first.status, first.json()]).toEqual([503, { message: 'Service Unavailable' }])
    expect((await guest.send(id, 'two')).status).toBe(503)
    expect((await guest.send(id, 'three')).status).toBe(202)
    expect(
      mock.enhanced
        .conversation(id)!
        .transcript.filter((t) => t.from === 'visitor')
        .map((t) => t.text)
    ).toEqual(['three'])

    expect((await admin('/faults', { kind: 'error', route: '*', count: 1 })).status).toBe(200)
    await expect(guest.stream()).rejects.toThrow('SSE answered 500')
    expect((await guest.call('GET', `/conversation/${id}`)).status).toBe(200)
  })

  it('holds an answer (holdAnswer fault): the message is delivered at once, its 202 leaves later; the stream cannot be held', async () => {
    const HOLD_MS = 1500
    const { id, stream } = await activeConversation()
    expect((await admin('/faults', { kind: 'holdAnswer', route: 'sendMessage', delayMs: HOLD_MS })).status).toBe(200)
    let answered = false
    const pending = guest.send(id, 'held').then((res) => {
      answered = true
      return res
    })
    // The agent has the message and the echo is on the stream while the sender still waits for its answer.
    await mock.enhanced.waitFor(
      (c) => c.id === id && c.transcript.some((t) => t.from === 'visitor' && t.text === 'held')
    )
    await stream.waitFor(
      (e) => e.event === 'CONVERSATION_MESSAGE' && parseData(e).conversationEntry.sender.role === 'EndUser'
    )
    expect(answered).toBe(false)
    const res = await pending
    expect(res.status).toBe(202)
    expect(res.json()).toMatchObject({ conversationEntries: [{ id: expect.any(String) }] })
    // Used up: the next message is answered as usual, and each message is one entry.
    expect((await guest.send(id, 'not held')).status).toBe(202)
    expect(
      mock.enhanced
        .conversation(id)!
        .transcript.filter((t) => t.from === 'visitor')
        .map((t) => t.text)
    ).toEqual(['held', 'not held'])
    for (const fault of [
      { kind: 'holdAnswer', route: 'sse', delayMs: 100 },
      { kind: 'holdAnswer', route: 'sendMessage', delayMs: 0 },
      { kind: 'holdAnswer', route: 'sendMessage', delayMs: 600_000 },
    ]) {
      const refused = await admin('/faults', fault)
      expect({ fault, status: refused.status }).toEqual({ fault, status: 400 })
    }
  })

  it('fails routing on demand: ROUTING_RESULT with the failure type and an empty queue id, routing status NEEDS_ROUTING', async () => {
    guest = new RawGuest(mock)
    await guest.getToken()
    const stream = await guest.stream()
    expect((await admin('/faults', { kind: 'routingFailure' })).status).toBe(200)
    const { id } = await guest.createConversation()
    const [result] = await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'))
    expect(payloadOf(result!)).toMatchObject({
      failureType: 'RoutingError',
      routingConfigurationDetails: { queueId: '' },
    })
    expect((await guest.call('GET', `/conversation/${id}`)).json()).toMatchObject({ routingStatus: 'NEEDS_ROUTING' })
    expect(mock.enhanced.conversation(id)).toMatchObject({ state: 'ended', endReason: 'routingFailed' })
    // The fault was used up: the next conversation is routed.
    const next = await guest.createConversation()
    await stream.waitFor(is('CONVERSATION_ROUTING_RESULT'), 2)
    expect((await guest.call('GET', `/conversation/${next.id}`)).json()).toMatchObject({ routingStatus: 'ROUTED' })
  })

  it('expires a token through the admin API, and refuses bad admin input with 4xx {error}', async () => {
    guest = new RawGuest(mock)
    await guest.getToken()
    const { id } = await guest.createConversation()
    expect((await admin(`/conversations/${id}/expire-token`)).json()).toEqual({ ok: true })
    expect((await guest.send(id, 'hi')).status).toBe(401)

    const bad: [string, unknown, number][] = [
      ['/faults', { kind: 'error', route: 'nowhere' }, 400],
      ['/faults', { kind: 'delayEvents' }, 400],
      ['/faults', { kind: 'error', route: '*', status: 404 }, 400],
      ['/streams/close-after', { events: -1 }, 400],
      ['/streams/drop', { conversationId: crypto.randomUUID() }, 404],
      [`/conversations/${id}/message`, { text: '' }, 400],
      [`/conversations/${id}/message`, { text: 'no agent yet' }, 409],
      [`/conversations/${crypto.randomUUID()}/accept`, {}, 404],
    ]
    for (const [path, body, status] of bad) {
      const res = await admin(path, body)
      expect({ path, status: res.status }).toEqual({ path, status })
      expect(res.json()).toEqual({ error: expect.any(String) })
    }
  })
})
