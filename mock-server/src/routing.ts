import { ID_SHAPES } from './config.js'
import { AdminError } from './errors.js'
import type { ChasitorInitRequest } from './chasitor-requests.js'

/** A buttonOverrides entry: `buttonId`, `agentId` or `agentId_buttonId` (§3.2). */
export function isRoutingTarget(target: string): boolean {
  const [first = '', button, ...rest] = target.split('_')
  if (rest.length > 0) return false
  if (button !== undefined) return ID_SHAPES.agentId.test(first) && ID_SHAPES.buttonId.test(button)
  return ID_SHAPES.agentId.test(first) || ID_SHAPES.buttonId.test(first)
}

/** Which buttons and agents are available, and where a chat request lands (§3.2). */
export class Routing {
  private globallyAvailable = true
  private readonly buttonAvailability = new Map<string, boolean>()

  constructor(
    /** The configured button: available unless said otherwise, where other buttons are not. */
    private readonly defaultButtonId: string,
    /** false: the scenario routes nothing (every button and agent is unavailable). */
    private readonly routesChats: boolean
  ) {}

  /** Without buttonId: every button and agent; with it: that button only. */
  setAvailability(available: boolean, buttonId?: string): void {
    if (buttonId === undefined) {
      this.globallyAvailable = available
      this.buttonAvailability.clear()
      return
    }
    if (!ID_SHAPES.buttonId.test(buttonId))
      throw new AdminError(400, 'buttonId must be 15 or 18 characters starting with 573')
    this.buttonAvailability.set(buttonId, available)
  }

  isAvailable(id: string): boolean {
    if (!this.routesChats) return false
    if (ID_SHAPES.agentId.test(id)) return this.globallyAvailable
    if (id === this.defaultButtonId) return this.buttonAvailability.get(id) ?? this.globallyAvailable
    return this.buttonAvailability.get(id) ?? false
  }

  knownButtons(): string[] {
    return [...new Set([this.defaultButtonId, ...this.buttonAvailability.keys()])]
  }

  /** The button the chat is routed to; undefined when no target has availability. */
  route(request: ChasitorInitRequest): string | undefined {
    if (!this.routesChats) return undefined
    const targets =
      request.buttonOverrides && request.buttonOverrides.length > 0
        ? request.buttonOverrides
        : request.agentId
          ? [request.doFallback ? `${request.agentId}_${request.buttonId}` : request.agentId]
          : [request.buttonId]
    // Salesforce assigns the chat to the first target with availability (§3.2).
    for (const target of targets) {
      const [first, button] = target.split('_')
      if (first === undefined) continue
      if (button !== undefined) {
        if (this.isAvailable(first)) return button
        if (this.isAvailable(button)) return button
      } else if (this.isAvailable(first)) {
        return ID_SHAPES.agentId.test(first) ? request.buttonId : first
      }
    }
    return undefined
  }

  reset(): void {
    this.globallyAvailable = true
    this.buttonAvailability.clear()
  }
}
