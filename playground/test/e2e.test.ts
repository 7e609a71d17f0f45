// The whole product on one machine, driven like a person would: a customer in the chat page, an agent in the mock's
// agent console, both in headless Chromium. Everything between them is real: the demo bot and local Botpress, the
// integration behind the SDK's dispatcher (own process), the hop server with SQLite, the mock Live Agent.
import { describe, expect, it } from '@jest/globals'
import { E2E_TIMEOUT_MS, useBrowserPlayground } from './support/browser-playground.js'
import { ARTIFACTS_DIR, ChatPage, screenshot, sideBySide } from './support/pages.js'
import { mockChats } from './support/playground.js'
/** Set to a path (e.g. docs/playground.png) to also write the README's side-by-side picture there. */
const DOCS_SCREENSHOT = process.env.PLAYGROUND_DOCS_SCREENSHOT

describe('playground, manual scenario: a person answers in the agent console', () => {
  const e2e = useBrowserPlayground('manual')

  it(
    'hands a French conversation to the agent and back: notices, typing, messages both ways, the bot answers again',
    async () => {
      const chat = await ChatPage.open(e2e.browser, e2e.playground.urls.chat)
      await chat.ask('What are your opening hours?', 'bot', 'Monday to Friday')

      // A trigger phrase in French: the integration's matchTrigger says so, the plugin's texts come in French.
      await chat.askForAgent(
        'Bonjour, je voudrais parler à un conseiller svp',
        "J'ai transmis la conversation à un conseiller."
      )
      expect(await chat.page.locator('#input').getAttribute('placeholder')).toBe('Écrivez en attendant…')
      expect(await chat.statusText()).toBe('Waiting for an agent…')
      await screenshot(chat.page, 'round-trip-1-waiting')

      // The agent picks the chat up in the console; the bot conversation reached them as a summary.
      const visitor = await chat.visitorName()
      await e2e.agent.accept(visitor)
      await e2e.agent.transcript('visitor', 'What are your opening hours?').waitFor()
      await chat.message('notice', 'Un conseiller a rejoint la conversation.').waitFor()
      await chat.waitForMode('agent')
      expect(await chat.statusText()).toBe('Alex Rivera · live agent')

      // Typing, then a message, from the agent; a reply from the customer.
      await e2e.agent.type('Bonjour, je suis Alex')
      await chat.typingIndicator().waitFor()
      expect(await chat.page.locator('#typing-label').innerText()).toBe('Alex Rivera is typing…')
      await screenshot(chat.page, 'round-trip-2-agent-typing')
      await e2e.agent.send('Bonjour, je suis Alex. Comment puis-je vous aider ?')
      await chat.message('agent', 'Comment puis-je vous aider ?').waitFor()
      await chat
        .typingIndicator()
        .waitFor({ state: 'detached' })
        .catch(() => undefined)
      await chat.page.locator('#typing[hidden]').waitFor({ state: 'attached' })
      expect(await chat.page.locator('.row[data-role="agent"] .author').first().innerText()).toBe('Alex Rivera')
      await chat.send('Où est ma commande 1042 ?')
      await e2e.agent.transcript('visitor', 'Où est ma commande 1042 ?').waitFor()
      // The bot stays silent while the agent has the conversation.
      await e2e.playground.idle()
      expect(await chat.page.locator('.row[data-role="bot"]').count()).toBe(2)
      await e2e.agent.send('Elle arrive demain.')
      await chat.message('agent', 'Elle arrive demain.').waitFor()
      await screenshot(chat.page, 'round-trip-3-with-agent')
      await screenshot(e2e.agent.page, 'round-trip-3-console')
      await sideBySide(e2e.browser, chat.page, e2e.agent.page, `${ARTIFACTS_DIR}playground-side-by-side.png`)
      if (DOCS_SCREENSHOT) await sideBySide(e2e.browser, chat.page, e2e.agent.page, DOCS_SCREENSHOT, { width: 1500 })

      // The agent ends the chat: the bot takes over, says what happened (the one notice of the end), answers again.
      await e2e.agent.end()
      await chat.message('bot', "Merci d'avoir échangé avec Alex Rivera").waitFor()
      await chat.waitForMode('bot')
      await chat.ask('How long does delivery take?', 'bot', 'Standard delivery takes 2 to 4 business days')
      await screenshot(chat.page, 'round-trip-4-bot-again')

      const chats = await mockChats(e2e.playground)
      expect(chats.find((c) => c.visitorName === visitor)).toMatchObject({ state: 'ended', endReason: 'agent' })
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )

  it(
    'cancels while queued with a cancel phrase: the request ends on the Live Agent side and the bot carries on',
    async () => {
      const chat = await ChatPage.open(e2e.browser, e2e.playground.urls.chat)
      await chat.askForAgent('I want to talk to a human', 'I have escalated this conversation to a human agent.')
      const visitor = await chat.visitorName()
      expect(visitor).toMatch(/^Visitor \d+$/)
      await e2e.agent.page.locator('#list-waiting .chat-item', { hasText: visitor }).waitFor()
      await screenshot(chat.page, 'cancel-1-queued')

      await chat.ask('cancel', 'bot', 'No problem, I am still here.')
      await chat.waitForMode('bot')
      await e2e.agent.page.locator('#list-ended .chat-item', { hasText: visitor }).waitFor()
      // The visitor's side ended it: ChatEnd, or deleting the session before an agent joined.
      const ended = (await mockChats(e2e.playground)).find((c) => c.visitorName === visitor)
      expect(ended?.state).toBe('ended')
      expect(['client', 'deleted']).toContain(ended?.endReason)

      await chat.ask('Can I return an item?', 'bot', 'within 30 days')
      await screenshot(chat.page, 'cancel-2-bot-again')
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )

  it('refuses bad input on the chat API with a clear error', async () => {
    const base = e2e.playground.urls.chat
    const opened = await fetch(`${base}/api/conversations`, { method: 'POST' })
    expect(opened.status).toBe(201)
    const { conversationId } = (await opened.json()) as { conversationId: string }
    const post = (id: string, body: unknown) =>
      fetch(`${base}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })

    const empty = await post(conversationId, { text: '   ' })
    expect(empty.status).toBe(400)
    expect(await empty.json()).toEqual({ error: 'text must not be empty' })
    const tooLong = await post(conversationId, { text: 'x'.repeat(2001) })
    expect(tooLong.status).toBe(400)
    const unknown = await post('conv_nope', { text: 'hello' })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'conversation conv_nope does not exist' })
    expect((await fetch(`${base}/api/conversations/conv_nope/events`)).status).toBe(404)
  })
})

describe('playground, unavailable scenario: no agent can take the chat', () => {
  const e2e = useBrowserPlayground('unavailable', 'live-agent', { withConsole: false })

  it(
    'tells the customer no agent is available (in Spanish) and the bot takes over',
    async () => {
      const chat = await ChatPage.open(e2e.browser, e2e.playground.urls.chat)
      await chat.ask('Quiero hablar con un agente', 'notice', 'He pasado la conversación a un agente.')
      await chat.message('bot', 'Esta vez ningún agente pudo atender el chat').waitFor()
      // Told once: the plugin's "HITL stopped" text is NULL, the bot says why.
      expect(await chat.page.locator('.notice').count()).toBe(1)
      await chat.waitForMode('bot')
      await chat.ask('What payment methods do you accept?', 'bot', 'We accept Visa')
      await screenshot(chat.page, 'unavailable')

      const chats = await mockChats(e2e.playground)
      expect(chats).toHaveLength(1)
      expect(chats[0]).toMatchObject({ state: 'ended', endReason: 'unavailable' })
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )
})
