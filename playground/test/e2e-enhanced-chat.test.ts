// The playground on Enhanced Chat (`npm start -- --backend enhanced-chat`), driven like a person would: a customer in
// the chat page, an agent in the simulator's agent console, both in headless Chromium. Between them: the demo bot
// and local Botpress, the integration configured for enhanced-chat (own process), the hop server's Enhanced Chat
// backend (guest token, conversation, event stream) and the Enhanced Chat simulator.
import { describe, expect, it } from '@jest/globals'
import { E2E_TIMEOUT_MS, useBrowserPlayground } from './support/browser-playground.js'
import { ChatPage, screenshot } from './support/pages.js'
import { enhancedConversations } from './support/playground.js'

describe('playground on Enhanced Chat, manual scenario', () => {
  const e2e = useBrowserPlayground('manual', 'enhanced-chat')

  it(
    'hands the conversation to the agent and back: transcript, messages both ways, the agent ends, the bot answers again',
    async () => {
      const chat = await ChatPage.open(e2e.browser, e2e.playground.urls.chat)
      await chat.ask('What are your opening hours?', 'bot', 'Monday to Friday')
      await chat.askForAgent('I want to talk to a human', 'I have escalated this conversation to a human agent.')

      // The pre-chat fields name the customer in the console (firstName and lastName of the Botpress user).
      const visitor = await chat.visitorName()
      await e2e.agent.accept(visitor)
      await e2e.agent.transcript('visitor', /What are your opening hours\?/).waitFor()
      await chat.waitForMode('agent')

      await e2e.agent.send('Hello, how can I help?')
      await chat.message('agent', 'Hello, how can I help?').waitFor()
      await chat.send('Where is my order 1042?')
      await e2e.agent.transcript('visitor', 'Where is my order 1042?').waitFor()
      await screenshot(chat.page, 'enhanced-chat-1-with-agent')

      await e2e.agent.end()
      await chat.waitForMode('bot')
      await chat.ask('How long does delivery take?', 'bot', 'Standard delivery takes 2 to 4 business days')

      const mine = (await enhancedConversations(e2e.playground)).filter((c) => c.visitorName === visitor)
      expect(mine).toHaveLength(1)
      expect(mine[0]?.state).toBe('ended')
      expect(mine[0]?.transcript.filter((line) => line.text === 'Where is my order 1042?')).toHaveLength(1)
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )
})
