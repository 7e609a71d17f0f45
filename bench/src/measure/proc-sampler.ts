// Resident memory and CPU time of the processes under test, read from /proc (Linux): VmRSS from
// /proc/<pid>/status, utime + stime from /proc/<pid>/stat (clock ticks). Sampled on a timer; phases of the run
// mark their start and end so each figure is computed over the right window.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface ProcSample {
  /** Date.now() */
  at: number
  rssKiB: number
  /** The anonymous part of RSS (heap, malloc); the rest is files and shared memory (e.g. SQLite's mmapped -shm). */
  rssAnonKiB: number
  /** utime + stime, in ms */
  cpuMs: number
}

/** Indexes in /proc/<pid>/stat after the ")" that closes comm: state is 0, utime 11, stime 12 (proc(5) fields 14, 15). */
const UTIME_INDEX = 11
const STIME_INDEX = 12
const MS_PER_SECOND = 1000

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** One reading, or undefined when the process is gone. */
export function readProc(pid: number): Omit<ProcSample, 'at'> | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    const anon = /^RssAnon:\s+(\d+)\s+kB/m.exec(status)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may contain spaces and parentheses: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[UTIME_INDEX])
    const stime = Number(fields[STIME_INDEX])
    return {
      rssKiB: Number(rss?.[1] ?? 0),
      rssAnonKiB: Number(anon?.[1] ?? 0),
      cpuMs: ((utime + stime) * MS_PER_SECOND) / ticksPerSecond,
    }
  } catch {
    return undefined
  }
}

export interface WindowFigures {
  durationMs: number
  samples: number
  rssMedianKiB: number
  rssAnonMedianKiB: number
  rssMaxKiB: number
  /** CPU time used over the window / wall time, in percent of one core. */
  cpuPercent: number
  cpuMs: number
}

/** Samples several named processes every `everyMs`. */
export class ProcSampler {
  readonly series = new Map<string, ProcSample[]>()
  private readonly pids = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly everyMs: number) {}

  /** Starts (or, after a restart, continues) sampling `name` at `pid`. */
  watch(name: string, pid: number): void {
    this.pids.set(name, pid)
    if (!this.series.has(name)) this.series.set(name, [])
    this.sampleOne(name, pid)
  }

  start(): void {
    this.timer ??= setInterval(() => this.sampleAll(), this.everyMs)
  }

  /** Samples every process now, all stamped `at`: phase marks call it so each window has exact edges. */
  sampleAll(at = Date.now()): number {
    for (const [name, pid] of this.pids) this.sampleOne(name, pid, at)
    return at
  }

  private sampleOne(name: string, pid: number, at = Date.now()): void {
    const reading = readProc(pid)
    if (reading) this.series.get(name)!.push({ at, ...reading })
  }

  /** Figures of `name` between two Date.now() marks (CPU from the first to the last sample in the window). */
  window(name: string, from: number, to: number): WindowFigures | undefined {
    const samples = (this.series.get(name) ?? []).filter((sample) => sample.at >= from && sample.at <= to)
    const first = samples[0]
    const last = samples[samples.length - 1]
    if (!first || !last) return undefined
    const rss = samples.map((sample) => sample.rssKiB).sort((a, b) => a - b)
    const anon = samples.map((sample) => sample.rssAnonKiB).sort((a, b) => a - b)
    const durationMs = last.at - first.at
    const cpuMs = last.cpuMs - first.cpuMs
    return {
      durationMs,
      samples: samples.length,
      rssMedianKiB: rss[Math.floor(rss.length / 2)]!,
      rssAnonMedianKiB: anon[Math.floor(anon.length / 2)]!,
      rssMaxKiB: rss[rss.length - 1]!,
      cpuPercent: durationMs > 0 ? (100 * cpuMs) / durationMs : 0,
      cpuMs,
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
