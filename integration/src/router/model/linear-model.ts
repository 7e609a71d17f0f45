// Scoring and explaining a linear model: log-odds = bias + the weights of the features present.
import type { Contribution, LinearModel, VetoScore } from './definitions.js'

export const sigmoid = (logOdds: number): number => 1 / (1 + Math.exp(-logOdds))

export const logOddsOf = (model: LinearModel, features: readonly string[]): number =>
  features.reduce((sum, feature) => sum + (model.weights.get(feature) ?? 0), model.bias)

// Ties broken by the feature so that the explanation does not depend on word order in the map.
const byFeature = (a: Contribution, b: Contribution) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0)

export const scoreFeatures = (model: LinearModel, features: readonly string[], explained: number): VetoScore => {
  const contributions = features.map((feature) => ({ feature, weight: model.weights.get(feature) ?? 0 }))
  const against = contributions
    .filter((contribution) => contribution.weight < 0)
    .sort((a, b) => a.weight - b.weight || byFeature(a, b))
    .slice(0, explained)
  const towards = contributions
    .filter((contribution) => contribution.weight > 0)
    .sort((a, b) => b.weight - a.weight || byFeature(a, b))
    .slice(0, explained)
  return { probability: sigmoid(logOddsOf(model, features)), against, for: towards }
}
