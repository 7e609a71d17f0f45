// The designer's settings of the request check (router configuration `requestCheck`): per locale, off, or on with
// their own labelled sentences learnt beside the built-in ones, and which near misses it takes as requests. Checked on
// save with the router's other settings.
import { parseLabelledList } from '../labelled.js'
import {
  RESCUE_NAMED_ONLY,
  type RequestCheckEntry,
  type RescueKind,
  type RescueSetting,
  type TrainingExample,
} from './definitions.js'
import type { LocaleCheck } from './request-check.js'

const FIELD = 'Request check'
const quote = (text: string) => `"${text}"`

/** One sentence written as in the phrase tester: "+ put me through to someone" or "- my agent left a message". */
export const parseExample = (line: string): { example: TrainingExample } | { error: string } => {
  const { sentences, errors } = parseLabelledList(line)
  const sentence = sentences[0]
  if (errors.length > 0 || sentences.length !== 1 || !sentence) {
    return {
      error: `${quote(line)} is not one labelled sentence: start it with + (asks for a person) or - (does not), then the sentence.`,
    }
  }
  return { example: { text: sentence.text, expected: sentence.expected } }
}

/**
 * Mistakes in the entries, each as a sentence that says what to do; `locale` is each entry's base locale, already
 * checked as a language code by the caller. `hasBuiltIn` says whether a locale has built-in training sentences.
 */
export const validateRequestCheck = (
  entries: readonly { entry: RequestCheckEntry; locale: string }[],
  hasBuiltIn: (locale: string) => boolean
): string[] => {
  const errors: string[] = []
  const seen = new Set<string>()
  for (const { entry, locale } of entries) {
    if (seen.has(locale)) errors.push(`${FIELD}: ${locale} is listed twice; keep one entry per language.`)
    seen.add(locale)
    if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') {
      errors.push(`${FIELD} (${locale}): "enabled" is true or false, not ${quote(String(entry.enabled))}.`)
    }
    if (entry.rescue !== undefined && !isRescueSetting(entry.rescue)) {
      errors.push(
        `${FIELD} (${locale}): "rescue" is true (any near miss), "${RESCUE_NAMED_ONLY}" (only when a person is named) or false, not ${quote(String(entry.rescue))}.`
      )
    }
    if (entry.examples !== undefined && !Array.isArray(entry.examples)) {
      errors.push(`${FIELD} (${locale}): "examples" is a list of sentences, each starting with + or -.`)
      continue
    }
    const examples: TrainingExample[] = []
    for (const line of entry.examples ?? []) {
      const parsed = typeof line === 'string' ? parseExample(line) : { error: `${quote(String(line))} is not text.` }
      if ('error' in parsed) errors.push(`${FIELD} (${locale}): ${parsed.error}`)
      else examples.push(parsed.example)
    }
    const kinds = new Set(examples.map((example) => example.expected))
    if (entry.enabled !== false && !hasBuiltIn(locale) && examples.length > 0 && kinds.size < 2) {
      errors.push(
        `${FIELD} (${locale}): there are no built-in sentences in ${locale}, so give at least one + and one - example, or turn the check off.`
      )
    }
  }
  return errors
}

const isRescueSetting = (value: unknown): value is RescueSetting =>
  typeof value === 'boolean' || value === RESCUE_NAMED_ONLY

/** The rescue kind a designer's `rescue` value means. */
export const rescueKindOf = (setting: RescueSetting): RescueKind =>
  setting === RESCUE_NAMED_ONLY ? 'named' : setting ? 'any' : 'off'

/** How a designer writes a rescue kind, the inverse of rescueKindOf (the phrase tester presets its choice with it). */
export const rescueSettingOf = (kind: RescueKind): RescueSetting =>
  kind === 'named' ? RESCUE_NAMED_ONLY : kind === 'any'

/** Valid entries as the request check takes them, by base locale. */
export const localeChecksOf = (entries: readonly { entry: RequestCheckEntry; locale: string }[]) =>
  new Map<string, LocaleCheck>(
    entries.map(({ entry, locale }) => [
      locale,
      {
        enabled: entry.enabled ?? true,
        ...(entry.rescue !== undefined ? { rescue: rescueKindOf(entry.rescue) } : {}),
        examples: (entry.examples ?? []).flatMap((line) => {
          const parsed = parseExample(line)
          return 'example' in parsed ? [parsed.example] : []
        }),
      },
    ])
  )
