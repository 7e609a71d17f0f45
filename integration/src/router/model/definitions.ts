// What the statistical veto is: a linear text model per locale that can refuse a rule match whose words look, on the
// labelled tuning sentences, more like remarks than like requests. Implementation apart (features.ts, train-*.ts,
// veto.ts); where the training sentences come from is training-source.ts alone.

/** One labelled sentence the model learns from. */
export type TrainingExample = { text: string; expected: boolean }

/** A training sentence as the trainers read it: its features and its label. */
export type LabelledFeatures = { features: readonly string[]; expected: boolean }

/** A linear model over sparse features: the log-odds that a sentence asks for a person. */
export type LinearModel = {
  bias: number
  weights: ReadonlyMap<string, number>
}

/** A feature of a sentence and how much it moved the log-odds (negative: against a request). */
export type Contribution = { feature: string; weight: number }

export type VetoScore = {
  /** Probability, by the model, that the sentence asks for a person. */
  probability: number
  /** The features that weighed most against a request, strongest first. */
  against: Contribution[]
}

/** A designer's settings for one locale (router configuration `requestCheck`). */
export type RequestCheckEntry = {
  locale: string
  /** false: the rules alone decide in this locale. */
  enabled?: boolean
  /** Their own labelled sentences ("+ …" asks for a person, "- …" does not), learnt with the built-in ones. */
  examples?: readonly string[]
}

/**
 * A rule match the model gives less than this probability of being a request is refused. Chosen by 5-fold
 * cross-validation on the tuning sentences only (scripts/router-veto-backtest.ts `cv`), never on a blind set.
 */
export const VETO_THRESHOLD = 0.01

/** How many words against a request the refusal names. */
export const EXPLAINED_FEATURES = 3
