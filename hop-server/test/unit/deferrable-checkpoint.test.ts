// Which Live Agent cursor changes the pump may store with its next write instead of at once (conversation.ts,
// isDeferrable): only those a crash can lose without a loss or a duplicate, because a replay of the visitor outbox
// numbers the same chat messages the same way. Everything that takes a number otherwise is stored first.
import { describe, expect, it } from '@jest/globals'
import { isDeferrable } from '../../src/backends/live-agent/conversation.js'
import { cloneCursor, type SessionCursor } from '../../src/backends/live-agent/index.js'
import { midChatCursor } from '../support/session-cursor.js'

const stored = midChatCursor({
  pendingPosts: [{ id: 'outbox:3', post: { kind: 'ChatMessage', text: 'hello' }, sequence: 4 }],
  deliveredPostIds: ['outbox:2'],
})

function changed(mutate: (next: SessionCursor) => void): SessionCursor {
  const next = cloneCursor(stored)
  mutate(next)
  return next
}

describe('deferrable Live Agent checkpoints', () => {
  it('a chat message queued, accepted by the server, or numbered next in order', () => {
    const queued = changed((next) =>
      next.pendingPosts.push({ id: 'outbox:4', post: { kind: 'ChatMessage', text: 'x' } })
    )
    expect(isDeferrable(stored, queued)).toBe(true)
    const accepted = changed((next) => {
      next.pendingPosts = []
      next.deliveredPostIds.push('outbox:3')
      next.acceptedChatMessages = 1
    })
    expect(isDeferrable(stored, accepted)).toBe(true)
    const numbered = changed((next) => {
      next.pendingPosts.push({ id: 'outbox:4', post: { kind: 'ChatMessage', text: 'x' }, sequence: 5 })
      next.nextSequence = 6
    })
    expect(isDeferrable(stored, numbered)).toBe(true)
    // The poll counter is best effort across crashes anyway.
    expect(
      isDeferrable(
        stored,
        changed((next) => (next.pc += 3))
      )
    ).toBe(true)
  })

  it('not a number taken by anything a replay would not offer again in the same place', () => {
    const typing = changed((next) => {
      next.pendingPosts.push({ id: 'typing-1', post: { kind: 'ChasitorTyping' }, sequence: 5 })
      next.nextSequence = 6
    })
    expect(isDeferrable(stored, typing)).toBe(false)
    const end = changed((next) => {
      next.pendingPosts.push({ id: 'outbox:4', post: { kind: 'ChatEnd', reason: 'client' }, sequence: 5 })
      next.nextSequence = 6
    })
    expect(isDeferrable(stored, end)).toBe(false)
    // A 409 renumbering: the post in flight gets another number, the count jumps.
    const renumbered = changed((next) => {
      next.pendingPosts[0]!.sequence = 9
      next.nextSequence = 10
    })
    expect(isDeferrable(stored, renumbered)).toBe(false)
    // A number taken without a post to show for it.
    expect(
      isDeferrable(
        stored,
        changed((next) => (next.nextSequence = 6))
      )
    ).toBe(false)
  })

  it('not a hand-over step, a new affinity, an end, or a message that may have landed before a hand-over', () => {
    expect(
      isDeferrable(
        stored,
        changed((next) => (next.handover = 'reconnect'))
      )
    ).toBe(false)
    expect(
      isDeferrable(
        stored,
        changed((next) => (next.affinityToken = 'ffff0000'))
      )
    ).toBe(false)
    expect(
      isDeferrable(
        stored,
        changed((next) => (next.over = { reason: 'visitor-ended' }))
      )
    ).toBe(false)
    const uncertain: SessionCursor = {
      ...cloneCursor(stored),
      pendingPosts: [{ id: 'outbox:3', post: { kind: 'ChatMessage', text: 'hello' }, sequenceBeforeHandover: 4 }],
    }
    const renumberedAfterHandover: SessionCursor = {
      ...cloneCursor(uncertain),
      pendingPosts: [{ id: 'outbox:3', post: { kind: 'ChatMessage', text: 'hello' }, sequence: 5 }],
      nextSequence: 6,
    }
    expect(isDeferrable(uncertain, renumberedAfterHandover)).toBe(false)
  })
})
