import { type DirectHarness, ANDY, useDirectHarness } from './support/harness.js'

describe('the hitl channel, with an in-memory Botpress client', () => {
  let h: DirectHarness
  useDirectHarness((started) => (h = started))
  beforeEach(() => {
    h.configure({})
    h.hop.clearFailures()
  })

  it('forwards messages sent while connecting, keyed by the Botpress message id, and says "still connecting" once when configured', async () => {
    h.configure({ waitingNotices: true })
    const { conversationId, chatId, userId } = await h.startHandoff()
    const first = await h.visitorSays(conversationId, userId, 'text', { text: 'Hello?' })
    await h.visitorSays(conversationId, userId, 'text', { text: 'Anyone there?' })
    await h.event(chatId, 'chat.queued', { position: 2 })
    await h.visitorSays(conversationId, userId, 'text', { text: 'Still waiting' })

    expect(h.hop.chats.get(chatId)!.messages).toEqual([
      { messageId: first, text: 'Hello?' },
      { messageId: expect.any(String), text: 'Anyone there?' },
      { messageId: expect.any(String), text: 'Still waiting' },
    ])
    expect(h.texts(conversationId).filter((t) => t.includes('Still connecting'))).toHaveLength(1)
    expect(h.handoffState(conversationId)).toMatchObject({ stillConnectingTold: true, status: 'queued', lastSeq: 1 })
  })

  it('sends a redelivered message only once', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    const messageId = await h.visitorSays(conversationId, userId, 'text', { text: 'Once' })
    await h.visitorSays(conversationId, userId, 'text', { text: 'Once' }, messageId)
    expect(h.hop.chats.get(chatId)!.messages).toEqual([{ messageId, text: 'Once' }])
  })

  it('describes media and blocs with their links, since Live Agent shows text only', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    // Real payloads may carry more than the interface declares (webchat images have a title): it is used when there.
    await h.visitorSays(conversationId, userId, 'image', { imageUrl: 'https://x/a.png', title: 'receipt' } as never)
    await h.visitorSays(conversationId, userId, 'audio', { audioUrl: 'https://x/a.mp3' })
    await h.visitorSays(conversationId, userId, 'video', { videoUrl: 'https://x/a.mp4' })
    await h.visitorSays(conversationId, userId, 'file', { fileUrl: 'https://x/a.pdf', title: 'invoice.pdf' })
    await h.visitorSays(conversationId, userId, 'bloc', {
      items: [
        { type: 'text', payload: { text: 'Here it is' } },
        { type: 'location', payload: { latitude: 45.5, longitude: -73.6, title: 'Home' } },
      ],
    })
    expect(h.hop.chats.get(chatId)!.messages.map((m) => m.text)).toEqual([
      '[Image] receipt https://x/a.png',
      '[Audio] https://x/a.mp3',
      '[Video] https://x/a.mp4',
      '[File] invoice.pdf https://x/a.pdf',
      'Here it is\n[Location] Home https://maps.google.com/?q=45.5,-73.6',
    ])
  })

  it('ends the hand-off when the customer types a cancel phrase while waiting, and hands back to the bot', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff({
      hitlSession: { upstreamConversationId: 'conv_bot_9' },
    })
    await h.event(chatId, 'chat.queued', { position: 4 })
    await h.visitorSays(conversationId, userId, 'text', { text: 'never mind' })

    expect(h.hop.chats.get(chatId)).toMatchObject({ state: 'ended', messages: [] })
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor' })
    // Nothing posted into the hand-off before an agent: the plugin would take the sender for the agent.
    expect(h.texts(conversationId).filter((line) => line.startsWith('Live Agent:'))).toEqual([])
    expect(h.store.eventsOf('hitlStopped').at(-1)?.payload).toEqual({ conversationId })
    expect(h.store.eventsOf('handoffEnded').at(-1)?.payload).toEqual({
      hitlConversationId: conversationId,
      upstreamConversationId: 'conv_bot_9',
      reason: 'visitor',
    })
  })

  it('passes a cancel phrase on to the agent once the agent is there', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    await h.visitorSays(conversationId, userId, 'text', { text: 'cancel' })
    expect(h.hop.chats.get(chatId)).toMatchObject({ state: 'connecting', messages: [{ text: 'cancel' }] })
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'agent' })
  })

  it('refuses a message after the chat ended, sending nothing', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'chat.ended', { reason: 'no_agent' })
    await expect(h.visitorSays(conversationId, userId, 'text', { text: 'hello?' })).rejects.toThrow(
      'The chat with the agent has ended; the message was not delivered.'
    )
    expect(h.hop.chats.get(chatId)!.messages).toEqual([])
  })

  it('refuses a message when the hop server already ended the chat', async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    h.hop.chats.get(chatId)!.state = 'ended'
    await expect(h.visitorSays(conversationId, userId, 'text', { text: 'hello?' })).rejects.toThrow(
      'The chat with the agent has ended; the message was not delivered.'
    )
  })

  it('refuses a message in a conversation that is not a hand-off, and a message with nothing to read', async () => {
    const { conversation } = h.store.createConversation({ channel: 'hitl' })
    const { user } = h.store.createUser({ name: 'Ada' })
    await expect(h.visitorSays(conversation.id, user.id, 'text', { text: 'hi' })).rejects.toThrow(
      `Conversation ${conversation.id} is not a Live Agent hand-off; the message was not sent.`
    )
    const { conversationId, userId } = await h.startHandoff()
    await expect(h.visitorSays(conversationId, userId, 'bloc', { items: [] })).rejects.toThrow(
      'The bloc message has nothing an agent can read; it was not sent.'
    )
  })

  it('uses the configured waiting notices, and sends nothing for an empty one', async () => {
    h.configure({
      waitingNotices: true,
      messages: [{ locale: 'en', stillConnecting: '', queuePosition: 'Place {position}, {name}!' }],
    })
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'chat.queued', { position: 2 })
    await h.visitorSays(conversationId, userId, 'text', { text: 'Hello?' })
    expect(h.texts(conversationId)).toEqual(['Live Agent: Place 2, {name}!', 'Ada: Hello?'])
  })

  it("keeps the HITL plugin's own texts (no payload.userId) away from the agent, and logs them", async () => {
    const { conversationId, chatId, userId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    await h.pluginSays(conversationId, '( The user has ended the session. )')
    await h.visitorSays(conversationId, userId, 'text', { text: 'my own words' })
    expect(h.hop.chats.get(chatId)!.messages).toEqual([{ messageId: expect.any(String), text: 'my own words' }])
    expect(h.logger.entries).toContainEqual({
      level: 'info',
      forBot: true,
      message:
        'Not sent to the agent (a HITL plugin notice, not the customer\'s words): "( The user has ended the session. )"',
    })
  })
})
