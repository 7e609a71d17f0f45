// Reads docs/bridge-contract.md, so that the tests check this package against the page both sides are built from.
import { readFileSync } from 'node:fs'

export const CONTRACT_PAGE = readFileSync(new URL('../../docs/bridge-contract.md', import.meta.url), 'utf8')

/** The rows of the first Markdown table after `heading`, as cells without their backticks. */
export function tableAfter(heading: string): string[][] {
  const start = CONTRACT_PAGE.indexOf(heading)
  if (start < 0) throw new Error(`docs/bridge-contract.md has no "${heading}"`)
  const lines = CONTRACT_PAGE.slice(start).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(first + 2)) {
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

/** The `code` spans of a cell. */
export const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]!)
