import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startMockServer, type MockServer } from '../src/index.js'
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
