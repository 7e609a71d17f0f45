// Page objects for the two windows the tests drive: the customer's chat page and the mock's agent console.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS, requireProgram } from '../../../test-support/system-programs.js'

export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

/** Every wait for something the other side caused: several hops (hop server polls, webhooks) on a busy machine. */
export const UI_TIMEOUT_MS = 15_000
/** Where public/chat.js keeps the conversation of the tab. */
const CONVERSATION_STORAGE_KEY = 'liveagent-hop.playground.conversationId'
export const VIEWPORT = { width: 1100, height: 760 }

/**
 * Headless Debian chromium. Without it, throws synchronously the sentence naming the package, so a caller that
 * calls this first starts nothing else.
 */
export function launchBrowser(): Promise<Browser> {
  const executablePath = requireProgram(CHROMIUM)
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${ARTIFACTS_DIR}${name}.png`
  await page.screenshot({ path })
  return path
}

export class ChatPage {
  private constructor(public readonly page: Page) {}

  /** A fresh browser context: its own session storage, hence its own conversation. */
  public static async open(browser: Browser, url: string): Promise<ChatPage> {
    const context = await browser.newContext({ viewport: VIEWPORT })
    const page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    await page.goto(url)
    const chat = new ChatPage(page)
    await chat.page.locator('#status[data-mode="bot"]').waitFor()
    // The bot greets every new conversation; waiting for it keeps the transcript in a natural order.
    await chat.message('bot', 'I am the Acme assistant').waitFor()
    return chat
  }

  /** The name the agent console shows for this page's visitor. */
  public async visitorName(): Promise<string> {
    type BrowserGlobals = { sessionStorage: { getItem(key: string): string | null } }
    const id = await this.page.evaluate(
      (key) => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem(key),
      CONVERSATION_STORAGE_KEY
    )
    const response = await fetch(new URL(`/api/conversations/${id}`, this.page.url()))
    return ((await response.json()) as { visitorName: string }).visitorName
  }

  public async send(text: string): Promise<void> {
    await this.page.fill('#input', text)
    await this.page.press('#input', 'Enter')
    await this.message('user', text).waitFor()
  }

  /** Sends `text` and waits for the answer of `role` (bot, agent, notice…) containing `answer`. */
  public async ask(text: string, role: string, answer: string | RegExp): Promise<void> {
    await this.send(text)
    await this.message(role, answer).waitFor()
  }

  /** Sends a phrase that asks for a person and waits for the plugin's hand-off `notice` and the waiting mode. */
  public async askForAgent(phrase: string, notice: string): Promise<void> {
    await this.ask(phrase, 'notice', notice)
    await this.waitForMode('waiting')
  }

  /** A message of the given role (user, bot, agent, notice, error) containing `text`. */
  public message(role: string, text: string | RegExp): Locator {
    const selector =
      role === 'notice' || role === 'error' ? `.notice[data-role="${role}"]` : `.row[data-role="${role}"]`
    return this.page.locator(selector, { hasText: text })
  }

  public async waitForMode(mode: 'bot' | 'waiting' | 'agent'): Promise<void> {
    await this.page.locator(`#status[data-mode="${mode}"]`).waitFor()
  }

  public statusText(): Promise<string> {
    return this.page.locator('#status-text').innerText()
  }

  public typingIndicator(): Locator {
    return this.page.locator('#typing:not([hidden])')
  }

  public async close(): Promise<void> {
    await this.page.context().close()
  }
}

export class AgentConsole {
  private constructor(public readonly page: Page) {}

  public static async open(browser: Browser, url: string): Promise<AgentConsole> {
    const page = await browser.newPage({ viewport: VIEWPORT })
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    await page.goto(url)
    await page.locator('#connection.live').waitFor()
    return new AgentConsole(page)
  }

  /** Opens the waiting chat of `visitorName` and accepts it. */
  public async accept(visitorName: string): Promise<void> {
    await this.page.locator('#list-waiting .chat-item', { hasText: visitorName }).click()
    await this.page.click('#accept')
    await this.page.locator('#list-active .chat-item', { hasText: visitorName }).waitFor()
  }

  /** Types (the visitor sees "… is typing") without sending. */
  public async type(text: string): Promise<void> {
    await this.page.fill('#message', text)
  }

  public async send(text: string): Promise<void> {
    await this.page.fill('#message', text)
    await this.page.press('#message', 'Enter')
    await this.transcript('agent', text).waitFor()
  }

  public transcript(from: 'visitor' | 'agent' | 'system', text: string | RegExp): Locator {
    return this.page.locator(`#transcript .msg-${from}`, { hasText: text })
  }

  public async end(): Promise<void> {
    await this.page.click('#end')
  }

  public async close(): Promise<void> {
    await this.page.close()
  }
}

/**
 * One picture of both windows next to each other (the README's screenshot), made from two screenshots. `width`
 * scales the whole picture down (the README's copy must stay small).
 */
export async function sideBySide(
  browser: Browser,
  left: Page,
  right: Page,
  path: string,
  options: { width?: number } = {}
): Promise<void> {
  const GUTTER = 12
  const [leftPng, rightPng] = await Promise.all([left.screenshot(), right.screenshot()])
  const natural = VIEWPORT.width * 2 + GUTTER * 3
  const scale = Math.min(1, (options.width ?? natural) / natural)
  const size = { width: Math.round(natural * scale), height: Math.round((VIEWPORT.height + GUTTER * 2) * scale) }
  const page = await browser.newPage({ viewport: size })
  const image = (png: Buffer) =>
    `<img style="width:${VIEWPORT.width * scale}px;border-radius:${6 * scale}px" src="data:image/png;base64,${png.toString('base64')}">`
  await page.setContent(
    `<body style="margin:0;padding:${GUTTER * scale}px;display:flex;gap:${GUTTER * scale}px;background:#cbd5e1">` +
      `${image(leftPng)}${image(rightPng)}</body>`
  )
  await page.screenshot({ path })
  await page.close()
}
