// The Enhanced Chat variant of the small chaos run inside `npm test`: a few chats over the simulator's Enhanced Chat
// API, the hop server killed twice with kill -9 and restarted (SQLite), then a replica lost for good (Redis), with
// 5xx answers, broken and ended event streams and late events all along, and one chat ended by its guest token
// expiring. Nothing may be lost, duplicated or reordered, no conversation created twice, every chat ends as planned.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { BENCH_DIR } from '../src/processes/workspace.js'
import { runChaos } from '../src/run/chaos-main.js'

const CHATS = 10
const OUT = join(BENCH_DIR, 'test-artifacts', 'chaos-enhanced')

describe('chaos over Enhanced Chat, small run (10 chats, 2 kills, a lost replica, a token expiry)', () => {
  it('keeps every message exactly once and in order, and ends each chat as planned', async () => {
    rmSync(OUT, { recursive: true, force: true })
    mkdirSync(OUT, { recursive: true })
    const results = await runChaos({
      backend: 'enhanced-chat',
      chats: CHATS,
      messages: 4,
      thinkMs: [200, 800],
      kills: 2,
      downMs: [100, 1000],
      holdMs: 2000,
      faultEveryMs: 200,
      parts: ['crash', 'replicas'],
      endUnread: false,
      outDir: OUT,
      progress: false,
    })
    expect(results.backend).toBe('enhanced-chat')
    const [crash, replicas] = results.parts
    expect(crash!.kills).toHaveLength(2)
    expect(replicas!.kills).toHaveLength(1)
    for (const part of results.parts) {
      expect(part.incomplete).toEqual([])
      expect(part.chats.created).toBe(CHATS)
      expect(part.chats.completed).toBe(CHATS)
      // Chat 9 of each part ends by its token expiring: the hop server ends it with `error`.
      expect(part.chats.endReasons.error).toBe(1)
      expect(Object.values(part.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
      expect({ lost: part.lost, duplicated: part.duplicated, reordered: part.reordered }).toEqual({
        lost: 0,
        duplicated: 0,
        reordered: 0,
      })
      expect(part.messages.visitorToAgent.expected).toBeGreaterThan(0)
      expect(part.messages.agentToVisitor.expected).toBeGreaterThan(0)
      expect(part.mockViolations).toEqual({})
      expect(part.conflicts409).toBe(0)
      expect(part.failures).toEqual({})
      expect(part.integrityProblems).toBe(0)
      expect(part.receiverRejected).toBe(0)
    }
    expect(results.passed).toBe(true)
  }, 300_000)
})
