// What the phrase tester page asks of the router: the same module the integration runs (buildRouter,
// checkedRouterFor: the checks made on save), with the words a designer is trying out added to the built-in vocabulary.
import {
  DEFAULT_ROUTER_CONFIG,
  baseLocale,
  builtInRescue,
  parseLabelledList,
  rescueKindOf,
  checkedRouterFor,
  scoreSentences,
  type CancelDecision,
  type RescueSetting,
  type Router,
  type RouterConfig,
  type Scores,
  type TriggerDecision,
} from '@liveagent-hop/integration'

export type TesterKind = 'trigger' | 'cancel'

/**
 * The request check as a designer tries it for the picked locale: on or off, which near misses it takes as requests
 * (as the configuration's `rescue`; unset, the locale's built-in default), and their own `+`/`-` sentences.
 */
export type RequestCheckTrial = { enabled: boolean; rescue?: RescueSetting; examples: string[] }

/** Words a designer is trying out for the picked locale, as they would enter them in the configuration. */
export type Additions = {
  cues: string[]
  targets: string[]
  phrases: string[]
  neverTrigger: string[]
  cancelPhrases: string[]
  requestCheck: RequestCheckTrial
}

export type RequestCheckEntry = NonNullable<RouterConfig['requestCheck']>[number]

/** A designer's mistake in what they typed, told back as sentences (HTTP 400). */
export class TesterInputError extends Error {}

const NO_LOCALE_GIVEN = 'en'

/**
 * The configuration's `requestCheck` for what the designer tried, as they would save it (and copy it from the page);
 * empty when they kept the default, the check on with the built-in sentences alone and the locale's built-in rescue.
 */
export const requestCheckConfig = (locale: string, trial: RequestCheckTrial): RequestCheckEntry[] => {
  const rescueChanged = trial.rescue !== undefined && rescueKindOf(trial.rescue) !== builtInRescue(baseLocale(locale))
  if (trial.enabled && !rescueChanged && trial.examples.length === 0) return []
  return [
    {
      locale,
      ...(trial.enabled ? {} : { enabled: false }),
      ...(rescueChanged ? { rescue: trial.rescue } : {}),
      ...(trial.examples.length > 0 ? { examples: trial.examples } : {}),
    },
  ]
}

export const routerWith = (locale: string, additions: Additions): Router => {
  const config: RouterConfig = {
    ...DEFAULT_ROUTER_CONFIG,
    triggerCues: [{ locale, words: additions.cues }],
    triggerTargets: [{ locale, words: additions.targets }],
    triggerPhrases: [{ locale, phrases: additions.phrases }],
    neverTriggerPhrases: [{ locale, phrases: additions.neverTrigger }],
    cancelPhrases: [{ locale, phrases: additions.cancelPhrases }],
    requestCheck: requestCheckConfig(locale, additions.requestCheck),
  }
  const checked = checkedRouterFor(config)
  if ('errors' in checked) throw new TesterInputError(checked.errors.join(' '))
  return checked.router
}

export const decide = (
  router: Router,
  kind: TesterKind,
  text: string,
  locale: string
): TriggerDecision | CancelDecision => {
  const options = { locale, fallbackLocale: NO_LOCALE_GIVEN }
  return kind === 'trigger' ? router.triggers.match(text, options) : router.cancels.match(text, options)
}

export type Evaluation = { scores: Scores; sentences: number; errors: string[] }

export const evaluateList = (router: Router, kind: TesterKind, list: string, locale: string): Evaluation => {
  const { sentences, errors } = parseLabelledList(list)
  if (sentences.length === 0) {
    throw new TesterInputError(
      'Paste at least one labelled line: + for a sentence that should match, - for one that should not.'
    )
  }
  return {
    scores: scoreSentences(sentences, (text) => decide(router, kind, text, locale)),
    sentences: sentences.length,
    errors,
  }
}
