// The hop server's CPU profile (and heap snapshot) in the bench's output: a short table on the terminal (the exchange window, where a
// regression per message shows), and every window in full in <stem>-profile.md next to the JSON results.
import { writeFileSync } from 'node:fs'
import type { SelfTimeBreakdown } from '../profile/breakdown.js'
import type { HopHeap } from '../profile/hop-heap.js'
import type { HopCpuProfile, ProfileWindow } from '../profile/hop-profile.js'
import { fmt, table } from './table.js'

const WINDOW_TITLES: Record<ProfileWindow, string> = {
  exchange: 'exchange window (messages both ways)',
  idle: 'idle window (every chat open, nothing said)',
  whole: "the hop server's whole life (start, ramp, idle, exchange, end, stop)",
}
/** The terminal shows the window a per-message regression lands in, or the whole run when it is missing. */
const TERMINAL_ORDER: ProfileWindow[] = ['exchange', 'whole']
const MARKDOWN_ORDER: ProfileWindow[] = ['exchange', 'idle', 'whole']
const PARTS_ON_TERMINAL = 3
const PARTS_COLUMN = 4
/** function, where, area */
const FUNCTION_LABEL_COLUMNS = [1, 2]

const percent = (value: number | undefined) => (value === undefined ? '' : `${fmt(value, 1)} %`)

export function profileSummary(profile: HopCpuProfile): string {
  const lines: string[] = []
  const name = TERMINAL_ORDER.find((window) => profile.windows[window])
  const breakdown = name ? profile.windows[name] : undefined
  if (name && breakdown) {
    lines.push(`CPU profile of the hop server, ${WINDOW_TITLES[name]}: ${headline(breakdown)}`)
    lines.push('')
    lines.push(
      table(
        ['area', 'self ms', '% of sampled', '% of busy', 'largest parts'],
        breakdown.groups.map((group) => [
          group.label,
          fmt(group.selfMs, 0),
          percent(group.percent),
          percent(group.busyPercent),
          group.parts
            .slice(0, PARTS_ON_TERMINAL)
            .map((part) => `${part.part} ${fmt(part.selfMs, 0)}`)
            .join(', '),
        ]),
        [PARTS_COLUMN]
      )
    )
    lines.push('')
    lines.push(`top ${breakdown.topFunctions.length} functions by self time:`)
    lines.push(functionTable(breakdown, (header, rows) => table(header, rows, FUNCTION_LABEL_COLUMNS)))
  }
  for (const error of profile.errors ?? []) lines.push(`CPU profile: ${error}`)
  if (profile.file) lines.push(`profile: ${profile.file} (open it in Chrome DevTools or speedscope)`)
  return lines.join('\n')
}

export function writeProfileMarkdown(profile: HopCpuProfile, file: string): void {
  const sections = ['# CPU profile of the hop server', '']
  if (profile.file)
    sections.push(`Profile: \`${profile.file}\` (Chrome DevTools → Performance → Load profile, or speedscope).`, '')
  for (const error of profile.errors ?? []) sections.push(`- Not analysed: ${error}`)
  for (const name of MARKDOWN_ORDER) {
    const breakdown = profile.windows[name]
    if (!breakdown) continue
    sections.push(`## ${WINDOW_TITLES[name]}`, '', headline(breakdown), '')
    const rows: string[][] = []
    for (const group of breakdown.groups) {
      rows.push([`**${group.label}**`, fmt(group.selfMs, 1), percent(group.percent), percent(group.busyPercent)])
      for (const part of group.parts)
        rows.push([`↳ ${part.part}`, fmt(part.selfMs, 1), percent(part.percent), percent(part.busyPercent)])
    }
    sections.push(markdownTable(['area / part', 'self ms', '% of sampled', '% of busy'], rows), '')
    sections.push(`Top ${breakdown.topFunctions.length} functions by self time:`, '')
    sections.push(functionTable(breakdown, markdownTable), '')
  }
  writeFileSync(file, `${sections.join('\n')}\n`)
}

function headline(breakdown: SelfTimeBreakdown): string {
  const seconds = (ms: number) => `${fmt(ms / 1000, 1)} s`
  return `${seconds(breakdown.sampledMs)} sampled, ${seconds(breakdown.busyMs)} busy (${breakdown.samples} samples)`
}

function functionTable(breakdown: SelfTimeBreakdown, render: (header: string[], rows: string[][]) => string): string {
  return render(
    ['function', 'where', 'area', 'self ms', '% of busy'],
    breakdown.topFunctions.map((entry) => [
      entry.functionName,
      entry.location,
      entry.part,
      fmt(entry.selfMs, 1),
      percent(entry.busyPercent),
    ])
  )
}

function markdownTable(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|')
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`
  return [
    line(header),
    `|${header.map((_, index) => (index === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map(line),
  ].join('\n')
}

const KIB = 1024

export function heapSummary(heap: HopHeap): string {
  const lines: string[] = []
  if (heap.summary) {
    lines.push(
      `Heap of the hop server at the end of the idle window (${heap.openChats} chats open): ` +
        `${fmt(heap.summary.totalBytes / KIB / KIB, 1)} MiB reachable in ${heap.summary.objects} objects`
    )
    lines.push('')
    lines.push(heapTable(heap, table))
  }
  for (const error of heap.errors ?? []) lines.push(`heap snapshot: ${error}`)
  if (heap.file) lines.push(`snapshot: ${heap.file} (Chrome DevTools → Memory → Load)`)
  return lines.join('\n')
}

export function writeHeapMarkdown(heap: HopHeap, file: string): void {
  const sections = ['# Heap of the hop server at the end of the idle window', '']
  if (heap.file) sections.push(`Snapshot: \`${heap.file}\` (Chrome DevTools → Memory → Load).`, '')
  for (const error of heap.errors ?? []) sections.push(`- Not analysed: ${error}`)
  if (heap.summary) {
    sections.push(
      `${heap.openChats} chats open; ${fmt(heap.summary.totalBytes / KIB / KIB, 1)} MiB reachable in ` +
        `${heap.summary.objects} objects. Retained size by constructor (what the heap would lose with every ` +
        'object of that constructor), largest first:',
      ''
    )
    sections.push(heapTable(heap, markdownTable), '')
  }
  writeFileSync(file, `${sections.join('\n')}\n`)
}

function heapTable(heap: HopHeap, render: (header: string[], rows: string[][]) => string): string {
  const summary = heap.summary!
  const perChat = (bytes: number) => (heap.openChats ? fmt(bytes / KIB / heap.openChats, 2) : '–')
  return render(
    ['constructor', 'objects', 'self KiB', 'retained KiB', '% of heap', 'retained ÷ open chats (KiB)'],
    summary.constructors.map((entry) => [
      entry.name,
      String(entry.count),
      fmt(entry.selfBytes / KIB, 0),
      fmt(entry.retainedBytes / KIB, 0),
      percent((entry.retainedBytes / summary.totalBytes) * 100),
      perChat(entry.retainedBytes),
    ])
  )
}
