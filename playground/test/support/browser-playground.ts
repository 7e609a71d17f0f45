// The scaffold of the playground's browser tests, whatever the backend: headless Chromium and a playground started
// before a describe's tests (the browser first: without chromium it throws before the playground starts), and the
// agent console opened on it when the scenario has a person answering; all closed after.
import { afterAll, beforeAll } from '@jest/globals'
import type { Backend } from '@liveagent-hop/integration'
import type { ScenarioName } from '@liveagent-hop/mock-server'
import type { Browser } from 'playwright-core'
import { AgentConsole, launchBrowser } from './pages.js'
import { startTestPlayground, type TestPlayground } from './playground.js'

/** Starting Chromium and the whole playground (five servers) on a busy machine. */
export const E2E_TIMEOUT_MS = 90_000

export interface BrowserPlayground {
  readonly browser: Browser
  readonly playground: TestPlayground
  /** The agent console, open when `withConsole` was asked for. */
  readonly agent: AgentConsole
}

/** Registers the describe's beforeAll and afterAll; the returned fields are set once beforeAll has run. */
export function useBrowserPlayground(
  scenario: ScenarioName,
  backend: Backend = 'live-agent',
  { withConsole }: { withConsole: boolean } = { withConsole: true }
): BrowserPlayground {
  let browser: Browser | undefined
  let playground: TestPlayground | undefined
  let agent: AgentConsole | undefined

  beforeAll(async () => {
    ;[browser, playground] = await Promise.all([launchBrowser(), startTestPlayground(scenario, backend)])
    if (withConsole) agent = await AgentConsole.open(browser, playground.urls.console)
  }, E2E_TIMEOUT_MS)

  afterAll(async () => {
    await browser?.close()
    await playground?.dispose()
  })

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started: use it inside a test of this describe`)
    return value
  }
  return {
    get browser() {
      return started(browser, 'browser')
    },
    get playground() {
      return started(playground, 'playground')
    },
    get agent() {
      return started(agent, 'agent console')
    },
  }
}
