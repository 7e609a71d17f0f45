// Plain-text tables for the terminal summary.

/** Labels (the first column, and any in `leftColumns`) are left-aligned, figures right-aligned. */
export function table(header: string[], rows: string[][], leftColumns: readonly number[] = []): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)))
  const left = (column: number) => column === 0 || leftColumns.includes(column)
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (left(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return '–'
  if (!Number.isFinite(value)) return '∞'
  return value.toFixed(digits)
}

/** baseline / hop, shown as "12.3×" (how many times the baseline's figure the hop server's is better). */
export function ratio(baseline: number | undefined, hop: number | undefined): string {
  if (baseline === undefined || hop === undefined || Number.isNaN(baseline) || Number.isNaN(hop)) return '–'
  if (hop === 0) return baseline === 0 ? '1.0×' : '∞'
  return `${(baseline / hop).toFixed(1)}×`
}
