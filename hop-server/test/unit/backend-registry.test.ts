// The backend registry: which backend a chat request and a stored cursor belong to.
import { describe, expect, it } from '@jest/globals'
import type { ChatBackend } from '../../src/backends/chat-backend.js'
import { BackendCursorError } from '../../src/backends/errors.js'
import { BackendRegistry, storedCursor } from '../../src/backends/registry.js'

const backend = (name: ChatBackend['name'], releaseGraceMs: number) =>
  ({ name, releaseGraceMs, close: () => undefined }) as unknown as ChatBackend

describe('the backend registry', () => {
  const liveAgent = backend('live-agent', 1500)
  const registry = new BackendRegistry([liveAgent])

  it('gives a request without a backend to Live Agent, and nothing for a backend it has not enabled', () => {
    expect(registry.forRequest({})).toBe(liveAgent)
    expect(registry.forRequest({ backend: 'live-agent' })).toBe(liveAgent)
    expect(registry.forRequest({ backend: 'enhanced-chat' })).toBeUndefined()
  })

  it('knows the names of the bridge contract only', () => {
    expect(BackendRegistry.isKnown('enhanced-chat')).toBe(true)
    expect(BackendRegistry.isKnown('carrier-pigeon')).toBe(false)
  })

  it('takes the longest release grace of its backends', () => {
    expect(new BackendRegistry([liveAgent, backend('enhanced-chat', 0)]).releaseGraceMs).toBe(1500)
    expect(new BackendRegistry([]).releaseGraceMs).toBe(0)
  })
})

describe('stored cursors', () => {
  it('reads a tagged cursor as it is', () => {
    const cursor = { backend: 'enhanced-chat', version: 2, state: { lastEventId: '41' } }
    expect(storedCursor(cursor)).toEqual(cursor)
  })

  it('reads an untagged cursor, stored before tags, as the default backend with its own version', () => {
    const legacy = { version: 1, id: 'session-1', pendingPosts: [] }
    expect(storedCursor(legacy)).toEqual({ backend: 'live-agent', version: 1, state: legacy })
  })

  it('refuses what no backend wrote', () => {
    expect(() => storedCursor('text')).toThrow(BackendCursorError)
    expect(() => storedCursor([1, 2])).toThrow(BackendCursorError)
    expect(() => storedCursor({ backend: 'carrier-pigeon', version: 1, state: {} })).toThrow(
      'the stored cursor names an unknown backend (carrier-pigeon)'
    )
  })
})
