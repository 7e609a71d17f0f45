import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { RawVisitor, types } from './support/raw-visitor.js'

describe('--lenient mode: clients without ack and sequence headers', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100, lenient: true })
  })
  afterAll(() => mock.close())

  it('treats a poll without ack as acknowledging everything delivered, and applies POSTs without a sequence', async () => {
    const visitor = new RawVisitor(mock)
    await visitor.start()
    expect((await visitor.post('Chasitor/ChasitorInit', undefined, visitor.initBody())).status).toBe(200)
    const id = visitor.session.id
    const first = await visitor.poll()
    expect(types(first.json())).toEqual(['ChatRequestSuccess'])
    mock.admin.accept(id)
    const second = await visitor.poll()
    expect(types(second.json())).toEqual(['ChatEstablished'])
    expect((await visitor.post('Chasitor/ChatMessage', undefined, { text: 'no header' })).status).toBe(200)
    expect((await visitor.post('Chasitor/ChatEnd', undefined, { reason: 'client' })).status).toBe(200)

    const chat = mock.admin.chat(id)!
    expect(chat.acks).toEqual([null, null])
    expect(chat.transcript.filter((t) => t.from === 'visitor').map((t) => t.text)).toEqual(['no header'])
    expect(chat.state).toBe('ended')
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('still enforces numbers when a client sends them', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    expect((await visitor.post('Chasitor/ChatMessage', 4, { text: 'gap' })).status).toBe(409)
  })
})
