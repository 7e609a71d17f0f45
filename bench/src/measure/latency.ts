// Latency samples: exact percentiles (nearest rank over the sorted samples) and a log-spaced histogram for the
// picture. Samples are whole milliseconds: both ends are Date.now() readings in different processes.

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
  const sum = sorted.reduce((total, value) => total + value, 0)
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[sorted.length - 1]!,
    mean: Math.round((sum / sorted.length) * 100) / 100,
  }
}

/** Bucket upper bounds in ms: 0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, … up to 60 s; then +Inf. */
export const BUCKET_BOUNDS_MS: readonly number[] = (() => {
  const bounds = [0]
  for (let decade = 1; decade <= 10_000; decade *= 10)
    for (const step of [1, 1.5, 2, 3, 5, 7]) bounds.push(step * decade)
  bounds.push(60_000)
  return [...new Set(bounds.map((bound) => Math.round(bound)))].sort((a, b) => a - b)
})()

export interface Histogram {
  /** bucket i counts samples s with bounds[i-1] < s <= bounds[i]; the last bucket is everything above. */
  bounds: readonly number[]
  counts: number[]
}

export function histogram(samples: readonly number[]): Histogram {
  const counts = new Array<number>(BUCKET_BOUNDS_MS.length + 1).fill(0)
  for (const sample of samples) {
    let index = BUCKET_BOUNDS_MS.findIndex((bound) => sample <= bound)
    if (index < 0) index = BUCKET_BOUNDS_MS.length
    counts[index]!++
  }
  return { bounds: BUCKET_BOUNDS_MS, counts }
}
