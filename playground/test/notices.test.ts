// What the customer reads during a hand-off, exactly and in order, with the playground's HITL plugin behaving like
// Botpress's: the customer's page in headless Chromium, the agent driven through the mock Live Agent's admin API (so
// every agent action happens at a known moment). Each notice must be true and said once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { ChatPage, launchBrowser, screenshot } from './support/pages.js'
import { startTestPlayground, type TestPlayground } from './support/playground.js'

const E2E_TIMEOUT_MS = 90_000
const POLL_MS = 50

const WELCOME = 'Hi, I am the Acme assistant.'
const HANDOFF = 'I have escalated this conversation to a human agent. They should be with you shortly.'
const JOINED = 'A human agent has joined the conversation.'
const CLOSED = 'You have ended the session with the human agent. I will continue assisting you.'

type MockChat = {
  id: string
  visitorName: string
  state: string
  acks: unknown[]
  visitorTyping: boolean
  transcript: { text: string }[]
}

describe('playground: the notices a customer reads, with the HITL plugin as Botpress runs it', () => {
  let playground: TestPlayground
  let browser: Browser

  beforeAll(async () => {
    // The browser first: without chromium it throws before the playground starts.
    const launching = launchBrowser()
    ;[playground, browser] = await Promise.all([startTestPlayground('manual'), launching])
  }, E2E_TIMEOUT_MS)

  afterAll(async () => {
    await browser?.close()
    await playground?.dispose()
  })

  const admin = (path: string, body?: unknown) =>
    fetch(`${playground.urls.mock}/__admin${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })

  const mockChat = async (visitorName: string): Promise<MockChat | undefined> => {
    const chats = (await (await admin('/chats')).json()) as MockChat[]
    return chats.filter((chat) => chat.visitorName === visitorName).at(-1)
  }

  const eventually = async <T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> => {
    const deadline = Date.now() + 20_000
    for (;;) {
      const value = await probe()
      if (value) return value
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }

  /** A queue update, applied: the hop server polled past it (acked) and every webhook it caused was handled. */
  const queueUpdate = async (chat: MockChat, position: number) => {
    const polls = (await mockChat(chat.visitorName))!.acks.length
    expect((await admin(`/chats/${chat.id}/queue`, { position })).status).toBe(200)
    await eventually('the queue update to be acknowledged', async () => {
      const now = await mockChat(chat.visitorName)
      return now && now.acks.length >= polls + 2
    })
    await playground.idle()
  }

  /** Every bubble and notice of the page, in order, as `role: text`. */
  const pageReads = (chat: ChatPage) =>
    chat.page
      .locator('#messages .row, #messages .notice')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.getAttribute('data-role')}: ${(item.querySelector('.bubble, span')?.textContent ?? '').trim()}`
        )
      )

  const openAs = async (name: string) =>
    ChatPage.open(browser, `${playground.urls.chat}/?name=${encodeURIComponent(name)}`)

  it(
    'a hand-off from a markdown bloc, two queue updates, an agent, messages both ways, a transfer, the end',
    async () => {
      const chat = await openAs('Ada Byron')
      await chat.send('How long does delivery take?')
      await chat.message('bot', 'Standard delivery takes 2 to 4 business days').waitFor()
      await chat.send('Talk to a human')
      await chat.message('notice', HANDOFF).waitFor()
      await chat.waitForMode('waiting')
      expect(await chat.visitorName()).toBe('Ada Byron')

      const queued = await eventually('the chat in the queue', async () => {
        const found = await mockChat('Ada Byron')
        return found?.state === 'waiting' && found
      })
      await queueUpdate(queued, 2)
      await queueUpdate(queued, 1)
      await chat.send('Hello? Anyone?')
      await playground.idle()
      await screenshot(chat.page, 'notices-1-queued')

      expect((await admin(`/chats/${queued.id}/accept`, { agentName: 'Alex Rivera' })).status).toBe(200)
      await chat.waitForMode('agent')
      expect((await admin(`/chats/${queued.id}/message`, { text: 'Hi Ada, Alex here.' })).status).toBe(200)
      await chat.message('agent', 'Hi Ada, Alex here.').waitFor()
      await chat.send('My order is 1042')
      await eventually('the message to reach the agent', async () =>
        (await mockChat('Ada Byron'))!.transcript.some((entry) => entry.text === 'My order is 1042')
      )

      expect((await admin(`/chats/${queued.id}/transfer`, { agentName: 'Bea Stone' })).status).toBe(200)
      await chat.page.locator('#status-text', { hasText: 'Bea Stone' }).waitFor()
      expect((await admin(`/chats/${queued.id}/message`, { text: 'Bea here, I have it.' })).status).toBe(200)
      await chat.message('agent', 'Bea here, I have it.').waitFor()

      expect((await admin(`/chats/${queued.id}/end`, { reason: 'agent' })).status).toBe(200)
      await chat.message('bot', 'Thanks for chatting with Bea Stone').waitFor()
      await chat.waitForMode('bot')
      await playground.idle()
      await screenshot(chat.page, 'notices-2-ended')

      const reads = await pageReads(chat)
      expect(reads.slice(1)).toEqual([
        'user: How long does delivery take?',
        'bot: Standard delivery takes 2 to 4 business days and is free above €50.\nExpress delivery arrives the next business day for €9.90.',
        'user: Talk to a human',
        `notice: ${HANDOFF}`,
        'user: Hello? Anyone?',
        `notice: ${JOINED}`,
        'agent: Hi Ada, Alex here.',
        'user: My order is 1042',
        `notice: ${JOINED}`,
        'agent: Bea here, I have it.',
        'bot: Thanks for chatting with Bea Stone. I am back: ask me anything, or ask for a human again whenever you like.',
      ])
      expect(reads[0]).toContain(WELCOME)

      // The agent read the bloc's markdown as plain text, and the customer's early message once an agent was there.
      const transcript = (await mockChat('Ada Byron'))!.transcript.map((entry) => entry.text).join('\n')
      // Each line with the time its message was sent, and who said it.
      expect(transcript).toMatch(/\[\d\d:\d\d UTC\] Visitor: How long does delivery take\?/)
      expect(transcript).toMatch(/\[\d\d:\d\d UTC\] Bot: Standard delivery takes 2 to 4 business days/)
      expect(transcript).not.toContain('**')
      expect(transcript).toContain('Hello? Anyone?')
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )

  it(
    '/end while queued: the plugin tells the customer once, the Live Agent request ends',
    async () => {
      const chat = await openAs('Grace Queued')
      await chat.send('Talk to a human')
      await chat.message('notice', HANDOFF).waitFor()
      const queued = await eventually('the chat in the queue', async () => {
        const found = await mockChat('Grace Queued')
        return found?.state === 'waiting' && found
      })
      await queueUpdate(queued, 1)
      await chat.send('/end')
      await chat.message('notice', CLOSED).waitFor()
      await chat.waitForMode('bot')
      await eventually('Live Agent to end the request', async () => (await mockChat('Grace Queued'))?.state === 'ended')
      await playground.idle()
      expect((await pageReads(chat)).slice(1)).toEqual([
        'user: Talk to a human',
        `notice: ${HANDOFF}`,
        'user: /end',
        `notice: ${CLOSED}`,
      ])
      // "( The user has ended the session. )" is the plugin's text, not the customer's: the agent never gets it.
      expect((await mockChat('Grace Queued'))!.transcript.map((entry) => entry.text)).not.toContain(
        '( The user has ended the session. )'
      )
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )

  it(
    'the customer typing reaches the agent; "Leave the chat": no /end bubble, one notice, the chat ends for the agent',
    async () => {
      const chat = await openAs('Hedy With Agent')
      await chat.send('Talk to a human')
      await chat.message('notice', HANDOFF).waitFor()
      const queued = await eventually('the chat in the queue', async () => {
        const found = await mockChat('Hedy With Agent')
        return found?.state === 'waiting' && found
      })
      expect((await admin(`/chats/${queued.id}/accept`, { agentName: 'Alex Rivera' })).status).toBe(200)
      await chat.waitForMode('agent')
      // The customer types: the agent sees it (and sees it stop when the text is gone).
      await chat.page.fill('#input', 'I was wonder')
      await eventually(
        'the agent to see the customer typing',
        async () => (await mockChat('Hedy With Agent'))?.visitorTyping
      )
      await chat.page.fill('#input', '')
      await eventually('the typing to stop', async () => (await mockChat('Hedy With Agent'))?.visitorTyping === false)
      await chat.page.locator('.chip', { hasText: 'Leave the chat' }).click()
      await chat.message('notice', CLOSED).waitFor()
      await chat.waitForMode('bot')
      await eventually('Live Agent to end the chat', async () => (await mockChat('Hedy With Agent'))?.state === 'ended')
      await playground.idle()
      expect((await pageReads(chat)).slice(1)).toEqual([
        'user: Talk to a human',
        `notice: ${HANDOFF}`,
        `notice: ${JOINED}`,
        `notice: ${CLOSED}`,
      ])
      await chat.close()
    },
    E2E_TIMEOUT_MS
  )
})
