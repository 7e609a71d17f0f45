import { afterEach, describe, expect, it } from '@jest/globals'
import { startMockServer, type MockServer, type MockServerOptions } from '../src/index.js'
import { RawVisitor, types } from './support/raw-visitor.js'

const FAST = { holdMs: 200, acceptDelayMs: 10, replyDelayMs: 10, queueStepMs: 10 } satisfies MockServerOptions

describe('scripted agents', () => {
  let mock: MockServer | undefined

  afterEach(async () => {
    await mock?.close()
    mock = undefined
  })

  it('echo: accepts, echoes each message, and ends the chat with reason agent on "bye"', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'echo' })
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    let { events, ack } = await visitor.pollUntil('ChatEstablished')
    expect(types({ messages: events })).toEqual(['ChatRequestSuccess', 'ChatEstablished'])

    expect((await visitor.post('Chasitor/ChatMessage', 2, { text: 'hello' })).status).toBe(200)
    ;({ events, ack } = await visitor.pollUntil('ChatMessage', ack))
    expect(events.find((e) => e.type === 'ChatMessage')!.message.text).toBe('Echo: hello')

    expect((await visitor.post('Chasitor/ChatMessage', 3, { text: 'Bye' })).status).toBe(200)
    ;({ events, ack } = await visitor.pollUntil('ChatEnded', ack))
    expect(events.map((e) => [e.type, e.message.text ?? e.message.reason])).toEqual([
      ['ChatMessage', 'Echo: Bye'],
      ['ChatEnded', 'agent'],
    ])
    expect((await visitor.poll(ack)).status).toBe(403)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'agent' })
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('echo: does not echo the bot transcript the hop server sends at chat start, only live messages', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'echo' })
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const { ack } = await visitor.pollUntil('ChatEstablished')
    // The shapes of hop-server/src/chats/transcript.ts: a summary (and its continuation piece), then one line per message.
    const transcript = [
      'Conversation with the bot before the hand-off:\n[09:58 UTC] Visitor: hi\n[09:58 UTC] Bot: Hello! How can I help?',
      '[09:59 UTC] Visitor: I want a human',
      'Bot: Connecting you to an agent',
    ]
    let sequence = 2
    for (const text of transcript)
      expect((await visitor.post('Chasitor/ChatMessage', sequence++, { text })).status).toBe(200)
    expect((await visitor.post('Chasitor/ChatMessage', sequence++, { text: 'Is my order late?' })).status).toBe(200)
    const { events } = await visitor.pollUntil('ChatMessage', ack)
    expect(events.filter((e) => e.type === 'ChatMessage').map((e) => e.message.text)).toEqual([
      'Echo: Is my order late?',
    ])
    // Nothing else is on its way: the agent's last words are the echo of the live message.
    await mock.admin.waitForChat((c) => c.transcript.some((t) => t.text === 'Echo: Is my order late?'))
    expect(
      mock.admin
        .chats()[0]!
        .transcript.filter((t) => t.from === 'agent')
        .map((t) => t.text)
    ).toEqual(['Echo: Is my order late?'])
  })

  it('queue: QueueUpdate 3, 2, 1, then the agent accepts', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'queue' })
    const visitor = new RawVisitor(mock)
    await visitor.startChat()
    const { events } = await visitor.pollUntil('ChatEstablished')
    expect(events[0]).toMatchObject({ type: 'ChatRequestSuccess', message: { queuePosition: 3 } })
    expect(events.filter((e) => e.type === 'QueueUpdate').map((e) => e.message.position)).toEqual([3, 2, 1])
    expect(events.at(-1)!.type).toBe('ChatEstablished')
  })

  it('queue: no QueueUpdate events for a visitor who did not ask for them', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'queue' })
    const visitor = new RawVisitor(mock)
    await visitor.startChat({ receiveQueueUpdates: false })
    const { events } = await visitor.pollUntil('ChatEstablished')
    expect(types({ messages: events })).toEqual(['ChatRequestSuccess', 'ChatEstablished'])
  })

  it('unavailable: ChatRequestFail Unavailable, then 403', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'unavailable' })
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const batch = await visitor.nextBatch(-1)
    expect(batch.messages).toEqual([
      { type: 'ChatRequestFail', message: { reason: 'Unavailable', postChatUrl: '', attachedRecords: [] } },
    ])
    expect((await visitor.poll(batch.sequence)).status).toBe(403)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'unavailable' })
  })

  it('manual: nothing happens until the admin acts; queue, accept, typing, transfer and end reach the visitor', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'manual' })
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat()
    const first = await visitor.nextBatch(-1)
    expect(types(first)).toEqual(['ChatRequestSuccess'])
    expect((await visitor.poll(first.sequence)).status).toBe(204)

    mock.admin.queueUpdate(id, 2)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'queued', queuePosition: 2 })
    mock.admin.accept(id, { agentName: 'Sam' })
    mock.admin.agentTyping(id, true)
    mock.admin.agentMessage(id, 'Hi, Sam here')
    mock.admin.agentTyping(id, false)
    mock.admin.transfer(id, 'Kim')
    mock.admin.endChat(id, 'agent')
    const batch = await visitor.nextBatch(first.sequence)
    expect(types(batch)).toEqual([
      'QueueUpdate',
      'ChatEstablished',
      'AgentTyping',
      'ChatMessage',
      'AgentNotTyping',
      'ChatTransferred',
      'ChatEnded',
    ])
    expect(batch.messages[1]!.message).toMatchObject({ name: 'Sam', userId: expect.stringMatching(/^005\w{12}$/) })
    expect(batch.messages[5]!.message).toMatchObject({ name: 'Kim' })
    expect(mock.admin.chat(id)).toMatchObject({ agent: 'Kim', state: 'ended', endReason: 'agent' })
  })

  it('routes by availability: an unavailable button fails, buttonOverrides pick the first available target', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'manual' })
    const otherButton = '5735g000000ZzZz'
    mock.admin.setAvailability(false, mock.options.buttonId)
    mock.admin.setAvailability(true, otherButton)

    const refused = new RawVisitor(mock)
    await refused.startChat()
    expect(types(await refused.nextBatch(-1))).toEqual(['ChatRequestFail'])

    const rerouted = new RawVisitor(mock)
    const id = await rerouted.startChat({ buttonOverrides: [mock.options.buttonId, otherButton] })
    expect(types(await rerouted.nextBatch(-1))).toEqual(['ChatRequestSuccess'])
    expect(mock.admin.chat(id)!.buttonId).toBe(otherButton)

    mock.admin.setAvailability(false)
    const nobody = new RawVisitor(mock)
    await nobody.startChat({ buttonOverrides: [otherButton] })
    expect(types(await nobody.nextBatch(-1))).toEqual(['ChatRequestFail'])
  })

  it('waitForChat resolves as soon as a chat matches and rejects after its timeout', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'manual' })
    const waiting = mock.admin.waitForChat((c) => c.visitorName === 'Nina')
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat({ visitorName: 'Nina' })
    expect((await waiting).id).toBe(id)
    await expect(mock.admin.waitForChat((c) => c.visitorName === 'Nobody', 30)).rejects.toThrow(/30 ms/)
  })

  it('waitForChat rejects at once when the server closes', async () => {
    mock = await startMockServer({ ...FAST, scenario: 'manual' })
    const pending = mock.admin.waitForChat(() => false, 60_000)
    await mock.close()
    await expect(pending).rejects.toThrow(/closed/)
  })
})
