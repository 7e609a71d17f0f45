// Reads docs/bridge-contract.md, so that the tests check this package against the page both sides are built from.
import { readFileSync } from 'node:fs'
import { tableAfter as readTable } from '../../test-support/markdown-table.js'

export const CONTRACT_PAGE = readFileSync(new URL('../../docs/bridge-contract.md', import.meta.url), 'utf8')

/** The rows of the first Markdown table after `heading` on the contract page, as trimmed cells. */
export const tableAfter = (heading: string): string[][] => readTable(CONTRACT_PAGE, heading)

/** The `code` spans of a cell. */
export const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]!)
