// Logistic regression trained by stochastic gradient descent: the alternative to naive Bayes that
// scripts/router-veto-backtest.ts compares (`--model lr`) and the sub-word experiment trains. Deterministic: a
// fixed-seed shuffle, no Math.random. Features are numbered once and weighed in a typed array, so that the many
// features of sub-word models train in well under a second per fold.
import type { LabelledFeatures, LinearModel } from './definitions.js'

export type LogisticOptions = { epochs: number; learningRate: number; l2: number; seed: number }

export const LOGISTIC_DEFAULTS: LogisticOptions = { epochs: 12, learningRate: 0.2, l2: 1e-4, seed: 19 }

/** mulberry32: a small seeded generator, so that training is the same on every run. */
const seeded = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const trainLogistic = (
  examples: readonly LabelledFeatures[],
  options: LogisticOptions = LOGISTIC_DEFAULTS
): LinearModel => {
  const ids = new Map<string, number>()
  const numbered = examples.map(({ features }) =>
    Int32Array.from(features, (feature) => {
      let id = ids.get(feature)
      if (id === undefined) ids.set(feature, (id = ids.size))
      return id
    })
  )
  const weights = new Float64Array(ids.size)
  let bias = 0
  const positives = examples.filter((example) => example.expected).length
  const negatives = examples.length - positives
  // Each class weighs half, whatever its share of the corpus.
  const classWeight = (expected: boolean) => examples.length / (2 * Math.max(1, expected ? positives : negatives))
  const order = examples.map((_, index) => index)
  const random = seeded(options.seed)
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const rate = options.learningRate / (1 + epoch)
    for (const index of order) {
      const features = numbered[index]!
      const expected = examples[index]!.expected
      let logOdds = bias
      for (const id of features) logOdds += weights[id]!
      const error = ((expected ? 1 : 0) - 1 / (1 + Math.exp(-logOdds))) * classWeight(expected)
      bias += rate * error
      for (const id of features) weights[id] = weights[id]! + rate * (error - options.l2 * weights[id]!)
    }
  }
  const byFeature = new Map<string, number>()
  for (const [feature, id] of ids) byFeature.set(feature, weights[id]!)
  return { bias, weights: byFeature }
}
