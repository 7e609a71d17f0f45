import type * as bp from '../bp.js'
import { HITL_CHANNEL } from '../const.js'
import { getHandoffStatusInputSchema } from '../definitions/actions.js'
import { HandoffStore } from '../lifecycle/handoff-store.js'
import { parseInput } from '../parse-input.js'

/** Looks the hand-off up by its HITL conversation, else by the bot conversation the Start HITL card named. */
export const getHandoffStatus: bp.IntegrationProps['actions']['getHandoffStatus'] = async ({ client, input }) => {
  const { conversationId } = parseInput(getHandoffStatusInputSchema, input, 'getHandoffStatus')
  const store = new HandoffStore(client)

  let stored = await store.load(conversationId)
  if (!stored) {
    const { conversations } = await client.listConversations({
      channel: HITL_CHANNEL,
      tags: { upstreamConversationId: conversationId },
      sortField: 'createdAt',
      sortDirection: 'desc',
    })
    const latest = conversations[0]
    stored = latest ? await store.load(latest.id) : null
  }
  if (!stored) {
    return { found: false }
  }
  const { state } = stored
  return {
    found: true,
    hitlConversationId: stored.conversationId,
    status: stored.lifecycle.status,
    ...(state.endReason ? { endReason: state.endReason } : {}),
    ...(state.endDetail ? { endDetail: state.endDetail } : {}),
    ...(state.agentName ? { agentName: state.agentName } : {}),
  }
}
