// The trigger and cancel router. Lexicons (lexicons/) are data; the engine is trigger-router.ts and
// cancel-matcher.ts; router-config.ts turns the integration's configuration into a router and checks it.
import type { CancelDecision, TriggerDecision } from './decision.js'
import { DEFAULT_ROUTER_CONFIG, routerFor, type Router } from './router-config.js'

export { PhraseMatcher, PhraseSet, type PhraseBook, type PhraseMatch } from './phrase-matcher.js'
export { normalizeText, tokenize, baseLocale } from './normalize.js'
export { wordsMatch, boundedEditDistance, allowedEdits } from './edit-distance.js'
export { TriggerRouter, type RouteOptions } from './trigger-router.js'
export { CancelMatcher } from './cancel-matcher.js'
export {
  buildRouter,
  routerFor,
  checkedRouterFor,
  validateRouterConfig,
  DEFAULT_ROUTER_CONFIG,
  type Router,
  type RouterConfig,
  type LocaleEntries,
} from './router-config.js'
export {
  REFUSAL_REASONS,
  type TriggerDecision,
  type CancelDecision,
  type MatchRule,
  type RefusalReason,
  type CancelReason,
} from './decision.js'
export { BUILT_IN_LEXICONS } from './lexicons/index.js'
export {
  RESCUE_NAMED_ONLY,
  builtInRescue,
  type RequestCheckEntry,
  type RescueKind,
  type RescueSetting,
} from './model/definitions.js'
export { rescueKindOf, rescueSettingOf } from './model/request-check-config.js'
export type { Lexicon } from './lexicon.js'

export type MatchTriggerOptions = {
  /** The customer's locale; its words are tried first. */
  locale?: string
  /** Used as the answer's locale when nothing matched and no locale was given. Default: en. */
  defaultLocale?: string
  /** Default: the built-in vocabulary of en, fr, de and es. */
  router?: Router
}

const DEFAULT_LOCALE = 'en'

/** Whether `text` asks for a person, and why. Pure; the playground's phrase tester uses it. */
export const matchTrigger = (text: string, options: MatchTriggerOptions = {}): TriggerDecision => {
  const router = options.router ?? routerFor(DEFAULT_ROUTER_CONFIG)
  return router.triggers.match(text, {
    locale: options.locale,
    fallbackLocale: options.defaultLocale ?? DEFAULT_LOCALE,
  })
}

/** Whether `text` is itself the cancellation of a hand-off that waits for an agent, and why. */
export const matchCancel = (text: string, options: MatchTriggerOptions = {}): CancelDecision => {
  const router = options.router ?? routerFor(DEFAULT_ROUTER_CONFIG)
  return router.cancels.match(text, { locale: options.locale, fallbackLocale: options.defaultLocale ?? DEFAULT_LOCALE })
}
export { parseLabelledList, scoreSentences, type LabelledSentence, type Scores, type Mistake } from './labelled.js'
