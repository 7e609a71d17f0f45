// Shared test fixtures: a recording "store" for the session hooks, ChasitorInit params matching the mock,
// a bounded wait helper, and a fresh mock server with its client and sessions per test.
import { afterEach, beforeEach } from '@jest/globals'
import { SAMPLE_IDS, startMockServer, type MockServer, type MockServerOptions } from '@liveagent-hop/mock-server'
import {
  ChatSession,
  LiveAgentClient,
  cloneCursor,
  type ChatSessionOptions,
  type ChasitorInitParams,
  type ChatSessionHooks,
  type LiveAgentEvent,
  type SessionCursor,
} from '../../src/backends/live-agent/index.js'

export const INIT: ChasitorInitParams = {
  organizationId: SAMPLE_IDS.orgId,
  deploymentId: SAMPLE_IDS.deploymentId,
  buttonId: SAMPLE_IDS.buttonId,
  visitorName: 'Ada',
  userAgent: 'hop-server tests',
  language: 'en-US',
  screenResolution: '1920x1080',
  receiveQueueUpdates: true,
}

/** Fast retries for tests: the behaviour is the same, only the pacing is shorter. */
export const FAST = {
  backoff: { initialDelayMs: 20, maxDelayMs: 100, jitter: 0 },
  minChatMessageGapMs: 10,
  pollTimeoutMarginMs: 200,
  abortedPollGraceMs: 50,
}

/**
 * Plays the caller's durable store: every batch and every cursor handed to the hooks is recorded, in order,
 * as the caller would persist them.
 */
export class RecordingStore implements ChatSessionHooks {
  readonly events: LiveAgentEvent[] = []
  readonly batches: { events: LiveAgentEvent[]; cursor: SessionCursor }[] = []
  readonly cursors: SessionCursor[] = []
  /** Called (and awaited) inside onBatch, e.g. to act at a precise point of the conversation. */
  onBatchHook: ((events: LiveAgentEvent[], cursor: SessionCursor) => Promise<void> | void) | undefined
  onCursorHook: ((cursor: SessionCursor) => Promise<void> | void) | undefined

  constructor(initial?: SessionCursor) {
    if (initial) this.cursors.push(cloneCursor(initial))
  }

  async onBatch(events: LiveAgentEvent[], cursor: SessionCursor): Promise<void> {
    await this.onBatchHook?.(events, cursor)
    this.events.push(...events)
    this.batches.push({ events, cursor: cloneCursor(cursor) })
    this.cursors.push(cloneCursor(cursor))
  }

  async onCursor(cursor: SessionCursor): Promise<void> {
    await this.onCursorHook?.(cursor)
    this.cursors.push(cloneCursor(cursor))
  }

  get latest(): SessionCursor {
    const last = this.cursors.at(-1)
    if (!last) throw new Error('nothing persisted yet')
    return cloneCursor(last)
  }

  agentTexts(): string[] {
    return this.events.flatMap((e) => (e.type === 'ChatMessage' ? [e.message.text] : []))
  }

  types(): string[] {
    return this.events.map((e) => e.type)
  }
}

/** Polls `check` every few ms until it returns a truthy value; fails after `timeoutMs` with `what`. */
export async function waitUntil<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function visitorLines(transcript: { from: string; text: string }[]): string[] {
  return transcript.filter((t) => t.from === 'visitor').map((t) => t.text)
}

export function agentLines(transcript: { from: string; text: string }[]): string[] {
  return transcript.filter((t) => t.from === 'agent').map((t) => t.text)
}

/** A mock server, a client on it, and the sessions a test started; `useMockSessions` renews them for every test. */
export interface MockSessions {
  readonly mock: MockServer
  readonly client: LiveAgentClient
  /** A session on the current client with the FAST timings, stopped after the test. */
  session(cursor: SessionCursor, store: RecordingStore, extra?: Partial<ChatSessionOptions>): ChatSession
  /** Stops a session built elsewhere after the test too. */
  track(created: ChatSession): ChatSession
}

/**
 * A fresh mock per test: a request aborted at the very end of one test can still reach the server afterwards, and
 * must not show up in the next test's counters. Sessions, client and mock are closed after each test.
 */
export function useMockSessions(mockOptions: MockServerOptions = {}): MockSessions {
  let mock: MockServer | undefined
  let client: LiveAgentClient | undefined
  const sessions: ChatSession[] = []
  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} exists only inside a test`)
    return value
  }
  beforeEach(async () => {
    mock = await startMockServer({ scenario: 'manual', holdMs: 100, ...mockOptions })
    client = new LiveAgentClient({ endpoint: `${mock.url}/chat` })
  })
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()))
    client?.close()
    await mock?.close()
  })
  const rig: MockSessions = {
    get mock() {
      return current(mock, 'the mock server')
    },
    get client() {
      return current(client, 'the client')
    },
    track(created) {
      sessions.push(created)
      return created
    },
    session(cursor, store, extra = {}) {
      return rig.track(new ChatSession({ client: rig.client, cursor, hooks: store, ...FAST, ...extra }))
    },
  }
  return rig
}
