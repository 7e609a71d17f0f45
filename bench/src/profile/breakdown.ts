// Self time of a CPU profile by group and part (areas.ts, attribute.ts), over the whole profile or a window of
// it, and the functions with the most self time. A sample's time is the gap to the next sample (the last one: to
// the profile's end), as Chrome DevTools and speedscope count it. Native frames without a url (built-ins, addon
// methods) count for their nearest JavaScript caller: JSON.parse called by the store is store time.
import { GROUPS, type GroupId } from './areas.js'
import { frameArea, UNCALLED_NATIVE, type Area } from './attribute.js'
import { CpuProfileError, type CallFrame, type CpuProfile } from './cpu-profile.js'

export interface PartTime {
  part: string
  selfMs: number
  /** Of all sampled time in the window (idle included). */
  percent: number
  /** Of the busy time (sampled minus idle); absent for idle itself. */
  busyPercent?: number
}

export interface GroupTime {
  group: GroupId
  label: string
  selfMs: number
  /** Of all sampled time in the window (idle included). */
  percent: number
  /** Of the busy time (sampled minus idle); absent for idle itself. */
  busyPercent?: number
  /** Largest first. */
  parts: PartTime[]
}

export interface FunctionTime {
  functionName: string
  /** `pump/chat-pump.ts:120`, `got/dist/source/core/index.js:88`, `node:_http_client:301`, or `(native)`. */
  location: string
  group: GroupId
  part: string
  selfMs: number
  percent: number
  busyPercent: number
}

export interface SelfTimeBreakdown {
  /** The span the samples cover, in the profiled process's monotonic clock (µs). */
  fromUs: number
  toUs: number
  samples: number
  sampledMs: number
  /** Sampled time minus (idle). */
  busyMs: number
  /** Largest first, idle last; groups with no time left out. `percent` sums to 100, and `busyPercent` too. */
  groups: GroupTime[]
  /** The most self time first, (idle) left out. */
  topFunctions: FunctionTime[]
}

export interface BreakdownOptions {
  /** Only samples taken at or after this time (µs, the profile's clock). */
  fromUs?: number
  /** Only samples taken before this time. */
  toUs?: number
  /** How many functions in `topFunctions` (default 15). */
  top?: number
}

const DEFAULT_TOP = 15
const US_PER_MS = 1000
const ROOT = '(root)'

export function selfTimeBreakdown(profile: CpuProfile, options: BreakdownOptions = {}): SelfTimeBreakdown {
  const from = options.fromUs ?? -Infinity
  const to = options.toUs ?? Infinity
  const areas = nodeAreas(profile)
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const byNode = new Map<number, number>()
  let samples = 0
  let first = Infinity
  let last = -Infinity
  let at = profile.startTime
  for (let index = 0; index < profile.samples.length; index++) {
    at += profile.timeDeltas[index]!
    const next = index + 1 < profile.samples.length ? at + profile.timeDeltas[index + 1]! : profile.endTime
    if (at < from || at >= to) continue
    // V8 can emit a sample slightly out of order; a negative gap counts as none.
    const weight = Math.max(0, next - at)
    const id = profile.samples[index]!
    byNode.set(id, (byNode.get(id) ?? 0) + weight)
    samples += 1
    first = Math.min(first, at)
    last = Math.max(last, at + weight)
  }
  if (samples === 0) throw new CpuProfileError(`the CPU profile has no samples ${describeWindow(options)}`)

  const groups = new Map<GroupId, Map<string, number>>()
  const functions = new Map<string, { frame: CallFrame; area: Area; us: number }>()
  let totalUs = 0
  for (const [id, us] of byNode) {
    const area = areas.get(id)!
    const parts = groups.get(area.group) ?? new Map<string, number>()
    parts.set(area.part, (parts.get(area.part) ?? 0) + us)
    groups.set(area.group, parts)
    totalUs += us
    const frame = frames.get(id)!
    if (area.group === 'idle') continue
    const key = `${frame.functionName}\0${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}\0${area.part}`
    const entry = functions.get(key) ?? { frame, area, us: 0 }
    entry.us += us
    functions.set(key, entry)
  }
  const idleUs = sum(groups.get('idle')?.values() ?? [])
  const busyUs = totalUs - idleUs
  const percent = (us: number, of: number) => (of > 0 ? round((us / of) * 100) : 0)
  const ms = (us: number) => round(us / US_PER_MS)

  const groupTimes: GroupTime[] = [...groups]
    .filter(([, parts]) => sum(parts.values()) > 0)
    .map(([group, parts]) => {
      const us = sum(parts.values())
      return {
        group,
        label: GROUPS[group],
        selfMs: ms(us),
        percent: percent(us, totalUs),
        ...(group === 'idle' ? {} : { busyPercent: percent(us, busyUs) }),
        parts: [...parts]
          .sort((a, b) => b[1] - a[1])
          .map(([part, partUs]) => ({
            part,
            selfMs: ms(partUs),
            percent: percent(partUs, totalUs),
            ...(group === 'idle' ? {} : { busyPercent: percent(partUs, busyUs) }),
          })),
      }
    })
    // Idle is not work: it goes last, after the areas that used the CPU.
    .sort((a, b) => Number(a.group === 'idle') - Number(b.group === 'idle') || b.selfMs - a.selfMs)

  const topFunctions = [...functions.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, options.top ?? DEFAULT_TOP)
    .map(({ frame, area, us }) => ({
      functionName: frame.functionName || '(anonymous)',
      location: location(frame),
      group: area.group,
      part: area.part,
      selfMs: ms(us),
      percent: percent(us, totalUs),
      busyPercent: percent(us, busyUs),
    }))

  return {
    fromUs: first,
    toUs: last,
    samples,
    sampledMs: ms(totalUs),
    busyMs: ms(busyUs),
    groups: groupTimes,
    topFunctions,
  }
}

/** Every node's area; a node without a url takes its nearest caller's (UNCALLED_NATIVE when it has none). */
function nodeAreas(profile: CpuProfile): Map<number, Area> {
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const areas = new Map<number, Area>()
  const resolve = (id: number): Area => {
    const known = areas.get(id)
    if (known) return known
    // Walk up to the first frame that decides, then give every native frame on the way the same area.
    const pending: number[] = []
    let current: number | undefined = id
    let area: Area | undefined
    while (current !== undefined) {
      const node = byId.get(current)
      // The root decides only for itself: a native frame right under it has no JavaScript caller.
      if (current !== id && node?.callFrame.functionName === ROOT) break
      const cached = areas.get(current)
      if (cached) {
        area = cached
        break
      }
      pending.push(current)
      area = node ? frameArea(node.callFrame) : undefined
      if (area) break
      current = parent.get(current)
    }
    const decided = area ?? UNCALLED_NATIVE
    for (const pendingId of pending) areas.set(pendingId, decided)
    return decided
  }
  for (const node of profile.nodes) resolve(node.id)
  return areas
}

/** A short place for a frame: the path inside its package or the hop server, with a 1-based line. */
function location(frame: CallFrame): string {
  if (frame.url === '') return '(native)'
  let where = frame.url
  if (where.startsWith('file://')) {
    const path = decodeURIComponent(where.slice('file://'.length))
    const inModules = path.lastIndexOf('/node_modules/')
    const inHop = path.lastIndexOf('/hop-server/')
    where =
      inModules >= 0
        ? path.slice(inModules + '/node_modules/'.length)
        : inHop >= 0
          ? path.slice(inHop + 1)
          : path.split('/').slice(-3).join('/')
  }
  return `${where}:${frame.lineNumber + 1}`
}

function describeWindow(options: BreakdownOptions): string {
  if (options.fromUs === undefined && options.toUs === undefined) return 'at all'
  return `between ${options.fromUs ?? 'its start'} and ${options.toUs ?? 'its end'} µs`
}

function sum(values: Iterable<number>): number {
  let total = 0
  for (const value of values) total += value
  return total
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
