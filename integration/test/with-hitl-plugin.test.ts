// The integration driven by a double of Botpress's HITL plugin at its default configuration
// (test/support/hitl-plugin-double.ts, written from the plugin's specification). Each test is one rule the
// integration must keep so that what the customer reads is true, said once, and the agent reads only the customer.
import type { CreateChatRequest } from '../src/hop-contract.js'
import { type DirectHarness, ANDY, BEA, useDirectHarness } from './support/harness.js'
import { HitlPluginDouble, PLUGIN_DEFAULT_TEXTS as PLUGIN } from './support/hitl-plugin-double.js'

describe('with the HITL plugin at its defaults', () => {
  let h: DirectHarness
  let plugin: HitlPluginDouble
  useDirectHarness((started) => (h = started))
  beforeEach(() => {
    h.configure({})
    h.hop.clearFailures()
    plugin = new HitlPluginDouble(h)
  })

  const requestOf = (session: { downstreamConversationId: string | null }) =>
    h.hop.chatOf(session.downstreamConversationId!).request as CreateChatRequest

  /** A customer asked for a human after a short conversation; the plugin started the hand-off. */
  const handedOff = async (name = 'Ada', options: { namesBotConversation?: boolean } = {}) => {
    const session = plugin.openConversation(name)
    await plugin.customerSays(session, 'Where is my parcel?')
    plugin.botSays(session, 'text', { text: 'Let me check.' })
    await plugin.customerSays(session, 'talk to a human')
    await plugin.startHitl(
      session,
      // The Start HITL card's "Bot conversation id" set to {{event.conversationId}}, as hub.md suggests.
      options.namesBotConversation ? { hitlSession: { upstreamConversationId: session.conversationId } } : {}
    )
    const chatId = h.hop.chatOf(session.downstreamConversationId!).chatId
    const event = async (type: string, data: Record<string, unknown>) => {
      await h.event(chatId, type, data)
      await plugin.deliver()
    }
    return { session, chatId, event }
  }

  it('a history with markdown and a markdown bloc starts the hand-off, and the agent reads them as plain text', async () => {
    const session = plugin.openConversation('Ada')
    await plugin.customerSays(session, 'How long is delivery?')
    plugin.botSays(session, 'markdown', {
      markdown: '**Delivery** takes _2 days_, see [terms](https://acme.example/t).',
    })
    plugin.botSays(session, 'bloc', {
      items: [
        { type: 'markdown', payload: { markdown: '## Options' } },
        { type: 'text', payload: { text: 'Express or standard' } },
      ],
    })
    await plugin.customerSays(session, 'talk to a human')
    await plugin.startHitl(session)

    expect(plugin.isActive(session)).toBe(true)
    const transcript = requestOf(session).transcript.map((line) => `${line.role}: ${line.text}`)
    expect(transcript).toEqual([
      'visitor: How long is delivery?',
      'bot: Delivery takes 2 days, see terms (https://acme.example/t).',
      'bot: Options\nExpress or standard',
      'visitor: talk to a human',
      `bot: ${PLUGIN.onHitlHandoffMessage}`,
    ])
  })

  it('never tells the customer an agent joined while the chat is queued', async () => {
    const { session, event } = await handedOff()
    await event('chat.queued', { position: 2, estimatedWaitTime: 120 })
    await event('chat.queued', { position: 1 })
    await plugin.customerSays(session, 'Hello?')
    await plugin.deliver()
    expect(plugin.customerReads(session)).toEqual(['Let me check.', PLUGIN.onHitlHandoffMessage])
  })

  it('announces each agent exactly once, a transferred-to agent once more', async () => {
    const { session, event } = await handedOff()
    await event('chat.queued', { position: 1 })
    await event('agent.joined', { agent: ANDY })
    await event('agent.message', { text: "Hi, I'm Andy", agent: ANDY })
    await event('chat.transferred', { agent: BEA })
    await event('agent.message', { text: 'Bea here', agent: BEA })
    expect(plugin.customerReads(session).slice(2)).toEqual([
      PLUGIN.onHumanAgentAssignedMessage,
      "Hi, I'm Andy",
      PLUGIN.onHumanAgentAssignedMessage,
      'Bea here',
    ])
  })

  it("carries messages both ways: the customer's to the agent, the agent's to the customer", async () => {
    const { session, chatId, event } = await handedOff()
    await event('agent.joined', { agent: ANDY })
    await plugin.customerSays(session, 'My order is 42')
    await event('agent.message', { text: 'Found it', agent: ANDY })
    expect(h.hop.chats.get(chatId)!.messages.map((m: { text: string }) => m.text)).toEqual(['My order is 42'])
    expect(plugin.customerReads(session).at(-1)).toBe('Found it')
  })

  it('tells the customer exactly once that the agent ended the chat, and hands back', async () => {
    const { session, event } = await handedOff()
    await event('agent.joined', { agent: ANDY })
    await event('chat.ended', { reason: 'agent' })
    expect(plugin.customerReads(session).slice(2)).toEqual([
      PLUGIN.onHumanAgentAssignedMessage,
      PLUGIN.onHitlStoppedMessage,
    ])
    expect(plugin.isActive(session)).toBe(false)
  })

  it('lets the agent-assigned timeout end a hand-off nobody accepted', async () => {
    const { session, chatId, event } = await handedOff()
    await event('chat.queued', { position: 3 })
    await plugin.customerSays(session, 'Anyone?')
    await plugin.deliver()
    await expect(plugin.assignedTimeout(session)).resolves.toBe('timed_out')
    expect(plugin.customerReads(session).at(-1)).toBe(PLUGIN.onAgentAssignedTimeoutMessage)
    expect(h.hop.chats.get(chatId)!.state).toBe('ended')
  })

  it("/end while queued ends the Live Agent chat, and the plugin's text for the agent is not sent as the customer's", async () => {
    const { session, chatId, event } = await handedOff()
    await event('chat.queued', { position: 1 })
    await expect(plugin.customerSays(session, '/end')).resolves.toBe('closed')
    await plugin.deliver()
    expect(h.hop.chats.get(chatId)!.state).toBe('ended')
    expect(h.hop.chats.get(chatId)!.messages).toEqual([])
    expect(plugin.customerReads(session).slice(2)).toEqual([PLUGIN.onUserHitlCloseMessage])
  })

  it("/end with an agent ends the chat for the agent, with nothing sent in the customer's name", async () => {
    const { session, chatId, event } = await handedOff()
    await event('agent.joined', { agent: ANDY })
    await plugin.customerSays(session, 'thanks, bye')
    await plugin.customerSays(session, '/END ')
    await plugin.deliver()
    expect(h.hop.chats.get(chatId)!.messages.map((m: { text: string }) => m.text)).toEqual(['thanks, bye'])
    expect(h.hop.chats.get(chatId)!.state).toBe('ended')
    expect(plugin.customerReads(session).slice(2)).toEqual([
      PLUGIN.onHumanAgentAssignedMessage,
      PLUGIN.onUserHitlCloseMessage,
    ])
  })

  it('/end still hands the customer back when the hop server is down, and the chat is ended once it answers', async () => {
    const { session, chatId, event } = await handedOff()
    await event('agent.joined', { agent: ANDY })
    h.hop.failNext(503, 'restarting', 1, '/end')
    await expect(plugin.customerSays(session, '/end')).resolves.toBe('closed')
    expect(plugin.customerReads(session).at(-1)).toBe(PLUGIN.onUserHitlCloseMessage)
    expect(h.hop.chats.get(chatId)!.state).not.toBe('ended')
    const other = await handedOff('Grace')
    await other.event('chat.queued', { position: 1 })
    expect(h.hop.chats.get(chatId)!.state).toBe('ended')
  })

  it("never shows the agent the plugin's made-up no-reply email as the customer's", async () => {
    const { session } = await handedOff('Ada')
    const request = requestOf(session)
    expect(JSON.stringify(request)).not.toContain('no-reply')
    expect(request.prechatDetails.map((d) => d.label)).not.toContain('Email')
  })

  it('tells the wait only when the bot builder opts in, and then NULL keeps the plugin from a false "joined"', async () => {
    // With the plugin's defaults, the first waiting notice makes the notice's sender the agent: the hazard hub.md
    // describes, and the reason the option is off by default.
    h.configure({ waitingNotices: true })
    const hazard = await handedOff('Ada')
    await hazard.event('chat.queued', { position: 2 })
    expect(plugin.customerReads(hazard.session).slice(2)).toEqual([
      PLUGIN.onHumanAgentAssignedMessage,
      'You are number 2 in the queue.',
    ])
    await expect(plugin.assignedTimeout(hazard.session)).resolves.toBe('ignored')

    // The documented setting: "On human agent assigned message" = NULL.
    plugin = new HitlPluginDouble(h, { onHumanAgentAssignedMessage: 'NULL' })
    const { session, event } = await handedOff('Grace')
    await event('chat.queued', { position: 2, estimatedWaitTime: 60 })
    await event('chat.queued', { position: 1 })
    await event('agent.joined', { agent: ANDY })
    await event('agent.message', { text: 'Hello Grace', agent: ANDY })
    expect(plugin.customerReads(session).slice(2)).toEqual([
      'You are number 2 in the queue. Estimated wait: about 1 min.',
      'You are number 1 in the queue.',
      'Hello Grace',
    ])
  })

  it("names a customer the plugin calls 'Unknown User' neutrally for the agent", async () => {
    const session = plugin.openConversation(undefined as unknown as string)
    await plugin.customerSays(session, 'talk to a human')
    await plugin.startHitl(session)
    expect(requestOf(session).visitor.name).toBe('Visitor')
  })

  it('keeps a real email the customer gave', async () => {
    const session = plugin.openConversation('Ada', { email: 'ada@example.com' })
    await plugin.customerSays(session, 'talk to a human')
    await plugin.startHitl(session)
    const request = requestOf(session)
    expect(request.prechatDetails).toContainEqual(expect.objectContaining({ label: 'Email', value: 'ada@example.com' }))
  })

  it('gives each transcript line the time its message was sent when it knows the bot conversation, else none', async () => {
    const { session } = await handedOff('Ada', { namesBotConversation: true })
    const sentAt = h.store.messages.filter((m) => m.conversationId === session.conversationId).map((m) => m.createdAt)
    expect(requestOf(session).transcript.map((line) => line.at)).toEqual(sentAt)
    expect(new Set(sentAt).size).toBe(sentAt.length)

    const unnamed = await handedOff('Grace')
    expect(requestOf(unnamed.session).transcript.map((line) => line.at)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it("tells the agent which lines a previous agent wrote (the plugin relays them with the agent's user)", async () => {
    const { session, event } = await handedOff('Ada', { namesBotConversation: true })
    await event('agent.joined', { agent: ANDY })
    await event('agent.message', { text: 'Your parcel left today', agent: ANDY })
    await event('chat.ended', { reason: 'agent' })
    // The plugin's webchat relay carries the agent's webchat user (webchat.ts:35-93); set it as it would.
    const relayed = h.store.messages.find(
      (m) => m.conversationId === session.conversationId && m.payload.text === 'Your parcel left today'
    )!
    relayed.payload = { ...relayed.payload, userId: 'user_webchat_twin_of_andy' }
    await plugin.customerSays(session, 'talk to a human again')
    await plugin.startHitl(session)
    const lines = requestOf(session).transcript.map((line) => `${line.role}: ${line.text}`)
    expect(lines).toContain('agent: Your parcel left today')
    expect(lines).toContain('visitor: Where is my parcel?')
    expect(lines).toContain('bot: Let me check.')
  })
})
