// The small chaos run inside `npm test`, whatever the backend: the hop server killed twice with kill -9 and restarted
// (SQLite), then a replica lost for good (Redis), with the backend's faults all along. Nothing may be lost,
// duplicated or reordered, every chat must complete, and nothing may break the backend's rules. One file per backend
// calls it, so that Jest may run the two in parallel.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { BENCH_DIR } from '../../src/processes/workspace.js'
import type { BackendName } from '../../src/run/backend.js'
import { runChaos, type ChaosPartResult } from '../../src/run/chaos-main.js'

const KILLS = 2
/** A whole run with restarts on a busy machine. */
const RUN_TIMEOUT_MS = 300_000

export interface SmallChaos {
  backend: BackendName
  /** The describe's name: what this backend's run is. */
  title: string
  /** The test's name: what it shows beyond the common checks. */
  claim: string
  chats: number
  messages: number
  /** The artefacts' folder under bench/test-artifacts. */
  artifacts: string
  /** What this backend's run must show beyond the common checks. */
  expectMore?: (part: ChaosPartResult) => void
}

export function describeSmallChaos(run: SmallChaos): void {
  const outDir = join(BENCH_DIR, 'test-artifacts', run.artifacts)
  describe(run.title, () => {
    it(
      run.claim,
      async () => {
        rmSync(outDir, { recursive: true, force: true })
        mkdirSync(outDir, { recursive: true })
        const results = await runChaos({
          backend: run.backend,
          chats: run.chats,
          messages: run.messages,
          thinkMs: [200, 800],
          kills: KILLS,
          downMs: [100, 1000],
          holdMs: 2000,
          faultEveryMs: 200,
          parts: ['crash', 'replicas'],
          endUnread: false,
          outDir,
          progress: false,
        })
        expect(results.backend).toBe(run.backend)
        const [crash, replicas] = results.parts
        expect(crash!.kills).toHaveLength(KILLS)
        expect(replicas!.kills).toHaveLength(1)
        for (const part of results.parts) {
          expect(part.incomplete).toEqual([])
          expect(part.chats.created).toBe(run.chats)
          expect(part.chats.completed).toBe(run.chats)
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
          run.expectMore?.(part)
        }
        expect(results.passed).toBe(true)
      },
      RUN_TIMEOUT_MS
    )
  })
}
