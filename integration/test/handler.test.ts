import { type DirectHarness, ANDY, BEA, useDirectHarness } from './support/harness.js'
import { signedHeaders } from './support/fake-hop-server.js'
import { TEST_SECRET, TEST_TENANT } from './support/fakes.js'

describe('the webhook handler, with an in-memory Botpress client', () => {
  let h: DirectHarness
  useDirectHarness((started) => (h = started))
  beforeEach(() => h.configure({}))

  describe('refusals', () => {
    const body = JSON.stringify({
      chatId: 'c',
      conversationId: 'x',
      seq: 1,
      type: 'chat.queued',
      at: 'now',
      data: { position: 1 },
    })

    it.each([
      ['a wrong secret', () => signedHeaders(TEST_TENANT, 'wrong-secret-0123456789', body), 'signature does not match'],
      ['another tenant', () => signedHeaders('someone-else', TEST_SECRET, body), 'unknown tenant'],
      ['no signature', () => ({}), 'missing x-hop-tenant header'],
      [
        'a stale timestamp',
        () => signedHeaders(TEST_TENANT, TEST_SECRET, body, Date.now() - 6 * 60 * 1000),
        'timestamp outside the allowed window',
      ],
    ])('answers 401 for %s', async (_what, headers, message) => {
      const calls = h.store.calls.length
      await expect(h.webhook(body, headers())).resolves.toEqual({
        status: 401,
        body: { statusCode: 401, error: 'Unauthorized', message },
      })
      expect(h.store.calls.length).toBe(calls)
      expect(h.logger.entries.at(-1)).toMatchObject({ level: 'warn', forBot: true })
    })

    it('answers 400 for a body that is not JSON or not an event', async () => {
      await expect(h.webhook('not json')).resolves.toMatchObject({
        status: 400,
        body: { message: 'the body is not JSON' },
      })
      await expect(h.webhook('{"hello":1}')).resolves.toMatchObject({
        status: 400,
        body: { message: expect.stringContaining('not a hop event: chatId') },
      })
    })

    it('answers 2xx to a known type whose data breaks its schema (a retry cannot fix it) and logs it for the bot builder', async () => {
      const badQueued = JSON.stringify({
        chatId: 'c',
        conversationId: 'x',
        seq: 1,
        type: 'chat.queued',
        at: 'now',
        data: {},
      })
      const calls = h.store.calls.length
      await expect(h.webhook(badQueued)).resolves.toEqual({ status: 200, body: { outcome: 'invalid_event' } })
      expect(h.store.calls.length).toBe(calls)
      expect(h.logger.entries.at(-1)).toEqual({
        level: 'error',
        forBot: true,
        message: 'Ignored chat.queued #1 of chat c: its data is not valid (data.position: Required).',
      })
    })

    it('answers 2xx, changing nothing, for an unknown type or an unknown conversation', async () => {
      const unknownType = JSON.stringify({
        chatId: 'c',
        conversationId: 'x',
        seq: 1,
        type: 'agent.sneezed',
        at: 'now',
        data: {},
      })
      await expect(h.webhook(unknownType)).resolves.toEqual({ status: 200, body: { outcome: 'ignored_type' } })
      await expect(h.webhook(body)).resolves.toEqual({ status: 200, body: { outcome: 'unknown_conversation' } })
      expect(h.logger.entries.at(-1)).toMatchObject({
        level: 'info',
        forBot: true,
        message: expect.stringContaining('Ignored'),
      })
    })
  })

  it('plays a whole hand-off: queue, agent, messages, transfer, end, posting only the agents into it', async () => {
    const { conversationId, chatId } = await h.startHandoff({
      hitlSession: { upstreamConversationId: 'conv_bot_full' },
    })

    await expect(h.event(chatId, 'chat.queued', { position: 2, estimatedWaitTime: 60 })).resolves.toEqual({
      status: 200,
      body: { outcome: 'applied' },
    })
    await h.event(chatId, 'chat.queued', { position: 1 })
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    await h.event(chatId, 'agent.typing', { typing: true })
    await h.event(chatId, 'agent.message', { text: "Hi, I'm Andy", agent: ANDY })
    await h.event(chatId, 'chat.transferred', { agent: BEA })
    await h.event(chatId, 'agent.message', { text: 'Bea here', agent: BEA })
    await h.event(chatId, 'chat.ended', { reason: 'agent' })

    // The HITL plugin announces the agents (hitlAssigned) and the end (hitlStopped): nothing of ours in between.
    expect(h.texts(conversationId)).toEqual(["Andy: Hi, I'm Andy", 'Bea: Bea here'])
    const andy = [...h.store.users.values()].find((u) => u.name === 'Andy')!
    const bea = [...h.store.users.values()].find((u) => u.name === 'Bea')!
    expect(andy.tags).toEqual({ role: 'agent', agentId: ANDY.id })
    expect(
      h.store
        .eventsOf('hitlAssigned')
        .slice(-2)
        .map((e) => e.payload)
    ).toEqual([
      { conversationId, userId: andy.id },
      { conversationId, userId: bea.id },
    ])
    expect(h.store.eventsOf('hitlStopped').at(-1)?.payload).toEqual({ conversationId })
    expect(h.store.eventsOf('handoffEnded').at(-1)?.payload).toEqual({
      hitlConversationId: conversationId,
      upstreamConversationId: 'conv_bot_full',
      reason: 'agent',
    })
    expect(h.store.getConversation({ id: conversationId }).conversation.tags.endReason).toBe('agent')
    expect(h.handoffState(conversationId)).toMatchObject({
      status: 'ended',
      endReason: 'agent',
      agentName: 'Bea',
      lastSeq: 8,
    })
  })

  it('applies each seq once: a redelivery creates nothing and answers 2xx', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    await h.event(chatId, 'agent.message', { text: 'only once', agent: ANDY })
    const before = h.texts(conversationId)
    const assigned = h.store.eventsOf('hitlAssigned').length

    await expect(h.event(chatId, 'agent.message', { text: 'only once', agent: ANDY }, 2)).resolves.toEqual({
      status: 200,
      body: { outcome: 'duplicate' },
    })
    await expect(h.event(chatId, 'agent.joined', { agent: ANDY }, 1)).resolves.toEqual({
      status: 200,
      body: { outcome: 'duplicate' },
    })
    expect(h.texts(conversationId)).toEqual(before)
    expect(h.store.eventsOf('hitlAssigned').length).toBe(assigned)
  })

  it('does not lose or double an event whose save failed: the redelivery completes it', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    h.store.failNext('patchState')
    await expect(h.event(chatId, 'agent.message', { text: 'are you there?', agent: ANDY })).rejects.toMatchObject({
      code: 500,
    })
    await expect(h.event(chatId, 'agent.message', { text: 'are you there?', agent: ANDY }, 2)).resolves.toEqual({
      status: 200,
      body: { outcome: 'applied' },
    })
    expect(h.texts(conversationId).filter((t) => t === 'Andy: are you there?')).toHaveLength(1)
    expect(h.handoffState(conversationId)).toMatchObject({ lastSeq: 2 })
  })

  it('announces an agent once when the save failed after hitlAssigned went out and the event comes again', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    const assigned = () => h.store.eventsOf('hitlAssigned').filter((e) => e.payload.conversationId === conversationId)
    h.store.failNext('patchState')
    await expect(h.event(chatId, 'agent.joined', { agent: ANDY })).rejects.toMatchObject({ code: 500 })
    expect(assigned()).toHaveLength(1)
    await expect(h.event(chatId, 'agent.joined', { agent: ANDY }, 1)).resolves.toEqual({
      status: 200,
      body: { outcome: 'applied' },
    })
    expect(assigned()).toHaveLength(1)
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'agent', lastSeq: 1 })
    // A transfer is another event: it announces the new agent.
    await h.event(chatId, 'chat.transferred', { agent: BEA })
    expect(assigned()).toHaveLength(2)
  })

  it('rejects an impossible transition, logs it for the bot builder and answers 2xx', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    await h.event(chatId, 'chat.queued', { position: 3 })
    const before = h.texts(conversationId)
    await expect(h.event(chatId, 'agent.message', { text: 'too early', agent: ANDY })).resolves.toEqual({
      status: 200,
      body: { outcome: 'rejected' },
    })
    expect(h.texts(conversationId)).toEqual(before)
    expect(h.logger.entries.at(-1)).toMatchObject({
      level: 'warn',
      forBot: true,
      message: `Rejected agent.message #2 of chat ${chatId}: not possible while the hand-off is queued.`,
    })
  })

  it.each([
    ['no_agent', 'queued'],
    ['timeout', 'queued'],
    ['error', 'agent'],
    ['timeout', 'agent'],
  ])('stores why the chat ended (%s while %s), posts no notice of its own and hands back', async (reason, status) => {
    const { conversationId, chatId } = await h.startHandoff()
    await h.event(chatId, 'chat.queued', { position: 1 })
    if (status === 'agent') await h.event(chatId, 'agent.joined', { agent: ANDY })
    await h.event(chatId, 'chat.ended', { reason, detail: 'from the hop server' })
    expect(h.texts(conversationId)).toEqual([])
    expect(h.handoffState(conversationId)).toMatchObject({
      status: 'ended',
      endReason: reason,
      endDetail: 'from the hop server',
    })
    expect(h.store.eventsOf('hitlStopped').at(-1)?.payload).toEqual({ conversationId })
    expect(h.store.eventsOf('handoffEnded').at(-1)?.payload).toMatchObject({ reason, detail: 'from the hop server' })
  })

  it('ends the chat as an error, answering 2xx, when the end reason is one this version does not know', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    await expect(h.event(chatId, 'chat.ended', { reason: 'supervisor_closed' })).resolves.toEqual({
      status: 200,
      body: { outcome: 'applied' },
    })
    expect(h.handoffState(conversationId)).toMatchObject({
      status: 'ended',
      endReason: 'error',
      endDetail: 'unknown end reason: supervisor_closed',
    })
    expect(h.store.eventsOf('hitlStopped').at(-1)?.payload).toEqual({ conversationId })
    expect(
      h.logger.entries.some((e) => e.forBot && e.level === 'warn' && e.message.includes('supervisor_closed'))
    ).toBe(true)
  })

  it('tells the wait only when configured: queue position, estimated wait, in the hand-off locale', async () => {
    h.configure({ waitingNotices: true })
    const { conversationId, chatId } = await h.startHandoff({ hitlSession: { locale: 'es' } })
    await h.event(chatId, 'chat.queued', { position: 3 })
    await h.event(chatId, 'chat.queued', { position: 2, estimatedWaitTime: 150 })
    await h.event(chatId, 'agent.joined', { agent: ANDY })
    expect(h.texts(conversationId)).toEqual([
      'Live Agent: Estás en la posición 3 de la cola.',
      'Live Agent: Estás en la posición 2 de la cola. Espera estimada: unos 3 min.',
    ])
  })

  it('takes the hop server confirmation of an end it was asked for quietly', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    await h.stopHitl(conversationId)
    const events = h.store.events.length
    await expect(h.event(chatId, 'chat.ended', { reason: 'visitor' })).resolves.toEqual({
      status: 200,
      body: { outcome: 'applied' },
    })
    expect(h.store.events.length).toBe(events)
    expect(h.handoffState(conversationId)).toMatchObject({ status: 'ended', endReason: 'visitor', lastSeq: 1 })
  })

  it('answers 2xx and tells the bot builder when the stored state is damaged', async () => {
    const { conversationId, chatId } = await h.startHandoff()
    h.store.patchState({
      type: 'conversation',
      id: conversationId,
      name: 'handoff',
      payload: { lifecycle: { value: 'lost' } },
    })
    await expect(h.event(chatId, 'chat.queued', { position: 1 })).resolves.toEqual({
      status: 200,
      body: { outcome: 'corrupt_state' },
    })
    expect(h.logger.entries.at(-1)).toMatchObject({ level: 'error', forBot: true })
  })
})
