import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { RawVisitor, types } from './support/raw-visitor.js'

describe('fault injection and expiry', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100 })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.admin.reset())

  it('answers 500 to the next N requests of a resource, changing nothing', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    mock.admin.injectFault({ resource: 'ChatMessage', kind: 'error500', count: 2 })
    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'a' })).status).toBe(500)
    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'a' })).status).toBe(500)
    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'a' })).status).toBe(200)
    expect(mock.admin.chat(id)!.transcript.filter((t) => t.from === 'visitor')).toHaveLength(1)
  })

  it('limits a fault to one session when asked', async () => {
    const one = new RawVisitor(mock)
    const two = new RawVisitor(mock)
    await one.startChat()
    const twoId = await two.startChat()
    mock.admin.injectFault({ resource: 'Messages', kind: 'error500', sessionId: twoId })
    expect((await one.poll(-1)).status).toBe(200)
    expect((await two.poll(-1)).status).toBe(500)
    expect((await two.poll(-1)).status).toBe(200)
  })

  it('delays a response and then handles the request normally', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    mock.admin.injectFault({ resource: 'Messages', kind: 'delay', delayMs: 50 })
    const res = await visitor.poll(-1)
    expect(res.status).toBe(200)
    expect(types(res.json())).toEqual(['ChatRequestSuccess'])
  })

  it('forgets a poll whose client gave up during a delay, so the retry is the only open poll', async () => {
    const slow = await startMockServer({ scenario: 'manual', holdMs: 1000 })
    try {
      const visitor = new RawVisitor(slow)
      const id = await visitor.startChat()
      const first = await visitor.nextBatch(-1)
      slow.admin.injectFault({ resource: 'Messages', kind: 'delay', delayMs: 300 })
      await expect(visitor.poll(first.sequence, 1, AbortSignal.timeout(50))).rejects.toThrow()
      // the retry is held past the moment the abandoned request leaves its delay
      const retry = await visitor.poll(first.sequence, 2)
      expect(retry.status).toBe(204)
      expect(slow.admin.stats().conflicts409).toBe(0)
      expect(slow.admin.chat(id)!.state).not.toBe('ended')
    } finally {
      await slow.close()
    }
  })

  it('resets the connection without an answer', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    mock.admin.injectFault({ resource: 'Messages', kind: 'reset' })
    const error = await visitor.poll(-1).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } }
    )
    expect(error?.message).toBe('fetch failed') // undici's error comes from another realm: no instanceof
    expect(error?.cause?.code ?? '').toMatch(/ECONNRESET|UND_ERR_SOCKET/)
    expect((await visitor.poll(-1)).status).toBe(200)
  })

  it('drops a ChatMessage silently: 200 OK, sequence consumed, the agent never sees it', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    mock.admin.injectFault({ resource: 'ChatMessage', kind: 'drop' })
    const dropped = await visitor.post('Chasitor/ChatMessage', 2, { text: 'into the void' })
    expect([dropped.status, dropped.text]).toEqual([200, 'OK'])
    expect((await visitor.post('Chasitor/ChatMessage', 3, { text: 'seen' })).status).toBe(200)
    const chat = mock.admin.chat(id)!
    expect(chat.transcript.filter((t) => t.from === 'visitor').map((t) => t.text)).toEqual(['seen'])
    expect(chat.droppedMessages).toBe(1)
  })

  it('expires a session on demand: 403 afterwards, the agent side sees the end', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.expire(id)
    expect((await visitor.poll(-1)).status).toBe(403)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'expired' })
  })

  it('expires a session by itself when the client stops polling for longer than the session timeout', async () => {
    const quick = await startMockServer({ scenario: 'manual', holdMs: 50, sessionTimeoutMs: 200 })
    try {
      const visitor = new RawVisitor(quick)
      const id = await visitor.startChat()
      const ended = await quick.admin.waitForChat((c) => c.id === id && c.state === 'ended', 5000)
      expect(ended.endReason).toBe('expired')
      expect((await visitor.poll(-1)).status).toBe(403)
      expect((await visitor.post('Chasitor/ChatEnd', 2, { reason: 'client' })).status).toBe(403)
    } finally {
      await quick.close()
    }
  })

  it('keeps a session alive while its client keeps polling', async () => {
    const quick = await startMockServer({ scenario: 'manual', holdMs: 100, sessionTimeoutMs: 150 })
    try {
      const visitor = new RawVisitor(quick)
      const id = await visitor.startChat()
      let ack = -1
      for (let i = 0; i < 6; i++) {
        const res = await visitor.poll(ack)
        expect([200, 204]).toContain(res.status)
        if (res.status === 200) ack = res.json<{ sequence: number }>().sequence
      }
      expect(quick.admin.chat(id)!.state).toBe('waiting')
    } finally {
      await quick.close()
    }
  })

  it('refuses malformed faults with a clear error', () => {
    expect(() => mock.admin.injectFault({ resource: 'Nope', kind: 'error500' })).toThrow(/resource must be/)
    expect(() => mock.admin.injectFault({ resource: 'Messages', kind: 'delay' })).toThrow(/delayMs/)
    expect(() => mock.admin.injectFault({ resource: 'Messages', kind: 'error500', count: 0 })).toThrow(/count/)
  })
})
