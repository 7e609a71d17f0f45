import type { SessionCursor } from '../../src/backends/live-agent/index.js'

/**
 * A Live Agent session cursor as the store holds one mid-chat: established, acked and polled a few times, its
 * message numbers taken up to 4. Tests add what they are about (posts pending or delivered, a hand-over step).
 */
export function midChatCursor(overrides: Partial<SessionCursor> = {}): SessionCursor {
  return {
    version: 1,
    id: 'ec550263-5b6e-4a54-9d54-3f1a3b1c7f46',
    key: 'ec550263-5b6e-4a54-9d54-3f1a3b1c7f46!1417533218432!3a1e7f46+/=',
    affinityToken: '878a1fa0',
    organizationId: '00D5g000004AbCd',
    ack: 7,
    pc: 12,
    lastOffset: 97391055,
    nextSequence: 5,
    established: true,
    connectionTimeoutMs: 150000,
    clientPollTimeoutSec: 40,
    pendingPosts: [],
    deliveredPostIds: [],
    ...overrides,
  }
}
