// A small bench run inside `npm test`: 200 chats through the real hop server and the naive baseline processes.
// A correctness check of the whole chain (and of the harness, its CPU profile included), never a timing one.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { BENCH_DIR } from '../src/processes/workspace.js'
import { writeBenchFiles, summaryTable } from '../src/report/bench-report.js'
import { profileSummary } from '../src/report/profile-report.js'
import { runBench } from '../src/run/bench-main.js'
import { integrityProblems } from '../src/run/verify.js'

const CHATS = 200
const MESSAGES = 3
const OUT = join(BENCH_DIR, 'test-artifacts', 'bench')

describe('bench, small run (200 chats)', () => {
  it('relays every message exactly once and in order through both bridges, and writes its report', async () => {
    rmSync(OUT, { recursive: true, force: true })
    mkdirSync(OUT, { recursive: true })
    const results = await runBench({
      chats: CHATS,
      messages: MESSAGES,
      thinkMs: [100, 400],
      rampPerSec: 400,
      // Longer than the hold: every idle chat completes at least one poll in the window.
      idleMs: 2500,
      holdMs: 2000,
      targets: ['hop', 'baseline'],
      outDir: OUT,
      progress: false,
      // The hop server under the CPU profiler: its graceful stop must leave a profile the bench can break down.
      profile: true,
    })
    for (const target of ['hop', 'baseline'] as const) {
      const result = results.results[target]!
      expect(result.failures).toEqual({})
      expect(result.chats).toMatchObject({ created: CHATS, joined: CHATS, ended: CHATS })
      // The target's name in the compared value, so a failure says which bridge it was.
      expect([target, result.chats.endReasons]).toEqual([target, { visitor: CHATS / 2, agent: CHATS / 2 }])
      expect(result.integrity.visitorToAgent).toMatchObject({ expected: CHATS * MESSAGES, delivered: CHATS * MESSAGES })
      expect(result.integrity.agentToVisitor).toMatchObject({ expected: CHATS * MESSAGES, delivered: CHATS * MESSAGES })
      expect(integrityProblems(result.integrity)).toBe(0)
      expect(result.mock.conflicts409).toBe(0)
      expect(result.receiver.rejected).toBe(0)
      expect(result.latencyMs.agentToVisitor.count).toBe(CHATS * MESSAGES)
      expect(result.latencyMs.visitorToAgent.count).toBe(CHATS * MESSAGES)
      expect(result.resources.idle?.pollsPerSec).toBeGreaterThan(0)
      expect(result.resources.rssPeakKiB).toBeGreaterThan(result.resources.rssEmptyKiB)
    }
    // The hop server speaks the strict protocol; the baseline's per-poll ack shows up as the peers' known mistake.
    expect(results.results.hop!.mock.violations).toEqual({})
    expect(results.results.baseline!.mock.violations['ack-ahead']).toBeGreaterThan(0)
    const profile = results.results.hop!.cpuProfile!
    expect(profile.errors).toBeUndefined()
    expect(Object.keys(profile.windows).sort()).toEqual(['exchange', 'idle', 'whole'])
    const exchangeAreas = profile.windows.exchange!.groups.map((group) => group.group)
    expect(exchangeAreas).toEqual(expect.arrayContaining(['store', 'httpOut', 'httpIn', 'own', 'idle']))
    expect(profile.windows.exchange!.topFunctions.length).toBeGreaterThan(0)
    expect(results.results.baseline!.cpuProfile).toBeUndefined()
    expect(Object.keys(results.ratios)).toEqual(expect.arrayContaining(['agentToVisitor.p99', 'rssPerIdleChat']))

    const stem = join(OUT, 'small-run')
    const { files } = await writeBenchFiles(results, stem)
    expect(files).toEqual(expect.arrayContaining([`${stem}.json`, `${stem}.svg`]))
    for (const file of files) expect(existsSync(file)).toBe(true)
    expect(summaryTable(results)).toContain('visitor→agent p99')
    expect(profileSummary(profile)).toContain('CPU profile of the hop server, exchange window')
  }, 240_000)
})
