// The request check: a second look, by a statistical model, at what the rules matched. It can refuse a rule match
// (`request` or `standalone-cue`); a configured phrase and a bare target ("agent", "human please", or one only
// fetched: "tráiganme a la supervisora") are never second-guessed. Where its rescue is on (by default per language, RESCUE_BY_LOCALE), it may also take a near miss as
// a request (`likely-request`): a refusal for want of a cue only (kinds `named` and `any`) or of a known person word
// only (`any`), never one whose words were understood not to ask. Each locale's model is trained at its first use,
// from the built-in labelled sentences (training-source.ts) and the designer's own, and kept for the router's life.
// The built-in sentences come counted ahead of time in the bundle; the designer's are counted then and added on top
// (naive Bayes counts add up).
import { explainMatch, explainRefusal, type TriggerDecision } from '../decision.js'
import {
  EXPLAINED_FEATURES,
  RESCUE_THRESHOLD,
  builtInRescue,
  VETO_THRESHOLD,
  type Contribution,
  type LinearModel,
  type NaiveBayesCounts,
  type RescueKind,
  type TrainingExample,
} from './definitions.js'
import { countExamples } from './bundled-counts.js'
import { EDGE, featuresOf } from './features.js'
import { logOddsOf, scoreFeatures, sigmoid } from './linear-model.js'
import { naiveBayesModel, sentencesIn } from './train-naive-bayes.js'
import { bundledTrainingCounts } from './training-source.js'

/** One locale's settings, as router-config.ts hands them over. */
export type LocaleCheck = { enabled: boolean; rescue?: RescueKind; examples: readonly TrainingExample[] }

export type RequestCheckOptions = {
  /** Per locale; a locale not listed is checked with the built-in sentences alone. */
  locales?: ReadonlyMap<string, LocaleCheck>
  /** Where built-in sentences come from (training-source.ts; tests give their own). */
  builtIn: (locale: string) => TrainingExample[]
  /**
   * The same sentences counted ahead of time, for a locale where that was done; `builtIn` is then not read. Default:
   * the counts the bundle carries (training-source.ts), none outside it.
   */
  builtInCounts?: (locale: string) => NaiveBayesCounts | undefined
  /** Which near misses a locale whose settings do not say takes as requests; default builtInRescue. */
  rescueByDefault?: (locale: string) => RescueKind
}

/** Whether a rescue of this kind may take this near miss: `named` only where the rules found whom. */
const rescueTakes = (kind: RescueKind, nearMiss: TriggerDecision): boolean =>
  kind === 'any' || (kind === 'named' && nearMiss.reason === 'no-cue')

/** Rules a veto may overrule: the engine's own reading of cue and target, not the designer's words. */
const VETOABLE_RULES: ReadonlySet<TriggerDecision['rule']> = new Set(['request', 'standalone-cue'])

/**
 * A near miss the check may take as a request: the rules found whom but no cue ("Menschlicher Ansprechpartner wäre
 * toll"), or a cue and no one they know ("could I have a quick word with the groundskeeper"). Never a decisive refusal (the words were
 * understood, and they do not ask), nor a message in which nothing person-like was found.
 */
export const isNearMiss = (decision: TriggerDecision): boolean =>
  !decision.matched &&
  ((decision.reason === 'no-cue' && decision.target !== undefined) ||
    (decision.reason === 'no-target' && decision.evidence !== undefined))

export class RequestCheck {
  /** Trained models by locale; null: no check in that locale (turned off, or nothing to learn from). */
  private readonly _models = new Map<string, LinearModel | null>()

  public constructor(private readonly _options: RequestCheckOptions) {}

  /** The rules' decision, or a refusal when the model finds the matched words too unlike a request. */
  public review(decision: TriggerDecision, text: string): TriggerDecision {
    if (isNearMiss(decision)) return this._rescue(decision, text)
    if (!decision.matched || !VETOABLE_RULES.has(decision.rule)) return decision
    const model = this.modelFor(decision.locale)
    if (!model) return decision
    const features = featuresOf(text)
    // Most matches stand: the explanation is worked out only for a refusal.
    if (sigmoid(logOddsOf(model, features)) >= VETO_THRESHOLD) return decision
    const score = scoreFeatures(model, features, EXPLAINED_FEATURES)
    const weighed = score.against.map(describeFeature)
    const evidence = weighed.join(', ')
    return {
      matched: false,
      locale: decision.locale,
      reason: 'unlikely-request',
      ...(decision.cue !== undefined ? { cue: decision.cue } : {}),
      ...(decision.target !== undefined ? { target: decision.target } : {}),
      evidence,
      weighed,
      explanation: explainRefusal('unlikely-request', decision.locale, evidence, decision.target, {
        cue: decision.cue,
        probability: score.probability,
      }),
    }
  }

  /** A near miss, or a match by `likely-request` when the model finds the message likely enough to ask. */
  private _rescue(decision: TriggerDecision, text: string): TriggerDecision {
    if (!rescueTakes(this._rescueIn(decision.locale), decision)) return decision
    const model = this.modelFor(decision.locale)
    if (!model) return decision
    const features = featuresOf(text)
    if (sigmoid(logOddsOf(model, features)) < RESCUE_THRESHOLD) return decision
    const score = scoreFeatures(model, features, EXPLAINED_FEATURES)
    // A refusal for want of whom names the cue it found as its evidence.
    const cue = decision.reason === 'no-target' ? decision.evidence : undefined
    const target = decision.reason === 'no-cue' ? decision.target : undefined
    const weighed = score.for.map(describeFeature)
    return {
      matched: true,
      locale: decision.locale,
      rule: 'likely-request',
      ...(cue !== undefined ? { cue } : {}),
      ...(target !== undefined ? { target } : {}),
      weighed,
      explanation: explainMatch('likely-request', decision.locale, {
        ...(cue !== undefined ? { cue } : {}),
        ...(target !== undefined ? { target } : {}),
        probability: score.probability,
        evidence: weighed.join(', '),
      }),
    }
  }

  /** The locale's rescue: the designer's, else the built-in default; none where the check is off. */
  private _rescueIn(locale: string): RescueKind {
    const settings = this._options.locales?.get(locale)
    if (settings?.enabled === false) return 'off'
    return settings?.rescue ?? (this._options.rescueByDefault ?? builtInRescue)(locale)
  }

  /** The locale's model, trained now if this is its first use; undefined when the locale is not checked. */
  public modelFor(locale: string): LinearModel | undefined {
    let model = this._models.get(locale)
    if (model === undefined) {
      model = this._train(locale)
      this._models.set(locale, model)
    }
    return model ?? undefined
  }

  private _train(locale: string): LinearModel | null {
    const settings = this._options.locales?.get(locale)
    if (settings?.enabled === false) return null
    const counted = (this._options.builtInCounts ?? bundledTrainingCounts)(locale)
    const builtIn = counted ?? countExamples(this._options.builtIn(locale))
    const parts = settings?.examples.length ? [builtIn, countExamples(settings.examples)] : [builtIn]
    // Without both kinds of sentence there is nothing to tell apart.
    if (sentencesIn(parts).some((sentences) => sentences === 0)) return null
    return naiveBayesModel(parts)
  }
}

/** A feature as a designer reads it: `"brought along"`, `"my" at the start`. */
export const describeFeature = ({ feature }: Contribution): string => {
  const [first, second] = feature.split(' ')
  if (second === undefined) return `"${first}"`
  if (first === EDGE) return `"${second}" at the start`
  if (second === EDGE) return `"${first}" at the end`
  return `"${feature}"`
}
