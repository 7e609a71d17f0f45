// The whole path on Enhanced Chat: the integration configured for enhanced-chat behind the SDK's dispatcher and a
// fake Botpress, the real hop server (SQLite in a temp dir) and the Enhanced Chat simulator, whose admin API plays
// the agent. The pre-chat fields mapped in the configuration reach Salesforce as routing attributes.
import { customerSays, eventually, startHitlFor, transcriptOf, useEndToEnd } from './support/hop-stack.js'

describe('end to end on Enhanced Chat: integration → real hop server → simulator → back', () => {
  const e2e = useEndToEnd('enhanced-chat', {
    prechatFields: [
      { userField: 'firstName', prechatField: '_firstName' },
      { userField: 'lastName', prechatField: '_lastName' },
      { userField: 'subject', prechatField: '_subject' },
    ],
  })

  const store = () => e2e.bp.botpress.store
  const texts = (conversationId: string) => transcriptOf(e2e.bp, conversationId)
  const visitorLines = (id: string) =>
    (e2e.mock.enhanced.conversation(id)?.transcript ?? []).filter((line) => line.from === 'visitor').map((l) => l.text)

  it('saves an Enhanced Chat configuration whose deployment the simulator knows', async () => {
    await expect(e2e.bp.botpress.register(e2e.bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
  })

  it('hands a conversation to an agent and back, with the pre-chat fields, the transcript and messages both ways', async () => {
    const { userId, conversationId } = await startHitlFor(e2e.bp, 'Ada Lovelace')
    const view = await e2e.mock.enhanced.waitFor((c) => c.visitorName === 'Ada Lovelace' && c.state !== 'ended')
    expect(view.routingAttributes).toEqual({ _firstName: 'Ada', _lastName: 'Lovelace', _subject: 'Late parcel' })
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'queued', 'the queue')

    e2e.mock.enhanced.accept(view.id, { agentName: 'Jane Agent' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    // The transcript reaches the agent as one summary message, as the customer's (nothing else is possible).
    await eventually(() => visitorLines(view.id).length >= 1, 'the transcript')
    expect(visitorLines(view.id)[0]).toContain('Where is my order?')

    e2e.mock.enhanced.agentMessage(view.id, 'Hi Ada, Jane here')
    await eventually(() => texts(conversationId).includes('Jane Agent: Hi Ada, Jane here'), 'the agent message')
    await customerSays(e2e.bp, { conversationId, userId }, 'Order 42')
    await eventually(() => visitorLines(view.id).includes('Order 42'), 'the visitor message to reach the agent')

    e2e.mock.enhanced.endChat(view.id)
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({ endReason: 'agent' })
    expect(texts(conversationId)).toEqual(['Jane Agent: Hi Ada, Jane here', 'Ada Lovelace: Order 42'])
    expect(visitorLines(view.id).filter((line) => line === 'Order 42')).toHaveLength(1)
  })
})
