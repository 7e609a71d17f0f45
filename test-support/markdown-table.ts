// Reads a Markdown table of a document, for tests that check a page against the code it describes.

/** The rows of the first table after `heading` in `page`, as trimmed cells (an escaped `\|` stays in its cell). */
export function tableAfter(page: string, heading: string): string[][] {
  const start = page.indexOf(heading)
  if (start < 0) throw new Error(`the page has no "${heading}"`)
  const lines = page.slice(start).split('\n')
  const header = lines.findIndex((line) => line.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim())
    )
  }
  return rows
}
