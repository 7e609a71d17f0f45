// Experiment only (scripts/router-subword-experiment.ts; the router does not import this): the logistic regression of
// train-logistic.ts, same updates and same fixed-seed shuffle, over features numbered once and weights in a typed
// array, so that the many more features of sub-word models train in well under a second per fold.
import type { LabelledFeatures, LinearModel } from './definitions.js'
import { LOGISTIC_DEFAULTS, type LogisticOptions } from './train-logistic.js'

/** mulberry32, as train-logistic.ts, so that both shuffle alike. */
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

export const trainLogisticFast = (
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
