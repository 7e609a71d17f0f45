// Ending the Live Agent chat when the hop server cannot be reached at the moment the hand-off ends on the Botpress
// side (stopHitl, /end, a cancel phrase). The HITL plugin has already handed the customer back to the bot by then,
// so failing would only leave the agent in a chat nobody reads. Instead the chat is marked (conversation tag
// `endPending`, durable and listable) and ended later: verified webhooks, startHitl and register sweep a few marked
// chats first (at most every SWEEP_INTERVAL_MS per process). The hop server's end is idempotent, so a repeated end is harmless. Bounded: a
// sweep tries at most MAX_PER_SWEEP chats, one attempt each, and a chat is given up after MAX_END_ATTEMPTS retries
// (Live Agent then ends it when it times out; the bot builder is told).
import type * as bp from '../bp.js'
import { HITL_CHANNEL } from '../const.js'
import { HopServerError } from '../hop-client.js'
import type { Settings } from '../settings.js'
import { HandoffStore } from './handoff-store.js'

export const END_PENDING_TAG = 'endPending'
const PENDING = 'true'
const SETTLED = 'false'
export const MAX_PER_SWEEP = 3
export const MAX_END_ATTEMPTS = 20
/**
 * A process sweeps at most this often (a sweep is one Botpress API call on every webhook otherwise), except right
 * after it marked a chat itself. The marks are what is durable; this only spares calls in a warm process.
 */
export const SWEEP_INTERVAL_MS = 30_000
let nextSweepAt = 0
/** Failures a later attempt cannot change: the chat is gone on the hop server's side. */
const ALREADY_GONE = new Set(['unknown_chat', 'chat_ended'])

export class PendingEnds {
  private readonly _store: HandoffStore

  public constructor(
    private readonly _props: bp.CommonProps,
    private readonly _settings: Settings
  ) {
    this._store = new HandoffStore(_props.client)
  }

  /** Ends the chat now, or marks it to be ended later; never throws because the hop server is down. */
  public async endOrDefer(conversationId: string, chatId: string | null): Promise<'ended' | 'deferred'> {
    if (chatId && (await this._tryEnd(conversationId, chatId))) return 'ended'
    await this._props.client.updateConversation({ id: conversationId, tags: { [END_PENDING_TAG]: PENDING } })
    nextSweepAt = 0
    this._props.logger
      .forBot()
      .warn(
        `The Live Agent chat of hand-off ${conversationId} could not be ended now; it will be ended on the integration's next activity.`
      )
    return 'deferred'
  }

  /** Retries a few marked chats. Best effort: what fails stays marked for the next sweep. */
  public async sweep(): Promise<void> {
    const { conversations } = await this._props.client.listConversations({
      channel: HITL_CHANNEL,
      tags: { [END_PENDING_TAG]: PENDING },
    })
    for (const conversation of conversations.slice(0, MAX_PER_SWEEP)) {
      await this._retry(conversation.id)
    }
  }

  private async _retry(conversationId: string): Promise<void> {
    const stored = await this._store.load(conversationId)
    const chatId = stored?.state.chatId ?? null
    if (chatId && (await this._tryEnd(conversationId, chatId))) {
      this._props.logger.forBot().info(`Ended the Live Agent chat of hand-off ${conversationId} (it was pending).`)
      return
    }
    const attempts = (stored?.state.endAttempts ?? 0) + 1
    if (attempts >= MAX_END_ATTEMPTS) {
      await this._settle(conversationId)
      this._props.logger
        .forBot()
        .error(
          `Gave up ending the Live Agent chat of hand-off ${conversationId} after ${attempts} attempts; Live Agent will end it when it times out.`
        )
      return
    }
    if (stored) await this._store.setEndAttempts(conversationId, attempts)
  }

  /** One attempt, no retries (the caller is a request that must answer soon). True when the chat is over. */
  private async _tryEnd(conversationId: string, chatId: string): Promise<boolean> {
    try {
      await this._settings.hopClient({ maxAttempts: 1 }).endChat(chatId, 'visitor')
    } catch (thrown) {
      if (!(thrown instanceof HopServerError && ALREADY_GONE.has(thrown.failure))) {
        const reason = thrown instanceof Error ? thrown.message : String(thrown)
        this._props.logger.forBot().warn(`Could not end the Live Agent chat ${chatId}: ${reason}`)
        return false
      }
    }
    await this._settle(conversationId)
    return true
  }

  private async _settle(conversationId: string): Promise<void> {
    await this._props.client.updateConversation({ id: conversationId, tags: { [END_PENDING_TAG]: SETTLED } })
  }
}

/** Runs a sweep (unless one ran lately) without ever failing the request that triggered it. */
export const sweepPendingEnds = async (
  props: bp.CommonProps,
  settings: Settings,
  now: number = Date.now()
): Promise<void> => {
  if (now < nextSweepAt) return
  nextSweepAt = now + SWEEP_INTERVAL_MS
  try {
    await new PendingEnds(props, settings).sweep()
  } catch (thrown) {
    props.logger.warn(`Sweep of pending chat ends failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`)
  }
}
