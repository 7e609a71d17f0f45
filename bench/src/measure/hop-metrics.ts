// The hop server's own view of its memory, from its Prometheus endpoint (prom-client default metrics): how much
// of the resident memory is live JavaScript heap, and how much is heap slack, buffers and native memory.
import { JsonClient } from '../http/json-client.js'

export interface HeapReading {
  heapUsedBytes: number
  heapTotalBytes: number
  externalBytes: number
}

const METRICS = {
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  heapTotalBytes: 'nodejs_heap_size_total_bytes',
  externalBytes: 'nodejs_external_memory_bytes',
} as const

const client = new JsonClient({ keepAlive: false, timeoutMs: 10_000 })

export async function readHeap(baseUrl: string): Promise<HeapReading | undefined> {
  const response = await client.request('GET', `${baseUrl}/metrics`).catch(() => undefined)
  const text = typeof response?.body.text === 'string' ? response.body.text : undefined
  if (!text) return undefined
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  return {
    heapUsedBytes: value(METRICS.heapUsedBytes),
    heapTotalBytes: value(METRICS.heapTotalBytes),
    externalBytes: value(METRICS.externalBytes),
  }
}
