import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer } from '../src/index.js'
import { RawVisitor, types } from './support/raw-visitor.js'

describe('sequenced POSTs (X-LIVEAGENT-SEQUENCE)', () => {
  let mock: MockServer

  beforeAll(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100 })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.admin.reset())

  async function establishedChat(): Promise<{ visitor: RawVisitor; id: string }> {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    mock.admin.accept(id)
    return { visitor, id }
  }

  it('applies the next number, acknowledges a repeated one without applying it again', async () => {
    const { visitor, id } = await establishedChat()
    const first = await visitor.post('Chasitor/ChatMessage', 2, { text: 'hello' })
    const retry = await visitor.post('Chasitor/ChatMessage', 2, { text: 'hello' })
    expect([first.status, first.text]).toEqual([200, 'OK'])
    expect([retry.status, retry.text]).toEqual([200, 'OK'])
    const chat = mock.admin.chat(id)!
    expect(chat.transcript.filter((t) => t.from === 'visitor').map((t) => t.text)).toEqual(['hello'])
    expect(chat.sequences).toEqual([1, 2, 2])
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('answers 409 "Out of sync" on a gap and changes nothing; Actual+1 then works', async () => {
    const { visitor, id } = await establishedChat()
    const gap = await visitor.post('Chasitor/ChatMessage', 5, { text: 'too far' })
    expect(gap.status).toBe(409)
    expect(gap.text).toBe('Out of sync Ack. Expected 5. Actual 1')
    const actual = Number(/Actual (\d+)/.exec(gap.text)![1])
    expect((await visitor.post('Chasitor/ChatMessage', actual + 1, { text: 'in order' })).status).toBe(200)
    expect(
      mock.admin
        .chat(id)!
        .transcript.filter((t) => t.from === 'visitor')
        .map((t) => t.text)
    ).toEqual(['in order'])
    const stats = mock.admin.stats()
    expect(stats.conflicts409).toBe(1)
    expect(stats.violations.map((v) => v.rule)).toEqual(['sequence-gap'])
  })

  it('answers 500 to a ChatMessage before ChatEstablished without consuming the number', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const early = await visitor.post('Chasitor/ChatMessage', 2, { text: 'anyone?' })
    expect(early.status).toBe(500)
    for (const noun of ['ChasitorTyping', 'ChasitorSneakPeek', 'CustomEvent']) {
      const body =
        noun === 'ChasitorSneakPeek' ? { position: 1, text: 'a' } : noun === 'CustomEvent' ? { type: 'x' } : {}
      expect((await visitor.post(`Chasitor/${noun}`, 2, body)).status).toBe(500)
    }
    mock.admin.accept(id)
    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'anyone?' })).status).toBe(200)
    expect(mock.admin.stats().violations.map((v) => v.rule)).toEqual(Array(4).fill('post-before-established'))
  })

  it('lets the visitor cancel with ChatEnd while queued', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const end = await visitor.post('Chasitor/ChatEnd', 2, { reason: 'client' })
    expect(end.status).toBe(200)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'client' })
  })

  it('requires a reason on ChatEnd (400) and answers 403 once the agent has ended the chat', async () => {
    const { visitor, id } = await establishedChat()
    const noReason = await visitor.post('Chasitor/ChatEnd', 2, {})
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('ChatEnd requires a non-null value on the reason property')
    expect(mock.admin.chat(id)!.state).toBe('active')
    mock.admin.endChat(id)
    expect((await visitor.post('Chasitor/ChatEnd', 2, { reason: 'client' })).status).toBe(403)
  })

  it('answers 403 to POSTs of unknown or ended sessions', async () => {
    const { visitor, id } = await establishedChat()
    expect((await visitor.post('Chasitor/ChatEnd', 2, { type: 'ChatEndReason', reason: 'client' })).status).toBe(200)
    expect((await visitor.post('Chasitor/ChatMessage', 3, { text: 'late' })).status).toBe(403)
    const res = await visitor.post('Chasitor/ChatMessage', 2, { text: 'x' }, { 'X-LIVEAGENT-SESSION-KEY': 'nope' })
    expect(res.status).toBe(403)
    expect(mock.admin.chat(id)!.endReason).toBe('client')
  })

  it('answers 400 when the API version header is missing or out of range, and on bad JSON', async () => {
    const { visitor } = await establishedChat()
    const noVersion = await visitor.post(
      'Chasitor/ChatMessage',
      2,
      { text: 'x' },
      { 'X-LIVEAGENT-API-VERSION': undefined }
    )
    expect(noVersion.status).toBe(400)
    expect(noVersion.text).toContain('X-LIVEAGENT-API-VERSION')
    expect(
      (await visitor.post('Chasitor/ChatMessage', 2, { text: 'x' }, { 'X-LIVEAGENT-API-VERSION': '12' })).status
    ).toBe(400)
    const badJson = await visitor.post('Chasitor/ChatMessage', 2, '{"text": ')
    expect(badJson.status).toBe(400)
    expect(badJson.text).toContain('not valid JSON')
    expect((await visitor.post('Chasitor/ChatMessage', 2, { txt: 'x' })).status).toBe(400)
    // None of the refused requests consumed sequence 2.
    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'finally' })).status).toBe(200)
  })

  it('refuses a POST without a sequence header in strict mode with 409', async () => {
    const { visitor, id } = await establishedChat()
    const res = await visitor.post('Chasitor/ChatMessage', undefined, { text: 'x' })
    expect(res.status).toBe(409)
    expect(res.text).toBe('Out of sync Ack. Expected null. Actual 1')
    expect(mock.admin.chat(id)!.transcript.some((t) => t.from === 'visitor')).toBe(false)
    expect(mock.admin.stats().violations.map((v) => v.rule)).toEqual(['missing-sequence'])
  })

  it('accepts typing, sneak peek and custom events, which the agent side sees', async () => {
    const { visitor, id } = await establishedChat()
    expect((await visitor.post('Chasitor/ChasitorTyping', 2, undefined)).status).toBe(200)
    expect(mock.admin.chat(id)!.visitorTyping).toBe(true)
    expect((await visitor.post('Chasitor/ChasitorSneakPeek', 3, { position: 5, text: 'Hello' })).status).toBe(200)
    expect(mock.admin.chat(id)!.sneakPeek).toBe('Hello')
    expect((await visitor.post('Chasitor/ChasitorNotTyping', 4, {})).status).toBe(200)
    expect(mock.admin.chat(id)).toMatchObject({ visitorTyping: false })
    expect((await visitor.post('Chasitor/CustomEvent', 5, { type: 'page', data: '/pricing' })).status).toBe(200)
    expect(mock.admin.chat(id)!.transcript.at(-1)!.text).toContain('page: /pricing')
  })

  it('applies a MultiNoun as one sequence number, with `object` or `data` payloads', async () => {
    const { visitor, id } = await establishedChat()
    const body = {
      nouns: [
        { prefix: 'Chasitor', noun: 'ChatMessage', object: { text: 'first' } },
        { prefix: 'Chasitor', noun: 'ChatMessage', data: JSON.stringify({ text: 'second' }) },
        { prefix: 'Chasitor', noun: 'ChatEnd', object: { reason: 'client' } },
      ],
    }
    expect((await visitor.post('System/MultiNoun', 2, body)).status).toBe(200)
    const chat = mock.admin.chat(id)!
    expect(chat.transcript.filter((t) => t.from === 'visitor').map((t) => t.text)).toEqual(['first', 'second'])
    expect(chat.state).toBe('ended')
    const bad = await visitor.post('System/MultiNoun', 3, { nouns: [{ prefix: 'Agent', noun: 'X', object: {} }] })
    expect(bad.status).toBe(403)
  })

  it('refuses a MultiNoun with an unsupported noun (400) without applying any of it', async () => {
    const { visitor, id } = await establishedChat()
    const res = await visitor.post('System/MultiNoun', 2, {
      nouns: [
        { prefix: 'Chasitor', noun: 'ChatMessage', object: { text: 'first' } },
        { prefix: 'ChatBot', noun: 'ChatMessage', object: { text: 'bot said' } },
      ],
    })
    expect(res.status).toBe(400)
    expect(mock.admin.chat(id)!.transcript.some((t) => t.from === 'visitor')).toBe(false)
    expect(
      (await visitor.post('System/MultiNoun', 2, { nouns: [{ prefix: 'Chasitor', noun: 'ChasitorTyping' }] })).status
    ).toBe(200)
  })

  it('delivers the visitor message to the agent only once even when retried after a lost response', async () => {
    const { visitor, id } = await establishedChat()
    await visitor.post('Chasitor/ChatMessage', 2, { text: 'once' })
    await visitor.post('Chasitor/ChatMessage', 2, { text: 'once' })
    await visitor.post('Chasitor/ChatMessage', 3, { text: 'twice' })
    mock.admin.agentMessage(id, 'got it')
    const { events } = await visitor.pollUntil('ChatMessage')
    expect(types({ messages: events })).toEqual(['ChatRequestSuccess', 'ChatEstablished', 'ChatMessage'])
    expect(
      mock.admin
        .chat(id)!
        .transcript.filter((t) => t.from === 'visitor')
        .map((t) => t.text)
    ).toEqual(['once', 'twice'])
  })
})
