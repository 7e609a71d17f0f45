// Logistic regression trained by stochastic gradient descent: the alternative to naive Bayes that
// scripts/router-veto-backtest.ts compares (`--model lr`). Deterministic: a fixed-seed
// shuffle, no Math.random.
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
  const weights = new Map<string, number>()
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
      const { features, expected } = examples[index]!
      let logOdds = bias
      for (const feature of features) logOdds += weights.get(feature) ?? 0
      const error = ((expected ? 1 : 0) - 1 / (1 + Math.exp(-logOdds))) * classWeight(expected)
      bias += rate * error
      for (const feature of features) {
        const weight = weights.get(feature) ?? 0
        weights.set(feature, weight + rate * (error - options.l2 * weight))
      }
    }
  }
  return { bias, weights }
}
