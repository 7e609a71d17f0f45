// What the configuration says about the router, how it becomes a router, and the checks made when it is saved.
import { CancelMatcher } from './cancel-matcher.js'
import { compileLexicon, type LocaleAdditions } from './compiled-lexicon.js'
import { BUILT_IN_LEXICONS } from './lexicons/index.js'
import type { RequestCheckEntry } from './model/definitions.js'
import { RequestCheck } from './model/request-check.js'
import { localeChecksOf, validateRequestCheck } from './model/request-check-config.js'
import { builtInTrainingSentences, hasBuiltInTraining } from './model/training-source.js'
import { baseLocale, tokenize } from './normalize.js'
import { PhraseSet } from './phrase-matcher.js'
import { TriggerRouter } from './trigger-router.js'

/** One locale's entries of a configuration list. */
export type LocaleEntries = { locale: string; phrases?: readonly string[]; words?: readonly string[] }

export type RouterConfig = {
  /** Built-in cues, targets and cancel expressions of en, fr, de and es. */
  useBuiltInVocabulary: boolean
  triggerPhrases: readonly LocaleEntries[]
  cancelPhrases: readonly LocaleEntries[]
  triggerCues: readonly LocaleEntries[]
  triggerTargets: readonly LocaleEntries[]
  neverTriggerPhrases: readonly LocaleEntries[]
  /** The request check (model/) per locale: off, or with the designer's own labelled sentences. On by default. */
  requestCheck?: readonly RequestCheckEntry[]
}

export const DEFAULT_ROUTER_CONFIG: RouterConfig = {
  useBuiltInVocabulary: true,
  triggerPhrases: [],
  cancelPhrases: [],
  triggerCues: [],
  triggerTargets: [],
  neverTriggerPhrases: [],
}

/** Both matchers of one configuration. */
export type Router = { triggers: TriggerRouter; cancels: CancelMatcher }

/** Cues and targets are words or short expressions; anything longer is a phrase. */
export const MAX_WORDS_PER_CUE_OR_TARGET = 6

const entriesOf = (entry: LocaleEntries): readonly string[] => entry.phrases ?? entry.words ?? []

const collect = (lists: readonly LocaleEntries[]): Map<string, string[]> => {
  const byLocale = new Map<string, string[]>()
  for (const entry of lists) {
    const locale = baseLocale(entry.locale)
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), ...entriesOf(entry)])
  }
  return byLocale
}

export const buildRouter = (config: RouterConfig): Router => {
  const lists = {
    phrases: collect(config.triggerPhrases),
    cancelPhrases: collect(config.cancelPhrases),
    cues: collect(config.triggerCues),
    targets: collect(config.triggerTargets),
    neverTrigger: collect(config.neverTriggerPhrases),
  }
  const locales = new Set([
    ...(config.useBuiltInVocabulary ? Object.keys(BUILT_IN_LEXICONS) : []),
    ...Object.values(lists).flatMap((byLocale) => [...byLocale.keys()]),
  ])
  const lexicons = [...locales].map((locale) => {
    const additions: LocaleAdditions = {
      phrases: lists.phrases.get(locale),
      cancelPhrases: lists.cancelPhrases.get(locale),
      cues: lists.cues.get(locale),
      targets: lists.targets.get(locale),
      neverTrigger: lists.neverTrigger.get(locale),
    }
    return compileLexicon(locale, additions, config.useBuiltInVocabulary)
  })
  const check = new RequestCheck({
    locales: localeChecksOf(requestCheckEntries(config)),
    builtIn: builtInTrainingSentences,
  })
  return { triggers: new TriggerRouter(lexicons, check), cancels: new CancelMatcher(lexicons) }
}

const ROUTER_CACHE_SIZE = 16
const routerCache = new Map<string, { router: Router } | { errors: string[] }>()

/**
 * Checks a configuration and builds its router once: a message costs matching, not checking and compiling the
 * lexicons again. Either the router or the sentences that say what is wrong.
 */
export const checkedRouterFor = (config: RouterConfig): { router: Router } | { errors: string[] } => {
  const key = JSON.stringify(config)
  const cached = routerCache.get(key)
  if (cached) return cached
  const errors = validateRouterConfig(config)
  const built = errors.length > 0 ? { errors } : { router: buildRouter(config) }
  if (routerCache.size >= ROUTER_CACHE_SIZE) routerCache.delete(routerCache.keys().next().value!)
  routerCache.set(key, built)
  return built
}

/** The router of a configuration known to be valid (the built-in one, tests); throws on a bad one. */
export const routerFor = (config: RouterConfig): Router => {
  const checked = checkedRouterFor(config)
  if ('errors' in checked) throw new Error(checked.errors.join(' '))
  return checked.router
}

const LOCALE_PATTERN = /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i

const requestCheckEntries = (config: RouterConfig) =>
  (config.requestCheck ?? []).map((entry) => ({ entry, locale: baseLocale(entry.locale) }))

const FIELD_NAMES = {
  triggerPhrases: 'Trigger phrases',
  cancelPhrases: 'Cancel phrases',
  triggerCues: 'Trigger cue words',
  triggerTargets: 'Trigger target words',
  neverTriggerPhrases: 'Never-trigger phrases',
} as const

type ListField = keyof typeof FIELD_NAMES

const quote = (text: string) => `"${text}"`

/**
 * Mistakes a conversation designer can make in the router's settings, each as a sentence that says what to do.
 * Empty when the settings are fine.
 */
export const validateRouterConfig = (config: RouterConfig): string[] => {
  const errors: string[] = []
  const normalised = (text: string) => tokenize(text).join(' ')

  for (const field of Object.keys(FIELD_NAMES) as ListField[]) {
    for (const entry of config[field]) {
      if (!LOCALE_PATTERN.test(entry.locale.trim())) {
        errors.push(`${FIELD_NAMES[field]}: ${quote(entry.locale)} is not a language code such as en, fr or fr-CA.`)
        continue
      }
      const locale = baseLocale(entry.locale)
      const fillers = compileLexicon(locale).fillerWords
      for (const text of entriesOf(entry)) {
        const words = tokenize(text)
        if (words.length === 0) {
          errors.push(
            `${FIELD_NAMES[field]} (${locale}): ${quote(text)} has no letters or digits; write it as a customer would.`
          )
          continue
        }
        const isWordList = field === 'triggerCues' || field === 'triggerTargets'
        if (isWordList && words.every((word) => fillers.has(word))) {
          errors.push(
            `${FIELD_NAMES[field]} (${locale}): ${quote(text)} is only filler words, so it would match almost any message.`
          )
        }
        if (isWordList && words.length > MAX_WORDS_PER_CUE_OR_TARGET) {
          errors.push(
            `${FIELD_NAMES[field]} (${locale}): ${quote(text)} has more than ${MAX_WORDS_PER_CUE_OR_TARGET} words; add it as a trigger phrase instead.`
          )
        }
      }
    }
  }
  for (const entry of config.requestCheck ?? []) {
    if (typeof entry.locale !== 'string' || !LOCALE_PATTERN.test(entry.locale.trim())) {
      errors.push(`Request check: ${quote(String(entry.locale))} is not a language code such as en, fr or fr-CA.`)
    }
  }
  if (errors.length > 0) return errors
  errors.push(...validateRequestCheck(requestCheckEntries(config), hasBuiltInTraining))

  const phrases = collect(config.triggerPhrases)
  const never = collect(config.neverTriggerPhrases)
  const cancels = collect(config.cancelPhrases)
  const cues = collect(config.triggerCues)
  const targets = collect(config.triggerTargets)
  for (const [locale, list] of phrases) {
    const neverSet = new PhraseSet(never.get(locale) ?? [], compileLexicon(locale).fillerWords)
    for (const phrase of list) {
      const blocking = neverSet.find(tokenize(phrase))
      if (blocking) {
        errors.push(
          normalised(blocking.phrase) === normalised(phrase)
            ? `${quote(phrase)} (${locale}) is both a trigger phrase and a never-trigger phrase; keep it in one list.`
            : `The trigger phrase ${quote(phrase)} (${locale}) contains the never-trigger phrase ${quote(blocking.phrase)}, so it could never match.`
        )
      }
      if ((cancels.get(locale) ?? []).some((cancel) => normalised(cancel) === normalised(phrase))) {
        errors.push(`${quote(phrase)} (${locale}) is both a trigger phrase and a cancel phrase; keep it in one list.`)
      }
    }
  }
  for (const [locale, list] of cues) {
    for (const cue of list) {
      if ((targets.get(locale) ?? []).some((target) => normalised(target) === normalised(cue))) {
        errors.push(
          `${quote(cue)} (${locale}) is both a cue and a target word; a cue is how the customer asks (talk, reach), a target whom they ask for (agent).`
        )
      }
    }
  }
  return errors
}
