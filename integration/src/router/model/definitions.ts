// What the statistical veto is: a linear text model per locale that can refuse a rule match whose words look, on the
// labelled tuning sentences, more like remarks than like requests. Implementation apart (features.ts, train-*.ts,
// request-check.ts); where the training sentences come from is training-source.ts alone, and bundled-counts.ts says
// how they are counted, at first use or when the bundle is built.

/** One labelled sentence the model learns from. */
export type TrainingExample = { text: string; expected: boolean }

/** A training sentence as the trainers read it: its features and its label. */
export type LabelledFeatures = { features: readonly string[]; expected: boolean }

/** A feature's weight, undefined for a feature the model never saw (a Map is one; naive Bayes works each out on
 * demand, so that a model is ready without weighing its whole vocabulary first). */
export type Weights = { get(feature: string): number | undefined }

/** A linear model over sparse features: the log-odds that a sentence asks for a person. */
export type LinearModel = {
  bias: number
  weights: Weights
}

/**
 * What naive Bayes learns from labelled sentences before it weighs anything: per feature, how many requests and how
 * many remarks hold it. Additive: the counts of two sets of sentences taken together are their sum, feature by feature.
 * Features are sorted (JavaScript's string order) and found by bisection, so that the bundle's JSON reads back as
 * arrays: building a dictionary of some 10,000 features would cost a cold start more than everything else.
 */
export type NaiveBayesCounts = {
  features: readonly string[]
  /** Requests holding each feature, in the order of `features`. */
  requests: readonly number[]
  /** Remarks holding each feature, in the order of `features`. */
  remarks: readonly number[]
  /** Features counted in requests, in remarks. */
  totals: readonly [requests: number, remarks: number]
  /** Sentences counted: requests, remarks. */
  sentences: readonly [requests: number, remarks: number]
}

/** A feature of a sentence and how much it moved the log-odds (negative: against a request). */
export type Contribution = { feature: string; weight: number }

export type VetoScore = {
  /** Probability, by the model, that the sentence asks for a person. */
  probability: number
  /** The features that weighed most against a request, strongest first. */
  against: Contribution[]
  /** The features that weighed most for a request, strongest first. */
  for: Contribution[]
}

/** A designer's settings for one locale (router configuration `requestCheck`). */
export type RequestCheckEntry = {
  locale: string
  /** false: the rules alone decide in this locale. */
  enabled?: boolean
  /**
   * Which near misses the check may take as requests in this locale (the veto stays as `enabled` says): true, all of
   * them; `"named"`, only those where the rules found whom; false, none. Unset: the locale's built-in default.
   */
  rescue?: RescueSetting
  /** Their own labelled sentences ("+ …" asks for a person, "- …" does not), learnt with the built-in ones. */
  examples?: readonly string[]
}

/**
 * A rule match the model gives less than this probability of being a request is refused. Chosen by 5-fold
 * cross-validation on the tuning sentences only (scripts/router-veto-backtest.ts `cv`), never on a blind set.
 */
export const VETO_THRESHOLD = 0.01

/** How many words against a request the refusal names, and for a request a rescue names. */
export const EXPLAINED_FEATURES = 3

/**
 * A near miss (the rules found a target but no cue, or a cue but an unknown person word) that the model gives at least
 * this probability of being a request is taken as one (rule `likely-request`). Chosen, like the veto's, by 5-fold
 * cross-validation on the tuning sentences only (scripts/router-veto-backtest.ts `cv`), before any blind set was scored.
 */
export const RESCUE_THRESHOLD = 0.999

/**
 * Which near misses the rescue takes: none; only `no-cue` ones, where the rules found whom but no cue ("Menschlicher
 * Ansprechpartner bitte"); or also `no-target` ones, a cue with a person word the lexicon lacks ("could I have a word
 * with the groundskeeper"), which fire on more remarks (requests to pass on to something).
 */
export const RESCUE_KINDS = ['off', 'named', 'any'] as const
export type RescueKind = (typeof RESCUE_KINDS)[number]

/** The designer's `rescue` value that takes only the near misses where a person is named. */
export const RESCUE_NAMED_ONLY = 'named'

/** How a designer writes a rescue kind in the configuration: true (any), false (off) or "named". */
export type RescueSetting = boolean | typeof RESCUE_NAMED_ONLY

/**
 * The rescue when a designer says nothing, per base locale; any other locale: off. Decided per language by the rule
 * written before its backtest over blind sets 3-21 (at most 3 % false positives pooled and on the newest writers' sets,
 * at least 2 points of recall gained; of two kinds that pass, the one with fewer false positives): the corpus README,
 * "The near-miss rescue by language: a rule written first".
 */
export const RESCUE_BY_LOCALE: ReadonlyMap<string, RescueKind> = new Map([
  ['en', 'any'],
  ['fr', 'named'],
  ['de', 'named'],
  ['es', 'any'],
])

/** The built-in rescue of a base locale. */
export const builtInRescue = (locale: string): RescueKind => RESCUE_BY_LOCALE.get(locale) ?? 'off'
