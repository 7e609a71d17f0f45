// What the pump gives an Enhanced Chat conversation, reduced to its durable part: a store that keeps the latest
// checkpoint and every bridge event committed with it (each hook call is one atomic step, as commitBatch is).
import type {
  BackendEvent,
  BackendLogger,
  Checkpoint,
  ChatConversation,
  ConversationHooks,
} from '../../src/backends/chat-backend.js'
import { EnhancedChatBackend } from '../../src/backends/enhanced-chat/backend.js'
import type { ChatRecord } from '../../src/store/types.js'

export const silentLogger: BackendLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
}

export const FAST = {
  restRetry: { initialDelayMs: 10, maxDelayMs: 50 },
  openRetry: { initialDelayMs: 10, maxDelayMs: 50, maxRetries: 2 },
  sendRetry: { initialDelayMs: 10, maxDelayMs: 50, maxRetries: 3 },
  stream: { retry: { initialDelayMs: 20, maxDelayMs: 200, maxRetries: 5 } },
}

export function backendFor(port: number): EnhancedChatBackend {
  return new EnhancedChatBackend({ loopbackTargets: [`127.0.0.1:${port}`], logger: silentLogger, ...FAST })
}

export function chatRecord(enhancedChat: Record<string, unknown>, chatId = 'chat_1'): ChatRecord {
  return {
    chatId,
    tenant: 'acme',
    conversationId: `conv_${chatId}`,
    state: 'connecting',
    progress: {},
    request: {
      backend: 'enhanced-chat',
      conversationId: `conv_${chatId}`,
      webhookUrl: 'https://webhook.botpress.cloud/wh',
      visitor: { name: 'Ada', language: 'en-US' },
      prechatDetails: [],
      prechatEntities: [],
      transcript: [],
      transcriptDelivery: { mode: 'summary' },
      enhancedChat,
    },
  } as unknown as ChatRecord
}

export class MemoryStore implements ConversationHooks {
  checkpoint: Checkpoint | undefined
  readonly events: BackendEvent[] = []

  async onEvents(events: readonly BackendEvent[], checkpoint: Checkpoint): Promise<void> {
    this.events.push(...events)
    this.checkpoint = structuredClone(checkpoint)
  }

  async onCheckpoint(checkpoint: Checkpoint): Promise<void> {
    this.checkpoint = structuredClone(checkpoint)
  }

  types(): string[] {
    return this.events.map((event) => event.type)
  }

  agentTexts(): string[] {
    return this.events.flatMap((event) => (event.type === 'agent-message' ? [event.text] : []))
  }
}

/** Opens a chat and resumes it with a store, as the pump does. */
export async function openAndRun(backend: EnhancedChatBackend, chat: ChatRecord, store = new MemoryStore()) {
  const opened = await backend.open(chat, { signal: new AbortController().signal, stillWanted: async () => true })
  if (opened.kind !== 'opened') throw new Error(`open failed: ${JSON.stringify(opened)}`)
  store.checkpoint = opened.checkpoint
  const conversation: ChatConversation = backend.resume(opened.checkpoint.cursor, {
    chat,
    hooks: store,
    logger: silentLogger,
  })
  const outcome = conversation.run()
  const state = opened.checkpoint.cursor.state as { conversationId: string }
  return { conversation, outcome, store, conversationId: state.conversationId }
}

export async function waitUntil<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The simulator an Enhanced Chat create-chat body points at (its SCRT2 URL, org and deployment). */
export interface SimulatorTarget {
  url: string
  options: { orgId: string; esDeveloperName: string }
}

/** A create-chat body for an Enhanced Chat hand-off to `mock`, with the visitor's name as pre-chat fields. */
export function enhancedChatBody(
  mock: SimulatorTarget,
  webhookUrl: string,
  visitor: { first: string; last: string; conversationId: string }
) {
  return {
    backend: 'enhanced-chat',
    conversationId: visitor.conversationId,
    webhookUrl,
    enhancedChat: {
      scrtUrl: mock.url,
      orgId: mock.options.orgId,
      esDeveloperName: mock.options.esDeveloperName,
      routingAttributes: { _firstName: visitor.first, _lastName: visitor.last },
    },
    visitor: { name: `${visitor.first} ${visitor.last}` },
  }
}
