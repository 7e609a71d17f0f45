import { DEFAULT_CANCEL_PHRASES, DEFAULT_TRIGGER_PHRASES } from '../definitions/locales.js'
import { PhraseMatcher, type PhraseBook, type PhraseMatch } from './phrase-matcher.js'

export { PhraseMatcher, type PhraseBook, type PhraseMatch } from './phrase-matcher.js'
export { normalizeText, tokenize, baseLocale } from './normalize.js'
export { wordsMatch, boundedEditDistance, allowedEdits } from './edit-distance.js'

export type MatchTriggerOptions = {
  /** The customer's locale; its phrases are tried first. */
  locale?: string
  /** Used as the answer's locale when nothing matched and no locale was given. Default: en. */
  defaultLocale?: string
  /** Default: the built-in phrases for en, fr, de and es. */
  phrases?: PhraseBook
}

const DEFAULT_LOCALE = 'en'
const builtInTriggers = new PhraseMatcher(DEFAULT_TRIGGER_PHRASES)
const builtInCancels = new PhraseMatcher(DEFAULT_CANCEL_PHRASES)

/** Whether `text` asks for a human. Pure; the playground's demo bot uses it with the built-in phrases. */
export const matchTrigger = (text: string, options: MatchTriggerOptions = {}): PhraseMatch => {
  const matcher = options.phrases ? new PhraseMatcher(options.phrases) : builtInTriggers
  return matcher.match(text, { locale: options.locale, fallbackLocale: options.defaultLocale ?? DEFAULT_LOCALE })
}

/** Whether `text` cancels a hand-off that is still waiting for an agent. */
export const matchCancel = (text: string, options: MatchTriggerOptions = {}): PhraseMatch => {
  const matcher = options.phrases ? new PhraseMatcher(options.phrases) : builtInCancels
  return matcher.match(text, { locale: options.locale, fallbackLocale: options.defaultLocale ?? DEFAULT_LOCALE })
}
