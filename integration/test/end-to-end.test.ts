// The whole path with the real parts: the integration behind the SDK's dispatcher and a fake Botpress, the real
// hop server (SQLite in a temp dir) and the mock Live Agent, whose admin API plays the agent.
import { customerSays, eventually, startHitlFor, transcriptOf, useEndToEnd } from './support/hop-stack.js'

describe('end to end: integration → real hop server → mock Live Agent → back', () => {
  const e2e = useEndToEnd('live-agent')

  const store = () => e2e.bp.botpress.store
  const texts = (conversationId: string) => transcriptOf(e2e.bp, conversationId)

  const startHandoff = async (name: string) => {
    const { userId, conversationId } = await startHitlFor(e2e.bp, name)
    const liveAgentChat = await e2e.mock.admin.waitForChat(
      (chat) => chat.state !== 'ended' && chat.visitorName === name
    )
    return { userId, conversationId, liveAgentChat }
  }

  it('registers against the hop server and Live Agent', async () => {
    await expect(e2e.bp.botpress.register(e2e.bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
  })

  it('hands a conversation to an agent and back, with messages both ways and the outcome stored', async () => {
    const { userId, conversationId, liveAgentChat } = await startHandoff('Ada')

    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')
    const early = await customerSays(e2e.bp, { conversationId, userId }, 'Hello?')
    expect(early.status).toBe(200)

    e2e.mock.admin.accept(liveAgentChat.id, { agentName: 'Andy' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    await eventually(
      () => e2e.mock.admin.chat(liveAgentChat.id)!.transcript.some((entry) => entry.text === 'Hello?'),
      'the early message to reach the agent'
    )
    const visitorLines = e2e.mock.admin
      .chat(liveAgentChat.id)!
      .transcript.filter((entry) => entry.from === 'visitor')
      .map((entry) => entry.text)
    expect(visitorLines[0]).toContain('Where is my order?')

    e2e.mock.admin.agentMessage(liveAgentChat.id, 'Hi Ada, Andy here')
    await eventually(() => texts(conversationId).includes('Andy: Hi Ada, Andy here'), 'the agent message')
    await customerSays(e2e.bp, { conversationId, userId }, 'Order 42')
    await eventually(
      () => e2e.mock.admin.chat(liveAgentChat.id)!.transcript.some((entry) => entry.text === 'Order 42'),
      'the visitor message to reach the agent'
    )

    e2e.mock.admin.endChat(liveAgentChat.id, 'agent')
    // The effects (hitlStopped…) come before the state is saved: wait for the saved state.
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({
      endReason: 'agent',
      agentName: 'Andy',
    })
    expect(
      store()
        .eventsOf('hitlStopped')
        .map((e) => e.payload)
    ).toEqual([{ conversationId }])
    // Only the two sides' words: the HITL plugin tells the customer about the hand-off itself.
    expect(texts(conversationId)).toEqual(['Ada: Hello?', 'Andy: Hi Ada, Andy here', 'Ada: Order 42'])
  })

  it('stops a hand-off from the bot and takes the hop server confirmation quietly', async () => {
    const { conversationId, liveAgentChat } = await startHandoff('Grace')
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')
    const stop = await e2e.bp.botpress.callAction('stopHitl', { conversationId })
    expect(stop.status).toBe(200)
    await eventually(() => e2e.mock.admin.chat(liveAgentChat.id)!.state === 'ended', 'Live Agent to end the chat')
    const state = await eventually(() => {
      const s = store().conversationState(conversationId, 'handoff') as { lastSeq: number; status: string } | undefined
      return s && s.lastSeq >= 2 ? s : undefined
    }, 'the chat.ended confirmation')
    expect(state).toMatchObject({ status: 'ended', endReason: 'visitor' })
    expect(
      store()
        .eventsOf('hitlStopped')
        .filter((e) => e.payload.conversationId === conversationId)
    ).toEqual([])
  })
})
