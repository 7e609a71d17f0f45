// The CPU profile breakdown of `npm run bench -- --profile` (src/profile/): attribution of self time to groups and
// parts, totals, windows, the top functions, and clear errors for a missing, truncated or foreign profile. The
// profiles are built here by hand, small enough to check every figure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { frameArea } from '../src/profile/attribute.js'
import { selfTimeBreakdown, type SelfTimeBreakdown } from '../src/profile/breakdown.js'
import { CpuProfileError, parseCpuProfile, readCpuProfile, type CpuProfile } from '../src/profile/cpu-profile.js'
import { analyseHopProfile } from '../src/profile/hop-profile.js'
import { mainThreadProfiles } from '../src/profile/profile-files.js'

const REPO = 'file:///home/dev/liveagent-hop'
const START_US = 5_000_000

interface FixtureNode {
  id: number
  functionName: string
  url: string
  line?: number
  children?: number[]
}

/** A profile whose samples take exactly the given µs each, in order (the last one ends at endTime). */
function profileOf(nodes: FixtureNode[], samples: [id: number, us: number][]): CpuProfile {
  const timeDeltas = samples.map((_, index) => (index === 0 ? 0 : samples[index - 1]![1]))
  const total = samples.reduce((sum, [, us]) => sum + us, 0)
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      callFrame: {
        functionName: node.functionName,
        url: node.url,
        lineNumber: node.line ?? 0,
        columnNumber: 0,
        scriptId: node.id,
      } as CpuProfile['nodes'][number]['callFrame'],
      ...(node.children ? { children: node.children } : {}),
    })),
    startTime: START_US,
    endTime: START_US + total,
    samples: samples.map(([id]) => id),
    timeDeltas,
  }
}

const NODES: FixtureNode[] = [
  { id: 1, functionName: '(root)', url: '', children: [2, 3, 4, 5, 19] },
  { id: 2, functionName: '(program)', url: '' },
  { id: 3, functionName: '(garbage collector)', url: '' },
  { id: 4, functionName: '(idle)', url: '' },
  { id: 5, functionName: 'main', url: `${REPO}/hop-server/src/cli.ts`, children: [6, 7, 8, 9, 10, 11, 12, 13, 14, 15] },
  { id: 6, functionName: 'pollOnce', url: `${REPO}/hop-server/src/pump/chat-pump.ts`, line: 41, children: [20] },
  { id: 7, functionName: 'commit', url: `${REPO}/hop-server/src/store/sqlite-store.ts`, line: 9, children: [18] },
  { id: 8, functionName: 'request', url: `${REPO}/node_modules/got/dist/source/core/index.js`, children: [21] },
  { id: 9, functionName: 'ClientRequest', url: 'node:_http_client' },
  { id: 10, functionName: 'route', url: `${REPO}/node_modules/fastify/lib/route.js` },
  { id: 11, functionName: 'write', url: `${REPO}/node_modules/pino/lib/proto.js` },
  { id: 12, functionName: 'push', url: 'node:internal/streams/readable' },
  { id: 13, functionName: 'poll', url: `${REPO}/hop-server/src/backends/live-agent/client.ts` },
  { id: 14, functionName: 'onEvent', url: `${REPO}/hop-server/src/backends/enhanced-chat/stream.ts` },
  { id: 15, functionName: 'observe', url: `${REPO}/node_modules/prom-client/lib/histogram.js`, children: [16, 17] },
  { id: 16, functionName: 'compile', url: `${REPO}/node_modules/@fastify/ajv-compiler/index.js` },
  {
    id: 17,
    functionName: 'dispatch',
    url: 'file:///srv/app/node_modules/@liveagent-hop/hop-server/dist/webhooks/dispatcher.js',
  },
  { id: 18, functionName: 'parse', url: '' },
  { id: 19, functionName: 'writev', url: '' },
  // The same function as node 6, reached through another caller: one entry in the top functions.
  { id: 20, functionName: 'pollOnce', url: `${REPO}/hop-server/src/pump/chat-pump.ts`, line: 41 },
  { id: 21, functionName: 'lookup', url: `${REPO}/node_modules/got/node_modules/cacheable-lookup/index.js` },
]

// µs per node, in sample order (several samples of one node are summed).
const SAMPLES: [number, number][] = [
  [4, 40_000], // idle
  [6, 3_000], // own: pump
  [7, 2_000], // store
  [18, 4_000], // JSON.parse called by the store: store
  [3, 5_000], // GC
  [8, 6_000], // got
  [9, 1_000], // node:_http_client: HTTP out
  [10, 2_000], // fastify: HTTP in
  [11, 1_500], // pino: logging
  [12, 500], // node internals
  [13, 700], // own: backends/live-agent
  [14, 300], // own: backends/enhanced-chat
  [15, 1_000], // prom-client: other node_modules
  [16, 200], // @fastify/*: HTTP in
  [17, 800], // installed hop server: own webhooks
  [19, 100], // native without a caller: node internals
  [2, 1_900], // program
  [20, 1_000], // pump again, other caller
  [21, 400], // got's dependency (nested node_modules): cacheable-lookup, HTTP out
  [5, 600], // own: cli (a top-level file)
  [4, 30_000], // idle again
]

const TOTAL_MS = SAMPLES.reduce((sum, [, us]) => sum + us, 0) / 1000
const IDLE_MS = 70
const BUSY_MS = TOTAL_MS - IDLE_MS

const groupMs = (breakdown: SelfTimeBreakdown) =>
  Object.fromEntries(breakdown.groups.map((group) => [group.group, group.selfMs]))
const partMs = (breakdown: SelfTimeBreakdown, group: string) =>
  Object.fromEntries(breakdown.groups.find((entry) => entry.group === group)!.parts.map((p) => [p.part, p.selfMs]))

describe('CPU profile breakdown', () => {
  const breakdown = selfTimeBreakdown(profileOf(NODES, SAMPLES))

  it('attributes self time to store, HTTP out/in, logging, GC, idle, program, own code, node and packages', () => {
    expect(groupMs(breakdown)).toEqual({
      idle: 70,
      store: 6,
      httpOut: 7.4,
      own: 6.4,
      gc: 5,
      httpIn: 2.2,
      program: 1.9,
      logging: 1.5,
      packages: 1,
      node: 0.6,
    })
    expect(breakdown.groups.map((group) => group.group)).toEqual([
      'httpOut',
      'own',
      'store',
      'gc',
      'httpIn',
      'program',
      'logging',
      'packages',
      'node',
      'idle',
    ])
  })

  it('splits own code by directory, backends one level deeper, and names packages and node modules', () => {
    expect(partMs(breakdown, 'own')).toEqual({
      'hop-server/src/pump': 4,
      'hop-server/src/webhooks': 0.8,
      'hop-server/src/backends/live-agent': 0.7,
      'hop-server/src/cli': 0.6,
      'hop-server/src/backends/enhanced-chat': 0.3,
    })
    expect(partMs(breakdown, 'store')).toEqual({ 'hop-server/src/store': 6 })
    expect(partMs(breakdown, 'httpOut')).toEqual({ got: 6, 'node:_http_client': 1, 'cacheable-lookup': 0.4 })
    expect(partMs(breakdown, 'httpIn')).toEqual({ fastify: 2, '@fastify/ajv-compiler': 0.2 })
    expect(partMs(breakdown, 'packages')).toEqual({ 'prom-client': 1 })
    expect(partMs(breakdown, 'node')).toEqual({ 'node:internal/streams': 0.5, '(native)': 0.1 })
  })

  it('counts a frame without a url for its nearest caller', () => {
    const top = breakdown.topFunctions.find((entry) => entry.functionName === 'parse')!
    expect(top).toMatchObject({ location: '(native)', group: 'store', part: 'hop-server/src/store', selfMs: 4 })
  })

  it('has shares that sum to 100 % of the sampled time, and busy shares to 100 % of the busy time', () => {
    expect(breakdown.sampledMs).toBe(TOTAL_MS)
    expect(breakdown.busyMs).toBe(BUSY_MS)
    expect(breakdown.samples).toBe(SAMPLES.length)
    const percents = breakdown.groups.map((group) => group.percent)
    expect(percents.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1)
    const busy = breakdown.groups.flatMap((group) => (group.busyPercent === undefined ? [] : [group.busyPercent]))
    expect(busy.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1)
    expect(breakdown.groups.find((group) => group.group === 'idle')!.busyPercent).toBeUndefined()
    for (const group of breakdown.groups) {
      const parts = group.parts.reduce((a, b) => a + b.selfMs, 0)
      expect(parts).toBeCloseTo(group.selfMs, 5)
    }
    const own = breakdown.groups.find((group) => group.group === 'own')!
    expect(own.parts.reduce((a, b) => a + b.busyPercent!, 0)).toBeCloseTo(own.busyPercent!, 1)
    const store = breakdown.groups.find((group) => group.group === 'store')!
    expect(store.percent).toBe(Math.round((6 / TOTAL_MS) * 10_000) / 100)
    expect(store.busyPercent).toBe(Math.round((6 / BUSY_MS) * 10_000) / 100)
  })

  it('lists the top functions by self time without idle, merging one function reached through two callers', () => {
    expect(breakdown.topFunctions).toHaveLength(15)
    expect(breakdown.topFunctions[0]).toMatchObject({ functionName: 'request', group: 'httpOut', selfMs: 6 })
    expect(breakdown.topFunctions.map((entry) => entry.functionName)).not.toContain('(idle)')
    const pump = breakdown.topFunctions.filter((entry) => entry.functionName === 'pollOnce')
    expect(pump).toEqual([expect.objectContaining({ selfMs: 4, location: 'hop-server/src/pump/chat-pump.ts:42' })])
    const ms = breakdown.topFunctions.map((entry) => entry.selfMs)
    expect(ms).toEqual([...ms].sort((a, b) => b - a))
    expect(selfTimeBreakdown(profileOf(NODES, SAMPLES), { top: 3 }).topFunctions).toHaveLength(3)
  })

  it('counts only the samples inside a window', () => {
    // From the pump sample (the 2nd, at START + 40 ms) up to the GC sample (the 5th, at START + 49 ms), excluded.
    const window = selfTimeBreakdown(profileOf(NODES, SAMPLES), {
      fromUs: START_US + 40_000,
      toUs: START_US + 49_000,
    })
    expect(groupMs(window)).toEqual({ own: 3, store: 6 })
    expect(window).toMatchObject({ samples: 3, sampledMs: 9, busyMs: 9, fromUs: START_US + 40_000 })
    expect(() => selfTimeBreakdown(profileOf(NODES, SAMPLES), { fromUs: 0, toUs: START_US })).toThrow(
      /no samples between 0 and 5000000 µs/
    )
  })

  it('reads node: urls, node_modules paths and hop-server files as the rules say', () => {
    const area = (url: string, functionName = 'f') => frameArea({ functionName, url, lineNumber: 0, columnNumber: 0 })
    expect(area('node:_http_server')).toEqual({ group: 'httpIn', part: 'node:_http_server' })
    expect(area('node:internal/tls/secure-context')).toEqual({ group: 'httpOut', part: 'node:internal/tls' })
    expect(area('node:internal/deps/undici/undici')).toEqual({ group: 'httpOut', part: 'node:internal/deps/undici' })
    expect(area('node:events')).toEqual({ group: 'node', part: 'node:events' })
    expect(area(`${REPO}/node_modules/ioredis/built/Redis.js`)).toEqual({ group: 'store', part: 'ioredis' })
    expect(area(`${REPO}/node_modules/better-sqlite3/lib/methods/transaction.js`)).toMatchObject({ group: 'store' })
    expect(area(`${REPO}/node_modules/sonic-boom/index.js`)).toEqual({ group: 'logging', part: 'sonic-boom' })
    expect(area(`${REPO}/node_modules/find-my-way/index.js`)).toEqual({ group: 'httpIn', part: 'find-my-way' })
    expect(area(`${REPO}/node_modules/light-my-request/index.js`)).toMatchObject({ group: 'httpIn' })
    expect(area(`${REPO}/node_modules/undici/lib/core/request.js`)).toEqual({ group: 'httpOut', part: 'undici' })
    expect(area(`${REPO}/node_modules/xstate/dist/index.js`)).toEqual({ group: 'packages', part: 'xstate' })
    expect(area(`${REPO}/hop-server/src/security/replay-guard.ts`)).toEqual({
      group: 'own',
      part: 'hop-server/src/security',
    })
    expect(area(`${REPO}/hop-server/dist/http/app.js`)).toEqual({ group: 'own', part: 'hop-server/src/http' })
    expect(area(`${REPO}/hop-server/src/backends/registry.ts`)).toEqual({
      group: 'own',
      part: 'hop-server/src/backends',
    })
    expect(area(`${REPO}/bridge-contract/src/signing.ts`)).toEqual({
      group: 'other',
      part: 'bridge-contract/src/signing.ts',
    })
    expect(area('', '(garbage collector)')).toEqual({ group: 'gc', part: '(garbage collector)' })
    expect(area('', 'JSON.parse')).toBeUndefined()
  })
})

describe('CPU profile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const text = JSON.stringify(profileOf(NODES, SAMPLES))

  it('refuses a truncated, empty, foreign or inconsistent profile with a sentence', () => {
    expect(() => parseCpuProfile(text.slice(0, text.length / 2), 'x.cpuprofile')).toThrow(
      /^x\.cpuprofile is not a complete CPU profile \(.+\); was the profiled process killed while writing it\?$/
    )
    expect(() => parseCpuProfile('', 'x.cpuprofile')).toThrow('x.cpuprofile is not a complete CPU profile (the file')
    expect(() => parseCpuProfile('{"hello":1}', 'x.cpuprofile')).toThrow(/^x\.cpuprofile is not a V8 CPU profile: /)
    const lopsided = { ...JSON.parse(text), timeDeltas: [0] }
    expect(() => parseCpuProfile(JSON.stringify(lopsided), 'x.cpuprofile')).toThrow(/21 samples but 1 time deltas/)
    const dangling = { ...JSON.parse(text), samples: [...JSON.parse(text).samples.slice(1), 99] }
    expect(() => parseCpuProfile(JSON.stringify(dangling), 'x.cpuprofile')).toThrow(/names node 99/)
    for (const bad of ['', '{"hello":1}']) expect(() => parseCpuProfile(bad, 'x')).toThrow(CpuProfileError)
  })

  it('says so when the file or the folder is missing', () => {
    expect(() => readCpuProfile(join(dir, 'absent.cpuprofile'))).toThrow(/cannot read the CPU profile .*ENOENT/)
    expect(() => mainThreadProfiles(join(dir, 'absent'))).toThrow(/no CPU profile folder .*ENOENT/)
    expect(() => mainThreadProfiles(dir)).toThrow(/no main-thread CPU profile in .*did not exit normally/)
  })

  it('picks the main thread, and the analysis reports a truncated profile instead of throwing', () => {
    const main = join(dir, 'CPU.20261130.160733.402.0.001.cpuprofile')
    writeFileSync(join(dir, 'CPU.20261130.160734.402.1.002.cpuprofile'), '{}')
    writeFileSync(main, text)
    writeFileSync(join(dir, 'notes.txt'), 'not a profile')
    expect(mainThreadProfiles(dir)).toEqual([main])
    const analysed = analyseHopProfile(dir, { idle: [START_US + 40_000, START_US + 49_000], exchange: [0, 1] })
    expect(analysed.file).toBe(main)
    expect(analysed.windows.whole?.sampledMs).toBe(TOTAL_MS)
    expect(analysed.windows.idle?.sampledMs).toBe(9)
    expect(analysed.windows.exchange).toBeUndefined()
    expect(analysed.errors).toEqual([expect.stringMatching(/^exchange window: the CPU profile has no samples/)])

    writeFileSync(main, text.slice(0, 100))
    const truncated = analyseHopProfile(dir, {})
    expect(truncated.windows).toEqual({})
    expect(truncated.errors).toEqual([expect.stringMatching(/is not a complete CPU profile/)])
  })
})
