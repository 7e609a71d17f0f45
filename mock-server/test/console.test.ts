import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startMockServer, type MockServer } from '../src/index.js'
import { parseData, payloadOf, RawGuest, type SseEvent } from './support/raw-enhanced.js'
import { CHROMIUM, CHROMIUM_ARGS, requireProgram } from '../../test-support/system-programs.js'
import { RawVisitor } from './support/raw-visitor.js'

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url))

describe('agent console (/console) in headless Chromium', () => {
  let mock: MockServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    // Without chromium: one sentence naming the Debian package, before anything starts.
    const executablePath = requireProgram(CHROMIUM)
    mock = await startMockServer({ scenario: 'manual', holdMs: 2000 })
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] })
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } })
    await page.goto(`${mock.url}/console`)
    await page.waitForSelector('#connection.live')
  })

  afterAll(async () => {
    await browser?.close()
    await mock?.close()
  })

  it('shows a waiting chat live, accepts it, replies, sees the visitor, and ends the chat', async () => {
    await page.fill('#agent-name', 'Dana Scully')
    await page.dispatchEvent('#agent-name', 'change')

    // A visitor arrives: the chat appears under Waiting without a reload.
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat({ visitorName: 'Vera Visitor' })
    const item = page.locator(`#list-waiting [data-chat-id="${id}"]`)
    await item.waitFor()
    await item.click()
    await page.click('#accept')
    await page.locator(`#list-active [data-chat-id="${id}"]`).waitFor()

    let { ack, events } = await visitor.pollUntil('ChatEstablished')
    expect(events.at(-1)!.message).toMatchObject({ name: 'Dana Scully' })

    // The visitor types (sneak peek), then writes: the console shows both.
    expect((await visitor.post('Chasitor/ChasitorSneakPeek', 2, { position: 9, text: 'I need he' })).status).toBe(200)
    await page.locator('#typing-text', { hasText: 'Vera Visitor is typing: “I need he”' }).waitFor()
    expect((await visitor.post('Chasitor/ChatMessage', 3, { text: 'I need help with order 1042' })).status).toBe(200)
    await page.locator('#transcript .msg-visitor', { hasText: 'I need help with order 1042' }).waitFor()
    expect(await page.isHidden('#typing')).toBe(true)

    // The agent answers from the composer (Enter sends); typing travels too.
    await page.fill('#message', 'Sure, let me look at order 1042.')
    await page.press('#message', 'Enter')
    await page.locator('#transcript .msg-agent', { hasText: 'Sure, let me look at order 1042.' }).waitFor()
    ;({ ack, events } = await visitor.pollUntil('ChatMessage', ack))
    expect(events.map((e) => e.type)).toContain('AgentTyping')
    expect(events.find((e) => e.type === 'ChatMessage')!.message).toMatchObject({
      name: 'Dana Scully',
      text: 'Sure, let me look at order 1042.',
    })

    // A second chat waits, a third is active with an unread message: the lists and the badge say so.
    const waiting = new RawVisitor(mock)
    const waitingId = await waiting.startChat({ visitorName: 'Omar Haddad' })
    const busy = new RawVisitor(mock)
    const busyId = await busy.startChat({ visitorName: 'Lena Park' })
    mock.admin.accept(busyId, { agentName: 'Dana Scully' })
    expect((await busy.post('Chasitor/ChatMessage', 2, { text: 'Is anyone there?' })).status).toBe(200)
    await page.locator(`#list-waiting [data-chat-id="${waitingId}"]`).waitFor()
    await page.locator(`#list-active [data-chat-id="${busyId}"] .badge`, { hasText: '1' }).waitFor()

    await mkdir(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}console.png` })

    // The agent ends the chat: the visitor gets ChatEnded{reason:'agent'}, the chat moves to Ended.
    await page.click('#end')
    await page.locator(`#list-ended [data-chat-id="${id}"]`).waitFor()
    ;({ events } = await visitor.pollUntil('ChatEnded', ack))
    expect(events.at(-1)!.message).toEqual({ reason: 'agent', attachedRecords: [] })
    expect(await page.isDisabled('#message')).toBe(true)
    expect(mock.admin.chat(id)).toMatchObject({ state: 'ended', endReason: 'agent', agent: 'Dana Scully' })
    expect(mock.admin.stats()).toMatchObject({ conflicts409: 0, violations: [] })
  })

  it('serves Enhanced Chat conversations in the same lists: accept, reply, transfer and end reach the guest stream', async () => {
    const guest = new RawGuest(mock)
    await guest.getToken()
    const stream = await guest.stream()
    const is = (name: string) => (e: SseEvent) => e.event === name
    try {
      const { id } = await guest.createConversation({ routingAttributes: { _firstName: 'Grace', _lastName: 'Hopper' } })
      const item = page.locator(`#list-waiting [data-chat-id="${id}"][data-api="enhanced"]`)
      await item.waitFor()
      await item.click()
      await page.locator('#chat-meta', { hasText: 'Enhanced Chat' }).waitFor()
      await page.locator('#chat-name', { hasText: 'Grace Hopper' }).waitFor()
      await page.click('#accept')
      await page.locator(`#list-active [data-chat-id="${id}"]`).waitFor()
      const [joined] = await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'))
      expect(payloadOf(joined!).entries[0]).toMatchObject({ operation: 'add', displayName: 'Dana Scully' })

      // The guest types and writes: the console shows both.
      const typing = { entryType: 'TypingStartedIndicator', id: crypto.randomUUID() }
      expect((await guest.call('POST', `/conversation/${id}/entry`, typing)).status).toBe(202)
      await page.locator('#typing-text', { hasText: 'Grace Hopper is typing' }).waitFor()
      expect((await guest.send(id, 'My compiler is broken')).status).toBe(202)
      await page.locator('#transcript .msg-visitor', { hasText: 'My compiler is broken' }).waitFor()

      // The agent answers from the composer: typing and the message reach the guest's stream.
      await page.fill('#message', 'Let me find the bug.')
      await page.press('#message', 'Enter')
      await page.locator('#transcript .msg-agent', { hasText: 'Let me find the bug.' }).waitFor()
      const [reply] = await stream.waitFor(
        (e) => is('CONVERSATION_MESSAGE')(e) && parseData(e).conversationEntry.sender.role === 'Agent'
      )
      expect(payloadOf(reply!).abstractMessage.staticContent.text).toBe('Let me find the bug.')
      expect(stream.events.some(is('CONVERSATION_TYPING_STARTED_INDICATOR'))).toBe(true)

      // Transfer: the guest sees the agent leave, a Transfer routing result, and the new agent join.
      await page.click('#transfer')
      await page.fill('#transfer-name', 'Fox Mulder')
      await page.click('#transfer-form button[type="submit"]')
      const changes = await stream.waitFor(is('CONVERSATION_PARTICIPANT_CHANGED'), 3)
      expect(changes.map((e) => payloadOf(e).entries[0].displayName)).toEqual([
        'Dana Scully',
        'Dana Scully',
        'Fox Mulder',
      ])
      await page.locator('#chat-meta', { hasText: 'Agent Fox Mulder' }).waitFor()

      // End: the session ends (participant removed + Ended), the conversation moves to Ended in the console.
      await page.click('#end')
      await page.locator(`#list-ended [data-chat-id="${id}"]`).waitFor()
      await stream.waitFor(
        (e) => is('CONVERSATION_SESSION_STATUS_CHANGED')(e) && payloadOf(e).sessionStatus === 'Ended'
      )
      expect(await page.isDisabled('#message')).toBe(true)
      expect(mock.enhanced.conversation(id)).toMatchObject({
        state: 'ended',
        endReason: 'agent',
        routingStatus: 'NEEDS_ROUTING',
      })
      await page.screenshot({ path: `${ARTIFACTS}console-enhanced.png` })
    } finally {
      guest.closeStreams()
    }
  })

  it('shows an admin error from an action in the page instead of failing silently', async () => {
    const visitor = new RawVisitor(mock)
    const id = await visitor.startChat({ visitorName: 'Race Condition' })
    await page.locator(`#list-waiting [data-chat-id="${id}"]`).click()
    mock.admin.accept(id) // someone else was faster
    await page.locator(`#list-active [data-chat-id="${id}"]`).waitFor()
    // A stale page still showing Accept (the button is hidden once the update arrives): click it anyway.
    await page.evaluate(
      `(() => { const b = document.getElementById('accept'); b.hidden = false; b.disabled = false; b.click() })()`
    )
    await page.locator('#error', { hasText: 'it is active' }).waitFor()
  })
})
