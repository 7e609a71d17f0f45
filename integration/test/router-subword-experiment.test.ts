// The sub-word experiment's modules (scripts/router-subword-experiment.ts; the router does not import them): character
// n-grams inside words only, beside the request check's own features, and the faster logistic regression training the
// same model as train-logistic.ts.
import type { LinearModel } from '../src/router/model/definitions.js'
import { featuresOf } from '../src/router/model/features.js'
import { charNgramsOf, subwordFeaturesOf } from '../src/router/model/subword-features.js'
import { trainLogistic } from '../src/router/model/train-logistic.js'
import { trainLogisticFast } from '../src/router/model/train-logistic-fast.js'

describe('sub-word features', () => {
  it('takes 3- to 5-grams of a word with its start and end marked', () => {
    expect(charNgramsOf('agent')).toEqual([
      '#<ag',
      '#age',
      '#gen',
      '#ent',
      '#nt>',
      '#<age',
      '#agen',
      '#gent',
      '#ent>',
      '#<agen',
      '#agent',
      '#gent>',
    ])
  })

  it('keeps the words and pairs, and no n-gram spans two words', () => {
    const features = subwordFeaturesOf('Talk to an agent')
    expect(features).toEqual(expect.arrayContaining(featuresOf('Talk to an agent')))
    const ngrams = features.filter((feature) => feature.startsWith('#'))
    expect(ngrams).toContain('#<tal')
    expect(ngrams.some((ngram) => ngram.includes(' '))).toBe(false)
  })
})

describe('logistic regression over numbered features', () => {
  it('learns the same weights as train-logistic.ts', () => {
    const labelled = [
      '+ talk to a person',
      '+ put me through to an agent',
      '- I bring a person with me',
      '- the agent was kind',
    ].map((line) => ({ features: subwordFeaturesOf(line.slice(2)), expected: line.startsWith('+') }))
    const vocabulary = [...new Set(labelled.flatMap((example) => example.features))]
    const weightsOf = (model: LinearModel) => vocabulary.map((feature) => model.weights.get(feature))
    const fast = trainLogisticFast(labelled)
    const reference = trainLogistic(labelled)
    expect(weightsOf(fast)).toEqual(weightsOf(reference))
    expect(fast.bias).toBe(reference.bias)
  })
})
