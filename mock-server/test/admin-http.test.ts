import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type ChatView, type MockServer } from '../src/index.js'
import { RawVisitor, rawRequest, types } from './support/raw-visitor.js'

describe('/__admin HTTP API', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100 })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.admin.reset())

  const admin = (method: string, path: string, body?: unknown) =>
    rawRequest(`${mock.url}/__admin${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })

  it('lists chats and drives one through accept, typing, message, queue-free transfer and end', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const list = await admin('GET', '/chats')
    expect(list.json<ChatView[]>().map((c) => [c.id, c.state])).toEqual([[id, 'waiting']])

    expect((await admin('POST', `/chats/${id}/queue`, { position: 4 })).json()).toEqual({ ok: true })
    expect((await admin('POST', `/chats/${id}/accept`, { agentName: 'Ana' })).status).toBe(200)
    expect((await admin('POST', `/chats/${id}/typing`, { typing: true })).status).toBe(200)
    expect((await admin('POST', `/chats/${id}/message`, { text: 'Hello from HTTP' })).status).toBe(200)
    expect((await admin('POST', `/chats/${id}/transfer`, { agentName: 'Bo' })).status).toBe(200)
    expect((await admin('POST', `/chats/${id}/end`, {})).status).toBe(200)

    const chat = (await admin('GET', `/chats/${id}`)).json<ChatView>()
    expect(chat).toMatchObject({ state: 'ended', agent: 'Bo', endReason: 'agent' })
    expect(chat.transcript.filter((t) => t.from === 'agent').map((t) => t.text)).toEqual(['Hello from HTTP'])
    expect(types(await visitor.nextBatch(-1))).toEqual([
      'ChatRequestSuccess',
      'QueueUpdate',
      'ChatEstablished',
      'AgentTyping',
      'ChatMessage',
      'ChatTransferred',
      'ChatEnded',
    ])
  })

  it('answers 400 with a message on bad input and changes nothing', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const cases: [string, string, unknown][] = [
      ['POST', `/chats/${id}/message`, { text: '' }],
      ['POST', `/chats/${id}/queue`, { position: -1 }],
      ['POST', `/chats/${id}/typing`, { typing: 'yes' }],
      ['POST', `/chats/${id}/accept`, { agent: 'typo' }],
      ['PUT', '/availability', { available: 'no' }],
      ['PUT', '/availability', { available: false, buttonId: 'xyz' }],
      ['POST', '/faults', { resource: 'Messages', kind: 'explode' }],
      ['POST', '/faults', { resource: 'Messages', kind: 'delay' }],
    ]
    for (const [method, path, body] of cases) {
      const res = await admin(method, path, body)
      expect([path, res.status]).toEqual([path, 400])
      expect(res.json<{ error: string }>().error.length).toBeGreaterThan(0)
    }
    const bad = await rawRequest(`${mock.url}/__admin/chats/${id}/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    })
    expect(bad.status).toBe(400)
    expect(mock.admin.chat(id)).toMatchObject({
      state: 'waiting',
      transcript: [expect.objectContaining({ from: 'system' })],
    })
  })

  it('answers 404 for unknown chats and 409 for actions the chat state does not allow', async () => {
    expect((await admin('GET', '/chats/nope')).status).toBe(404)
    expect((await admin('POST', '/chats/nope/accept', {})).status).toBe(404)
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const early = await admin('POST', `/chats/${id}/message`, { text: 'too early' })
    expect(early.status).toBe(409)
    expect(early.json<{ error: string }>().error).toContain('waiting')
    await admin('POST', `/chats/${id}/accept`)
    expect((await admin('POST', `/chats/${id}/accept`)).status).toBe(409)
    expect((await admin('POST', `/chats/${id}/expire`)).status).toBe(200)
    expect((await admin('POST', `/chats/${id}/expire`)).status).toBe(409)
  })

  it('sets availability, arms faults, reports stats and resets', async () => {
    expect((await admin('PUT', '/availability', { available: false })).status).toBe(200)
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    expect(types(await visitor.nextBatch(-1))).toEqual(['ChatRequestFail'])

    expect((await admin('POST', '/faults', { resource: 'SessionId', kind: 'error500' })).status).toBe(200)
    await expect(new RawVisitor(mock).start()).rejects.toThrow(/500/)

    const stats = (await admin('GET', '/stats')).json<{ requests: Record<string, number>; conflicts409: number }>()
    expect(stats.requests).toMatchObject({ SessionId: 2, ChasitorInit: 1, Messages: 1 })
    expect(stats.conflicts409).toBe(0)

    expect((await admin('POST', '/reset')).status).toBe(200)
    expect((await admin('GET', '/chats')).json()).toEqual([])
    expect((await admin('GET', '/stats')).json()).toEqual({ conflicts409: 0, violations: [], requests: {} })
    const fresh = new RawVisitor(mock)
    await fresh.startChat()
    expect(types(await fresh.nextBatch(-1))).toEqual(['ChatRequestSuccess'])
  })

  it('answers 404 with JSON for unknown admin routes', async () => {
    const res = await admin('GET', '/nothing-here')
    expect(res.status).toBe(404)
    expect(res.json<{ error: string }>().error).toContain('/nothing-here')
  })
})
