// Picks the backend of each chat: the one its create-chat request named (Live Agent when it named none), and for a
// stored cursor the one that wrote it. Adding a backend: implement ChatBackend in its own folder, add its name to
// BACKEND_NAMES (chat-backend.ts) and construct it here (docs/architecture.md, "The backend seam").
import type { Logger } from 'pino'
import type { HopConfig } from '../config.js'
import type { HopMetrics } from '../metrics.js'
import type { ChatRequest, Json, LiveAgentTarget } from '../store/types.js'
import type { EnhancedChatTarget } from './enhanced-chat/target.js'
import {
  BACKEND_NAMES,
  DEFAULT_BACKEND,
  type BackendCursor,
  type BackendName,
  type ButtonAvailability,
  type ChatBackend,
  type GuestAvailability,
} from './chat-backend.js'
import type { AvailabilityChecker } from '../http/routes/availability.js'
import { BackendCursorError } from './errors.js'
import { EnhancedChatBackend } from './enhanced-chat/backend.js'
import { LiveAgentBackend } from './live-agent/backend.js'

export class BackendRegistry implements AvailabilityChecker {
  private readonly backends = new Map<BackendName, ChatBackend>()

  constructor(backends: readonly ChatBackend[]) {
    for (const backend of backends) this.backends.set(backend.name, backend)
  }

  /** The backend of that name, or undefined when this build does not enable it. */
  get(name: BackendName): ChatBackend | undefined {
    return this.backends.get(name)
  }

  /** The backend a chat request names (Live Agent when it names none); undefined when it is not enabled. */
  forRequest(request: Pick<ChatRequest, 'backend'>): ChatBackend | undefined {
    return this.get(request.backend ?? DEFAULT_BACKEND)
  }

  /** Whether a name is one the bridge contract knows (enabled or not). */
  static isKnown(name: string): name is BackendName {
    return (BACKEND_NAMES as readonly string[]).includes(name)
  }

  /** The longest grace any enabled backend needs after a stop (see ChatBackend.releaseGraceMs). */
  get releaseGraceMs(): number {
    return Math.max(0, ...[...this.backends.values()].map((backend) => backend.releaseGraceMs))
  }

  /**
   * The bridge's availability check (GET /v1/availability) for a Live Agent button: Live Agent answers whether an
   * agent could take a chat.
   */
  async check(target: LiveAgentTarget): Promise<ButtonAvailability[]> {
    const backend = this.get('live-agent')
    if (!backend?.availability) throw new Error('no enabled backend answers availability checks')
    const answer = await backend.availability({ liveAgent: target })
    if (!Array.isArray(answer)) throw new Error('the live-agent backend answered availability for another backend')
    return answer
  }

  /**
   * The same check for an Enhanced Chat deployment: what Salesforce tells a guest (the deployment exists, its
   * business hours), never whether an agent is free. Undefined when this build does not enable Enhanced Chat.
   */
  async checkEnhancedChat(
    target: Pick<EnhancedChatTarget, 'scrtUrl' | 'orgId' | 'esDeveloperName'>
  ): Promise<GuestAvailability | undefined> {
    const backend = this.get('enhanced-chat')
    if (!backend?.availability) return undefined
    const answer = await backend.availability({ enhancedChat: { ...target, routingAttributes: {} } })
    if (Array.isArray(answer)) throw new Error('the enhanced-chat backend answered availability for another backend')
    return answer
  }

  close(): void {
    for (const backend of this.backends.values()) backend.close()
  }
}

/**
 * A stored cursor as the seam's envelope. A cursor stored before cursors were tagged is the default backend's (the
 * only one there was), its own `version` field giving its layout. Throws BackendCursorError for anything else.
 */
export function storedCursor(stored: Json): BackendCursor {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) {
    throw new BackendCursorError(undefined, 'the stored cursor is not an object')
  }
  const { backend, version, state } = stored
  if (backend === undefined) {
    return { backend: DEFAULT_BACKEND, version: typeof version === 'number' ? version : 0, state: stored }
  }
  if (
    typeof backend !== 'string' ||
    !BackendRegistry.isKnown(backend) ||
    typeof version !== 'number' ||
    state === undefined
  ) {
    throw new BackendCursorError(undefined, `the stored cursor names an unknown backend (${String(backend)})`)
  }
  return { backend, version, state }
}

export interface BackendRegistryDeps {
  config: HopConfig
  metrics: HopMetrics
  logger: Logger
}

/** The backends this build enables. */
export function createBackendRegistry(deps: BackendRegistryDeps): BackendRegistry {
  const { config, logger } = deps
  const enhancedChat = new EnhancedChatBackend({
    loopbackTargets: config.security.loopbackTargets,
    ...(config.port !== 0 ? { ownPort: config.port } : {}),
    logger,
    transcriptFieldMaxChars: config.pump.transcriptFieldMaxChars,
  })
  return new BackendRegistry([new LiveAgentBackend(deps), enhancedChat])
}
