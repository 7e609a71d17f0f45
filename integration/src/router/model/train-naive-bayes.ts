// Multinomial naive Bayes over feature presence, as a linear model: each feature weighs the log of how much likelier
// it is in a request than in a remark (Laplace smoothing), and the classes start even.
// Written here rather than taken from npm: wink-naive-bayes-text-classifier (2.2.1) is CommonJS without types, needs
// its own preparation steps, and answers a label or odds, not the per-word weights the refusal names; the model itself
// is twenty lines, trains the same way on every run (no randomness at all) and bundles with the integration as is.
import type { LabelledFeatures, LinearModel } from './definitions.js'

export const trainNaiveBayes = (examples: readonly LabelledFeatures[], smoothing = 1): LinearModel => {
  const counts = { true: new Map<string, number>(), false: new Map<string, number>() }
  const totals = { true: 0, false: 0 }
  for (const { features, expected } of examples) {
    const key = expected ? 'true' : 'false'
    for (const feature of features) counts[key].set(feature, (counts[key].get(feature) ?? 0) + 1)
    totals[key] += features.length
  }
  const vocabulary = new Set([...counts.true.keys(), ...counts.false.keys()])
  const weights = new Map<string, number>()
  for (const feature of vocabulary) {
    const inRequests = ((counts.true.get(feature) ?? 0) + smoothing) / (totals.true + smoothing * vocabulary.size)
    const inRemarks = ((counts.false.get(feature) ?? 0) + smoothing) / (totals.false + smoothing * vocabulary.size)
    weights.set(feature, Math.log(inRequests / inRemarks))
  }
  return { bias: 0, weights }
}
