// An old commit's checkout as the router's evaluation scripts read it (router-veto-backtest.ts,
// router-subword-experiment.ts): its labelled corpus and its rules. Each DIR is
// `git archive <commit> integration/src integration/test/corpus`.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseLabelledList, type TriggerDecision } from '../src/router/index.js'

const LOCALES = ['en', 'fr', 'de', 'es'] as const

export type Sentence = { text: string; expected: boolean }

/** One corpus file's sentences; none when the commit has no such file (no blind set, or no such language yet). */
export const corpusOf = (root: string, kind: string, locale: string, split: string): Sentence[] => {
  const file = join(root, 'integration/test/corpus', `${kind}.${locale}.${split}.txt`)
  if (!existsSync(file)) return []
  const { sentences, errors } = parseLabelledList(readFileSync(file, 'utf8'))
  if (errors.length > 0) throw new Error(`${file}: ${errors.join(' ')}`)
  return sentences
}

/**
 * A language's trigger tuning sentences and its blind set, less the blind sentences that also stand in the tuning or
 * held-out files (as the corpus test scores them: those were tuned on).
 */
export const triggerSetsOf = (root: string, locale: string): { tuning: Sentence[]; blind: Sentence[] } => {
  const tuning = corpusOf(root, 'trigger', locale, 'tuning')
  const elsewhere = new Set(
    [...tuning, ...corpusOf(root, 'trigger', locale, 'heldout')].map((s) => s.text.toLowerCase())
  )
  const blind = corpusOf(root, 'trigger', locale, 'blind').filter((s) => !elsewhere.has(s.text.toLowerCase()))
  return { tuning, blind }
}

/**
 * The commit's rules alone: from the thirteenth blind set's commit on, its own router holds the request check, which
 * is turned off here so that a script can put its own model in its place.
 */
export const rulesAloneOf = async (root: string): Promise<(text: string, locale: string) => TriggerDecision> => {
  const module = await import(pathToFileURL(join(root, 'integration/src/router/index.ts')).href)
  if (!existsSync(join(root, 'integration/src/router/model/request-check.ts'))) {
    return (text, locale) => module.matchTrigger(text, { locale }) as TriggerDecision
  }
  const router = module.routerFor({
    ...module.DEFAULT_ROUTER_CONFIG,
    requestCheck: LOCALES.map((locale) => ({ locale, enabled: false })),
  })
  return (text, locale) => module.matchTrigger(text, { locale, router }) as TriggerDecision
}
