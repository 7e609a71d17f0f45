// The hop server's own view of itself, from its Prometheus endpoint (prom-client default metrics): how much of
// the resident memory is live JavaScript heap, how long its event loop stalled, how much time went to garbage
// collection. These attribute the latency tail and the memory per chat to their causes.
import { JsonClient } from '../http/json-client.js'

export interface GcFigures {
  count: number
  totalMs: number
  /** Pauses longer than 100 ms and than 1 s (from the histogram buckets). */
  over100ms: number
  over1s: number
}

export interface HopMetricsReading {
  heapUsedBytes: number
  heapTotalBytes: number
  externalBytes: number
  /** Event-loop delay since the previous scrape (prom-client resets it on every scrape), its timer period removed. */
  loopDelayMs: { p99: number; max: number }
  /** Cumulative since the process started; subtract two readings for a window. */
  gc: Record<string, GcFigures>
}

/** prom-client samples the event loop with a 10 ms timer; each reading includes that period. */
const LOOP_RESOLUTION_MS = 10
const MS_PER_SECOND = 1000
const client = new JsonClient({ keepAlive: false, timeoutMs: 10_000 })

export async function readHopMetrics(baseUrl: string): Promise<HopMetricsReading | undefined> {
  const response = await client.request('GET', `${baseUrl}/metrics`).catch(() => undefined)
  const text = typeof response?.body.text === 'string' ? response.body.text : undefined
  if (!text) return undefined
  const value = (name: string, labels = '') =>
    Number(new RegExp(`^${name}${labels ? `\\{${labels}\\}` : '(?:\\{[^}]*\\})?'} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  const loop = (name: string) => Math.max(0, value(name) * MS_PER_SECOND - LOOP_RESOLUTION_MS)
  const gc: Record<string, GcFigures> = {}
  for (const kind of ['minor', 'major', 'incremental']) {
    const bucket = (le: string) => value('nodejs_gc_duration_seconds_bucket', `le="${le}",kind="${kind}"`)
    const count = value('nodejs_gc_duration_seconds_count', `kind="${kind}"`)
    if (Number.isNaN(count)) continue
    gc[kind] = {
      count,
      totalMs: value('nodejs_gc_duration_seconds_sum', `kind="${kind}"`) * MS_PER_SECOND,
      over100ms: count - bucket('0.1'),
      over1s: count - bucket('1'),
    }
  }
  return {
    heapUsedBytes: value('nodejs_heap_size_used_bytes'),
    heapTotalBytes: value('nodejs_heap_size_total_bytes'),
    externalBytes: value('nodejs_external_memory_bytes'),
    loopDelayMs: { p99: loop('nodejs_eventloop_lag_p99_seconds'), max: loop('nodejs_eventloop_lag_max_seconds') },
    gc,
  }
}

/** GC in the window between two readings. */
export function gcBetween(from: HopMetricsReading, to: HopMetricsReading): Record<string, GcFigures> {
  const out: Record<string, GcFigures> = {}
  for (const [kind, end] of Object.entries(to.gc)) {
    const start = from.gc[kind] ?? { count: 0, totalMs: 0, over100ms: 0, over1s: 0 }
    out[kind] = {
      count: end.count - start.count,
      totalMs: Math.round(end.totalMs - start.totalMs),
      over100ms: end.over100ms - start.over100ms,
      over1s: end.over1s - start.over1s,
    }
  }
  return out
}
