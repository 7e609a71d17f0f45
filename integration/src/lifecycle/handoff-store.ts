// Where a hand-off lives between requests: the `handoff` conversation state of its `hitl` conversation.
// Writers patch disjoint fields (see definitions/states.ts), so a visitor message and a webhook landing at the same
// time cannot undo each other's update.
import { isApiError } from '@botpress/sdk'
import type * as bp from '../bp.js'
import { HANDOFF_STATE } from '../const.js'
import type { HandoffState } from '../definitions/states.js'
import { HandoffLifecycle } from './handoff-lifecycle.js'

const NOT_FOUND = 404

export type StoredHandoff = {
  conversationId: string
  state: HandoffState
  lifecycle: HandoffLifecycle
}

export class HandoffStore {
  public constructor(private readonly _client: bp.Client) {}

  /** The hand-off of a `hitl` conversation, or null when there is none. Throws CorruptLifecycleError on a bad state. */
  public async load(conversationId: string): Promise<StoredHandoff | null> {
    let state: HandoffState
    try {
      const response = await this._client.getState({ type: 'conversation', name: HANDOFF_STATE, id: conversationId })
      state = response.state.payload
    } catch (thrown) {
      if (isApiError(thrown) && thrown.code === NOT_FOUND) return null
      throw thrown
    }
    if (!state) return null
    const persisted = state.lifecycle as { context?: Record<string, unknown> } | undefined
    // The channel records "still connecting told" in its own field; fold it into the machine's context.
    const lifecycle = HandoffLifecycle.restore(
      state.stillConnectingTold && persisted?.context
        ? { ...persisted, context: { ...persisted.context, stillConnectingTold: true } }
        : persisted
    )
    return { conversationId, state, lifecycle }
  }

  public async create(
    conversationId: string,
    init: { lifecycle: HandoffLifecycle; locale: string; upstreamConversationId: string | null }
  ): Promise<HandoffState> {
    const payload: HandoffState = {
      chatId: null,
      locale: init.locale,
      upstreamConversationId: init.upstreamConversationId,
      ...lifecycleFields(init.lifecycle),
      stillConnectingTold: init.lifecycle.context.stillConnectingTold,
    }
    await this._client.setState({ type: 'conversation', name: HANDOFF_STATE, id: conversationId, payload })
    return payload
  }

  public async saveLifecycle(conversationId: string, lifecycle: HandoffLifecycle): Promise<void> {
    await this._patch(conversationId, lifecycleFields(lifecycle))
  }

  public async setChatId(conversationId: string, chatId: string): Promise<void> {
    await this._patch(conversationId, { chatId })
  }

  public async setEndAttempts(conversationId: string, endAttempts: number): Promise<void> {
    await this._patch(conversationId, { endAttempts })
  }

  public async markStillConnectingTold(conversationId: string): Promise<void> {
    await this._patch(conversationId, { stillConnectingTold: true })
  }

  private async _patch(conversationId: string, payload: Partial<HandoffState>): Promise<void> {
    await this._client.patchState({ type: 'conversation', name: HANDOFF_STATE, id: conversationId, payload })
  }
}

const lifecycleFields = (lifecycle: HandoffLifecycle) => {
  const { context } = lifecycle
  return {
    status: lifecycle.status,
    endReason: context.endReason,
    endDetail: context.endDetail,
    agentName: context.agent?.name ?? null,
    lastSeq: context.lastSeq,
    lifecycle: lifecycle.persist(),
  } satisfies Partial<HandoffState>
}
