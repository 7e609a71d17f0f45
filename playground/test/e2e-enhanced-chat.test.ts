// The playground on Enhanced Chat (`npm start -- --backend enhanced-chat`), driven like a person would: a customer in
// the chat page, an agent in the simulator's agent console, both in headless Chromium. Between them: the demo bot
// and local Botpress, the integration configured for enhanced-chat (own process), the hop server's Enhanced Chat
// backend (guest token, conversation, event stream) and the Enhanced Chat simulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { AgentConsole, ChatPage, launchBrowser, screenshot } from './support/pages.js'
import { startTestPlayground, type TestPlayground } from './support/playground.js'

const E2E_TIMEOUT_MS = 90_000

type Conversation = {
  visitorName: string
  state: string
  closed: boolean
  transcript: { from: string; text: string }[]
}

async function conversations(playground: TestPlayground): Promise<Conversation[]> {
  const response = await fetch(`${playground.urls.mock}/__admin/enhanced/conversations`)
  return (await response.json()) as Conversation[]
}

describe('playground on Enhanced Chat, manual scenario', () => {
  let playground: TestPlayground
  let browser: Browser
  let agent: AgentConsole

  beforeAll(async () => {
    ;[browser, playground] = await Promise.all([launchBrowser(), startTestPlayground('manual', 'enhanced-chat')])
    agent = await AgentConsole.open(browser, playground.urls.console)
  }, E2E_TIMEOUT_MS)

  afterAll(async () => {
    await browser?.close()
    await playground?.dispose()
  })

  it(
    'hands the conversation to the agent and back: transcript, messages both ways, the agent ends, the bot answers again',
    async () => {
      const chat = await ChatPage.open(browser, playground.urls.chat)
      await chat.send('What are your opening hours?')
      await chat.message('bot', 'Monday to Friday').waitFor()
      await chat.send('I want to talk to a human')
      await chat.message('notice', 'I have escalated this conversation to a human agent.').waitFor()
      await chat.waitForMode('waiting')

      // The pre-chat fields name the customer in the console (firstName and lastName of the Botpress user).
      const visitor = await chat.visitorName()
      await agent.accept(visitor)
      await agent.transcript('visitor', /What are your opening hours\?/).waitFor()
      await chat.waitForMode('agent')

      await agent.send('Hello, how can I help?')
      await chat.message('agent', 'Hello, how can I help?').waitFor()
      await chat.send('Where is my order 1042?')
      await agent.transcript('visitor', 'Where is my order 1042?').waitFor()
      await screenshot(chat.page, 'enhanced-chat-1-with-agent')

      await agent.end()
      await chat.waitForMode('bot')
      await chat.send('How long does delivery take?')
      await chat.message('bot', 'Standard delivery takes 2 to 4 business days').waitFor()

      const mine = (await conversations(playground)).filter((c) => c.visitorName === visitor)
      expect(mine).toHaveLength(1)
      expect(mine[0]?.state).toBe('ended')
      expect(mine[0]?.transcript.filter((line) => line.text === 'Where is my order 1042?')).toHaveLength(1)
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )
})
