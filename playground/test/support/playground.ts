// A playground on ephemeral ports with its own data directory, for one test file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScenarioName } from '@liveagent-hop/mock-server'
import type { Backend } from '@liveagent-hop/integration'
import { startPlayground, type Playground } from '../../src/index.js'

export const EPHEMERAL_PORTS = { chat: 0, console: 0, hop: 0, botpress: 0, integration: 0 } as const

/** Short holds keep shutdown quick; the hop server's polls come back every second when nothing happens. */
const TEST_HOLD_MS = 1000

export type TestPlayground = Playground & { dispose(): Promise<void> }

export async function startTestPlayground(
  scenario: ScenarioName,
  backend: Backend = 'live-agent'
): Promise<TestPlayground> {
  const dataDir = mkdtempSync(join(tmpdir(), 'playground-test-'))
  const playground = await startPlayground({
    backend,
    scenario,
    ports: EPHEMERAL_PORTS,
    dataDir,
    mock: { holdMs: TEST_HOLD_MS },
  })
  return {
    ...playground,
    dispose: async () => {
      await playground.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** What the mock Live Agent recorded about its chats (its admin API). */
export async function mockChats(
  playground: Playground
): Promise<{ visitorName: string; state: string; endReason?: string }[]> {
  const response = await fetch(`${playground.urls.mock}/__admin/chats`)
  return (await response.json()) as { visitorName: string; state: string; endReason?: string }[]
}

export interface EnhancedConversation {
  visitorName: string
  state: string
  closed: boolean
  transcript: { from: string; text: string }[]
}

/** What the Enhanced Chat simulator recorded about its conversations (its admin API). */
export async function enhancedConversations(playground: Playground): Promise<EnhancedConversation[]> {
  const response = await fetch(`${playground.urls.mock}/__admin/enhanced/conversations`)
  return (await response.json()) as EnhancedConversation[]
}
