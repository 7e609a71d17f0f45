// Housekeeping of the pact files the consumer tests write.
//
// Pact merges each test's interactions into the file. Pact 16.5 sometimes keeps two copies of the same interaction
// (one read back from the file, one from memory, with bodies hashed differently), so a file can list an
// interaction as many times as tests used it. The copies are identical; `tidyPactFile` keeps the first of each.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PactDocument {
  consumer: { name: string }
  provider: { name: string }
  interactions: Record<string, unknown>[]
  metadata?: Record<string, unknown>
}

const JSON_INDENT = 2

/** JSON with object keys sorted, so two equal interactions give the same text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner
  )
}

/** The interactions without repeats (deep equality), in their first order. */
export function uniqueInteractions(interactions: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>()
  return interactions.filter((interaction) => {
    const key = canonicalJson(interaction)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export function readPact(file: string): PactDocument {
  const pact = JSON.parse(readFileSync(file, 'utf8')) as PactDocument
  if (!pact.consumer?.name || !pact.provider?.name || !Array.isArray(pact.interactions))
    throw new Error(`${file} is not a pact file (consumer, provider and interactions expected)`)
  return pact
}

/** Rewrites the file without repeated interactions; returns how many it removed. */
export function tidyPactFile(file: string): number {
  const pact = readPact(file)
  const unique = uniqueInteractions(pact.interactions)
  const removed = pact.interactions.length - unique.length
  if (removed > 0) writeFileSync(file, `${JSON.stringify({ ...pact, interactions: unique }, null, JSON_INDENT)}\n`)
  return removed
}

/** The pact files in `dir` (none when it does not exist). */
export function pactFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name))
}
