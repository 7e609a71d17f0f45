import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { RawVisitor, rawRequest, types, type Batch } from './support/raw-visitor.js'

const HOLD_MS = 150

describe('System/Messages long poll', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: HOLD_MS })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.admin.reset())

  it('numbers events 0,1,2… and returns everything after ack in one batch with the last sequence and an offset', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    mock.admin.agentMessage(id, 'one')
    mock.admin.agentMessage(id, 'two')

    const res = await visitor.poll(-1, 0)
    expect(res.status).toBe(200)
    const batch = res.json<Batch>()
    expect(types(batch)).toEqual(['ChatRequestSuccess', 'ChatEstablished', 'ChatMessage', 'ChatMessage'])
    expect(batch.sequence).toBe(3)
    expect(Number.isInteger(batch.offset) && batch.offset > 1_000_000).toBe(true)
    expect(batch.messages[2]!.message).toMatchObject({ text: 'one', name: mock.options.agentName })
  })

  it('drops acknowledged events and redelivers the unacknowledged ones when an old ack is repeated', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    const first = await visitor.nextBatch(-1)
    expect(first.sequence).toBe(1)

    mock.admin.agentMessage(id, 'hello')
    const second = await visitor.nextBatch(1)
    expect(types(second)).toEqual(['ChatMessage'])
    expect(second.sequence).toBe(2)

    // The response was "lost": the client repeats ack=1 and gets seq 2 again.
    const again = await visitor.nextBatch(1)
    expect(again).toEqual(second)

    // ack=0 after ack=1: events ≤ 1 are gone for good, seq 2 is still undelivered.
    const older = await visitor.nextBatch(0)
    expect(types(older)).toEqual(['ChatMessage'])
    expect(older.sequence).toBe(2)
    expect(mock.admin.chat(id)!.acks).toEqual([-1, 1, 1, 0])
  })

  it('answers 204 with an empty body after the hold when nothing happens, and the same ack then works', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const batch = await visitor.nextBatch(-1)
    const empty = await visitor.poll(batch.sequence)
    expect(empty.status).toBe(204)
    expect(empty.text).toBe('')
    expect(mock.admin.stats().violations).toEqual([])
  })

  it('wakes a held poll as soon as an agent acts, with the events of the same tick in one batch', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 20_000 })
    try {
      const visitor = new RawVisitor(slow)
      const id = await visitor.startChat()
      const ack = (await visitor.nextBatch(-1)).sequence
      const held = visitor.poll(ack)
      await slow.admin.waitForChat((c) => c.id === id && c.pollOpen)
      slow.admin.accept(id)
      slow.admin.agentMessage(id, 'right away')
      const res = await held
      expect(res.status).toBe(200)
      expect(types(res.json<Batch>())).toEqual(['ChatEstablished', 'ChatMessage'])
    } finally {
      await slow.close()
    }
  })

  it('records pc values and never requires them', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    await visitor.poll(-1, 0)
    await visitor.poll(0)
    await visitor.poll(0, 7)
    expect(mock.admin.chat(id)!.pcs).toEqual([0, 7])
    expect(mock.admin.stats().violations).toEqual([])
  })

  it('answers 409 to both polls when a second one arrives while one is held, and terminates the chat', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const ack = (await visitor.nextBatch(-1)).sequence
    const firstPoll = visitor.poll(ack)
    await mock.admin.waitForChat((c) => c.id === id && c.pollOpen)
    const second = await visitor.poll(ack)
    const first = await firstPoll

    expect(second.status).toBe(409)
    expect(first.status).toBe(409)
    expect(second.text).toContain('terminated')
    const chat = mock.admin.chat(id)!
    expect(chat.state).toBe('ended')
    expect(chat.endReason).toBe('duplicatePoll')
    const stats = mock.admin.stats()
    expect(stats.conflicts409).toBe(2)
    expect(stats.violations.map((v) => v.rule)).toEqual(['concurrent-poll'])
    expect((await visitor.poll(ack)).status).toBe(403)
  })

  it('forgets a poll the client aborted, so the next poll is not a duplicate', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 20_000 })
    try {
      const visitor = new RawVisitor(slow)
      const id = await visitor.startChat()
      const ack = (await visitor.nextBatch(-1)).sequence
      const controller = new AbortController()
      const aborted = visitor.poll(ack, undefined, controller.signal).catch((error: unknown) => error)
      await slow.admin.waitForChat((c) => c.id === id && c.pollOpen)
      controller.abort()
      await aborted
      // The server sees the socket close asynchronously.
      await slow.admin.waitForChat((c) => c.id === id && !c.pollOpen)
      const next = visitor.poll(ack)
      await slow.admin.waitForChat((c) => c.id === id && c.pollOpen)
      slow.admin.accept(id)
      const res = await next
      expect(res.status).toBe(200)
      expect(types(res.json<Batch>())).toEqual(['ChatEstablished'])
      expect(slow.admin.stats().conflicts409).toBe(0)
    } finally {
      await slow.close()
    }
  })

  it('answers 403 to polls of unknown sessions and after the chat ended and its events were delivered', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    mock.admin.endChat(id)
    const batch = await visitor.nextBatch(-1)
    expect(types(batch)).toEqual(['ChatRequestSuccess', 'ChatEstablished', 'ChatEnded'])
    expect(batch.messages[2]!.message).toEqual({ reason: 'agent', attachedRecords: [] })
    expect((await visitor.poll(batch.sequence)).status).toBe(403)

    const stranger = new RawVisitor(mock)
    await stranger.start()
    stranger.session = { ...stranger.session, key: 'not-a-key' }
    expect((await stranger.poll(-1)).status).toBe(403)
  })

  it('refuses a poll without ack in strict mode (400) and rejects a malformed ack', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const res = await visitor.poll()
    expect(res.status).toBe(400)
    expect(res.text).toContain('ack')
    expect((await visitor.poll(-5)).status).toBe(400)
    expect(mock.admin.stats().violations.map((v) => v.rule)).toEqual(['missing-ack'])
    expect(mock.admin.chat(id)!.acks).toEqual([])
  })

  it('refuses repeated query parameters with 400 and a message, on every GET resource (never a 500)', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const { orgId, deploymentId, buttonId } = mock.options
    const org = `org_id=${orgId}&deployment_id=${deploymentId}`
    const urls = [
      'System/Messages?ack=-1&ack=0',
      'System/Messages?ack=-1&pc=0&pc=1',
      'System/ReconnectSession?ReconnectSession.offset=1&ReconnectSession.offset=2',
      `Visitor/Availability?${org}&Availability.ids=${buttonId}&Availability.ids=${buttonId}`,
      `Visitor/Availability?${org}&org_id=${orgId}&Availability.ids=${buttonId}`,
      `Visitor/Settings?${org}&Settings.buttonIds=${buttonId}&Settings.buttonIds=${buttonId}`,
      `Visitor/VisitorId?${org}&deployment_id=${deploymentId}`,
    ]
    for (const url of urls) {
      const res = await rawRequest(`${visitor.api}/${url}`, { headers: visitor.headers() })
      expect({ url, status: res.status }).toEqual({ url, status: 400 })
      expect(res.text).toMatch(/^Bad Request: the query parameter \S+ must be given once$/)
    }
    // A repeated header arrives joined ("2, 3"): refused as malformed, not applied.
    mock.admin.accept(id)
    const repeated = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${visitor.api}/Chasitor/ChatMessage`, {
        method: 'POST',
        headers: { ...visitor.headers({ 'content-type': 'application/json' }), 'X-LIVEAGENT-SEQUENCE': ['2', '3'] },
      })
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ text: 'twice numbered' }))
    })
    expect(repeated.status).toBe(400)
    expect(repeated.text).toMatch(/^Bad Request: X-LIVEAGENT-SEQUENCE/i)
    // Nothing was applied: no poll recorded, no message, the session is still usable.
    expect(mock.admin.chat(id)!.acks).toEqual([])
    expect(mock.admin.chat(id)!.transcript.filter((t) => t.from === 'visitor')).toEqual([])
    expect((await visitor.poll(-1)).status).toBe(200)
  })

  it('flags an ack beyond what was delivered', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const res = await visitor.poll(5)
    expect(res.status).toBe(200)
    expect(types(res.json<Batch>())).toEqual(['ChatRequestSuccess'])
    expect(mock.admin.stats().violations.map((v) => v.rule)).toEqual(['ack-ahead'])
  })
})
