// The Live Agent target of a chat request: since requests name their backend, `liveAgent` is present only for
// live-agent chats. targetProblem() refuses a live-agent request without one before it is stored.
import type { ChatRequest, LiveAgentTarget } from '../../store/types.js'
import { LiveAgentInputError } from './errors.js'

export function liveAgentOf(request: Pick<ChatRequest, 'liveAgent'>): LiveAgentTarget {
  if (!request.liveAgent) throw new LiveAgentInputError('liveAgent is required for a live-agent chat')
  return request.liveAgent
}
