// The transport-free rules of the Enhanced Chat simulator, called directly (no HTTP).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from '@jest/globals'
import { pino } from 'pino'
import { resolveOptions, type MockServerOptions } from '../src/config.js'
import { EnhancedChatSimulator } from '../src/enhanced-chat/simulator.js'
import type { TokenClaims } from '../src/enhanced-chat/tokens.js'
import type { Loose } from './support/raw-enhanced.js'

const ELEVEN_MINUTES_MS = 11 * 60_000

describe('EnhancedChatSimulator', () => {
  let sim: EnhancedChatSimulator | undefined

  afterEach(() => sim?.close())

  async function guest(options: MockServerOptions = {}): Promise<{ sim: EnhancedChatSimulator; claims: TokenClaims }> {
    sim = new EnhancedChatSimulator(resolveOptions({ scenario: 'manual', ...options }), pino({ level: 'silent' }))
    const body = await sim.issueToken({ orgId: sim.orgId15, esDeveloperName: sim.options.esDeveloperName })
    const claims = await sim.tokens.verify(`Bearer ${body.accessToken as string}`)
    return { sim, claims }
  }

  const create = (s: EnhancedChatSimulator, claims: TokenClaims): string => {
    const conversationId = randomUUID()
    s.createConversation(claims, { conversationId, esDeveloperName: s.options.esDeveloperName })
    return conversationId
  }

  it('forgets conversations closed more than ten minutes ago, and their identity’s events once none is left', async () => {
    const { sim: s, claims } = await guest()
    const closed = create(s, claims)
    const open = create(s, claims)
    s.closeConversation(claims, closed, s.options.esDeveloperName)
    s.sweep()
    expect(s.conversation(closed)).toBeDefined() // recently closed: still there
    s.sweep(Date.now() + ELEVEN_MINUTES_MS)
    expect(s.conversation(closed)).toBeUndefined()
    expect(s.events.after(claims.sub, 0).length).toBeGreaterThan(0) // the open conversation keeps the buffer
    s.closeConversation(claims, open, s.options.esDeveloperName)
    s.sweep(Date.now() + ELEVEN_MINUTES_MS)
    expect(s.views()).toEqual([])
    expect(s.events.after(claims.sub, 0)).toEqual([])
  })

  it('does not count limits when rate limits are off (load benches only)', async () => {
    const { sim: s, claims } = await guest({ rateLimits: false })
    for (let i = 0; i < 5; i++) create(s, claims)
    const id = create(s, claims)
    for (let i = 0; i < 30; i++)
      s.sendMessage(claims, id, { esDeveloperName: s.options.esDeveloperName, id: randomUUID(), text: `m${i}` })
    expect(s.conversation(id)!.transcript.filter((t) => t.from === 'visitor')).toHaveLength(30)
  })

  it('lists entries by type, time and direction, with the payload as an object', async () => {
    const { sim: s, claims } = await guest()
    const id = create(s, claims)
    s.accept(id)
    for (const text of ['one', 'two', 'three']) s.agentMessage(id, text)
    const texts = (query: Parameters<EnhancedChatSimulator['listEntries']>[2]) =>
      (s.listEntries(claims, id, query).conversationEntries as { entryPayload: Record<string, Loose> }[]).map(
        (e) => e.entryPayload.abstractMessage?.staticContent.text ?? e.entryPayload.entryType
      )
    expect(texts({ entryTypeFilter: 'Message' })).toEqual(['one', 'two', 'three'])
    expect(texts({ entryTypeFilter: 'Message', direction: 'FromEnd', limit: 2 })).toEqual(['three', 'two'])
    expect(texts({ entryTypeFilter: 'RoutingResult,ParticipantChanged' })).toEqual([
      'RoutingResult',
      'ParticipantChanged',
    ])
    expect(texts({ endTimestamp: 0 })).toEqual([])
  })
})
