// The latency picture: one panel per direction, the share of messages per latency bucket (log-spaced buckets),
// the hop server and the baseline side by side, with their p50 / p99 in the legend. Plain SVG, no library.
import type { Histogram, LatencySummary } from '../measure/latency.js'

export interface Series {
  name: string
  color: string
  histogram: Histogram
  summary: LatencySummary
}

export interface Panel {
  title: string
  series: Series[]
}

const WIDTH = 1000
const PANEL_HEIGHT = 300
const MARGIN = { left: 60, right: 20, top: 50, bottom: 50 }
const TITLE_HEIGHT = 40
const FONT = 'font-family="Helvetica, Arial, sans-serif"'

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function bucketLabel(bounds: readonly number[], index: number): string {
  const bound = bounds[index]
  if (bound === undefined) return `>${formatMs(bounds[bounds.length - 1]!)}`
  return `≤${formatMs(bound)}`
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}`
}

/** Trims empty buckets at both ends (shared by every series of the panel). */
function usedRange(series: Series[]): [number, number] {
  const length = series[0]?.histogram.counts.length ?? 0
  let first = length
  let last = -1
  for (const { histogram } of series) {
    histogram.counts.forEach((count, index) => {
      if (count > 0) {
        first = Math.min(first, index)
        last = Math.max(last, index)
      }
    })
  }
  return last < 0 ? [0, Math.min(length - 1, 1)] : [first, last]
}

function panel(p: Panel, top: number): string {
  const [first, last] = usedRange(p.series)
  const buckets = last - first + 1
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom
  const groupWidth = plotWidth / buckets
  const barWidth = (groupWidth * 0.8) / Math.max(1, p.series.length)
  const shares = p.series.map(({ histogram }) => {
    const total = histogram.counts.reduce((sum, count) => sum + count, 0) || 1
    return histogram.counts.map((count) => count / total)
  })
  // Rounded up to a multiple of 20 % so the four grid lines fall on multiples of 5 %.
  const maxShare = Math.ceil(Math.max(0.01, ...shares.flatMap((values) => values.slice(first, last + 1))) * 5) / 5
  const y = (share: number) => top + MARGIN.top + plotHeight * (1 - share / maxShare)
  const parts: string[] = []
  parts.push(
    `<text x="${MARGIN.left}" y="${top + 24}" font-size="16" font-weight="bold" ${FONT}>${escape(p.title)}</text>`
  )
  p.series.forEach((series, s) => {
    const { p50, p99, max, count } = series.summary
    const legend = `${series.name}: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (n=${count})`
    const x = MARGIN.left + 10 + s * 470
    parts.push(`<rect x="${x}" y="${top + 32}" width="12" height="12" fill="${series.color}"/>`)
    parts.push(`<text x="${x + 18}" y="${top + 43}" font-size="12" ${FONT}>${escape(legend)}</text>`)
  })
  for (let tick = 0; tick <= 4; tick++) {
    const share = (maxShare * tick) / 4
    const ty = y(share)
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`)
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${ty + 4}" font-size="11" text-anchor="end" ${FONT}>${(share * 100).toFixed(0)}%</text>`
    )
  }
  for (let index = first; index <= last; index++) {
    const gx = MARGIN.left + (index - first) * groupWidth + groupWidth * 0.1
    p.series.forEach((series, s) => {
      const share = shares[s]![index] ?? 0
      if (share <= 0) return
      const by = y(share)
      const height = top + MARGIN.top + plotHeight - by
      parts.push(
        `<rect x="${(gx + s * barWidth).toFixed(1)}" y="${by.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${series.color}"/>`
      )
    })
    const label = bucketLabel(p.series[0]!.histogram.bounds, index)
    const lx = MARGIN.left + (index - first + 0.5) * groupWidth
    parts.push(
      `<text x="${lx.toFixed(1)}" y="${top + PANEL_HEIGHT - MARGIN.bottom + 16}" font-size="11" text-anchor="middle" ${FONT}>${escape(label)}</text>`
    )
  }
  const axisY = top + MARGIN.top + plotHeight
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`)
  parts.push(
    `<text x="${WIDTH / 2}" y="${top + PANEL_HEIGHT - 12}" font-size="12" text-anchor="middle" ${FONT}>relay latency, ms (bucket upper bound); bars: share of messages</text>`
  )
  return parts.join('\n')
}

export function latencySvg(title: string, panels: Panel[]): string {
  const height = TITLE_HEIGHT + panels.length * PANEL_HEIGHT
  const body = panels.map((p, index) => panel(p, TITLE_HEIGHT + index * PANEL_HEIGHT)).join('\n')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" font-size="18" text-anchor="middle" font-weight="bold" ${FONT}>${escape(title)}</text>`,
    body,
    '</svg>',
  ].join('\n')
}
