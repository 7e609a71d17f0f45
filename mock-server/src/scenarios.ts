import { isBotTranscript } from './bot-transcript.js'
import type { ResolvedOptions, ScenarioName } from './config.js'

/** The agent operations a scripted agent may use (implemented by the Simulator). */
export interface AgentDesk {
  accept(id: string, opts?: { agentName?: string }): void
  agentMessage(id: string, text: string): void
  queueUpdate(id: string, position: number): void
  endChat(id: string, reason?: string): void
  /** Runs an agent action later; the action is cancelled if the chat ends first. */
  later(id: string, delayMs: number, action: () => void): void
}

/** How the simulated agents react; 'manual' leaves everything to the console or the admin API. */
export interface Scenario {
  /** false: every ChasitorInit gets ChatRequestFail{reason:'Unavailable'}. */
  readonly routesChats: boolean
  /** queuePosition reported in ChatRequestSuccess. */
  readonly initialQueuePosition: number
  onChatRequested(id: string): void
  onVisitorMessage(id: string, text: string): void
}

const ECHO_PREFIX = 'Echo: '
const GOODBYE = 'bye'
/** queue: QueueUpdate 3, 2, 1, then accept. */
const QUEUE_START_POSITION = 3

class ManualScenario implements Scenario {
  readonly routesChats: boolean = true
  readonly initialQueuePosition: number = 1
  onChatRequested(): void {}
  onVisitorMessage(): void {}
}

class UnavailableScenario extends ManualScenario {
  override readonly routesChats = false
}

/**
 * An agent who accepts within acceptDelayMs, echoes every live visitor message (not the bot transcript a bridge
 * sends at the start) and ends the chat on "bye".
 */
class EchoScenario implements Scenario {
  readonly routesChats = true
  readonly initialQueuePosition: number = 1

  constructor(
    protected readonly desk: AgentDesk,
    protected readonly options: ResolvedOptions
  ) {}

  onChatRequested(id: string): void {
    this.desk.later(id, this.options.acceptDelayMs, () => this.desk.accept(id))
  }

  onVisitorMessage(id: string, text: string): void {
    if (isBotTranscript(text)) return
    this.desk.later(id, this.options.replyDelayMs, () => {
      this.desk.agentMessage(id, `${ECHO_PREFIX}${text}`)
      if (text.trim().toLowerCase() === GOODBYE) this.desk.endChat(id, 'agent')
    })
  }
}

/** The echo agent, behind a queue: QueueUpdate 3 at once, then 2 and 1 every queueStepMs, then accept. */
class QueueScenario extends EchoScenario {
  override readonly initialQueuePosition = QUEUE_START_POSITION

  override onChatRequested(id: string): void {
    const step = this.options.queueStepMs
    this.desk.queueUpdate(id, QUEUE_START_POSITION)
    for (let position = QUEUE_START_POSITION - 1; position >= 1; position--) {
      const at = (QUEUE_START_POSITION - position) * step
      this.desk.later(id, at, () => this.desk.queueUpdate(id, position))
    }
    this.desk.later(id, QUEUE_START_POSITION * step, () => this.desk.accept(id))
  }
}

export function createScenario(name: ScenarioName, desk: AgentDesk, options: ResolvedOptions): Scenario {
  switch (name) {
    case 'echo':
      return new EchoScenario(desk, options)
    case 'queue':
      return new QueueScenario(desk, options)
    case 'unavailable':
      return new UnavailableScenario()
    case 'manual':
      return new ManualScenario()
  }
}
