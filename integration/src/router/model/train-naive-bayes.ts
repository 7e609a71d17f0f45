// Multinomial naive Bayes over feature presence, as a linear model: each feature weighs the log of how much likelier
// it is in a request than in a remark (Laplace smoothing), and the classes start even.
// Written here rather than taken from npm: wink-naive-bayes-text-classifier (2.2.1) is CommonJS without types, needs
// its own preparation steps, and answers a label or odds, not the per-word weights the refusal names; the model itself
// is twenty lines, trains the same way on every run (no randomness at all) and bundles with the integration as is.
// Training is two steps, counting then weighing. Counts add up, so the model takes several sets of them (the bundle's
// built-in counts and a designer's examples) as if all their sentences had been counted at once; and a feature is
// weighed when a message first holds it, so that a model is ready as soon as its counts are.
import type { LabelledFeatures, LinearModel, NaiveBayesCounts } from './definitions.js'

/** Where each kind stands in the pairs below. */
const REQUEST = 0
const REMARK = 1

export const countFeatures = (examples: readonly LabelledFeatures[]): NaiveBayesCounts => {
  const pairs = new Map<string, [number, number]>()
  const totals: [number, number] = [0, 0]
  const sentences: [number, number] = [0, 0]
  for (const { features, expected } of examples) {
    const kind = expected ? REQUEST : REMARK
    for (const feature of features) {
      let pair = pairs.get(feature)
      if (!pair) pairs.set(feature, (pair = [0, 0]))
      pair[kind]++
    }
    totals[kind] += features.length
    sentences[kind]++
  }
  const features = [...pairs.keys()].sort()
  return {
    features,
    requests: features.map((feature) => pairs.get(feature)![REQUEST]),
    remarks: features.map((feature) => pairs.get(feature)![REMARK]),
    totals,
    sentences,
  }
}

/** The feature's place in the counts, by bisection of the sorted features; -1 when they do not hold it. */
const indexOf = ({ features }: NaiveBayesCounts, feature: string): number => {
  let low = 0
  let high = features.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const found = features[middle]!
    if (found === feature) return middle
    if (found < feature) low = middle + 1
    else high = middle - 1
  }
  return -1
}

const sum = (parts: readonly NaiveBayesCounts[], of: (counts: NaiveBayesCounts) => number) =>
  parts.reduce((total, counts) => total + of(counts), 0)

/** Sentences of each kind in all the parts together. */
export const sentencesIn = (parts: readonly NaiveBayesCounts[]): [requests: number, remarks: number] => [
  sum(parts, (counts) => counts.sentences[REQUEST]),
  sum(parts, (counts) => counts.sentences[REMARK]),
]

/** The distinct features of all the parts: the first part's, then those of each later part no earlier one holds. */
const vocabularyOf = (parts: readonly NaiveBayesCounts[]): number => {
  let size = parts[0]?.features.length ?? 0
  for (let index = 1; index < parts.length; index++) {
    const earlier = parts.slice(0, index)
    const isNew = (feature: string) => earlier.every((counts) => indexOf(counts, feature) < 0)
    size += parts[index]!.features.filter(isNew).length
  }
  return size
}

/** The model of these counts taken together; a later part costs only its own features. */
export const naiveBayesModel = (parts: readonly NaiveBayesCounts[], smoothing = 1): LinearModel => {
  const vocabulary = vocabularyOf(parts)
  const requestMass = sum(parts, (counts) => counts.totals[REQUEST]) + smoothing * vocabulary
  const remarkMass = sum(parts, (counts) => counts.totals[REMARK]) + smoothing * vocabulary
  // Each feature weighed once, when a message first holds it; at most the vocabulary is kept.
  const weighed = new Map<string, number>()
  const get = (feature: string): number | undefined => {
    const known = weighed.get(feature)
    if (known !== undefined) return known
    let requests = 0
    let remarks = 0
    let held = false
    for (const counts of parts) {
      const at = indexOf(counts, feature)
      if (at < 0) continue
      held = true
      requests += counts.requests[at]!
      remarks += counts.remarks[at]!
    }
    if (!held) return undefined
    const inRequests = (requests + smoothing) / requestMass
    const inRemarks = (remarks + smoothing) / remarkMass
    const weight = Math.log(inRequests / inRemarks)
    weighed.set(feature, weight)
    return weight
  }
  return { bias: 0, weights: { get } }
}

export const trainNaiveBayes = (examples: readonly LabelledFeatures[], smoothing = 1): LinearModel =>
  naiveBayesModel([countFeatures(examples)], smoothing)
