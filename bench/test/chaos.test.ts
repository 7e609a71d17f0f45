// A small chaos run inside `npm test`: 200 chats, the hop server killed twice with kill -9 and restarted, a replica
// lost for good on Redis, and Live Agent faults all along, 503 hand-overs included (at any moment, kills and chat
// ends too). Nothing may be lost, duplicated or reordered, and every visitor message must get through.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { BENCH_DIR } from '../src/processes/workspace.js'
import { runChaos } from '../src/run/chaos-main.js'

const CHATS = 200
const OUT = join(BENCH_DIR, 'test-artifacts', 'chaos')

describe('chaos, small run (200 chats, 2 kills, a lost replica)', () => {
  it('keeps every message exactly once and in order, with no 409', async () => {
    rmSync(OUT, { recursive: true, force: true })
    mkdirSync(OUT, { recursive: true })
    const results = await runChaos({
      chats: CHATS,
      messages: 6,
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
    const [crash, replicas] = results.parts
    expect(crash!.kills).toHaveLength(2)
    expect(replicas!.kills).toHaveLength(1)
    for (const part of results.parts) {
      expect(part.chats.created).toBe(CHATS)
      expect(part.chats.completed).toBe(CHATS)
      expect(Object.values(part.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
      expect({ lost: part.lost, duplicated: part.duplicated, reordered: part.reordered }).toEqual({
        lost: 0,
        duplicated: 0,
        reordered: 0,
      })
      expect(part.conflicts409).toBe(0)
      expect(part.failures).toEqual({})
      expect(part.integrityProblems).toBe(0)
      expect(part.receiverRejected).toBe(0)
    }
    expect(results.passed).toBe(true)
  }, 300_000)
})
