// The sub-word experiment's modules (scripts/router-subword-experiment.ts; the router does not import them): character
// n-grams inside words only, beside the request check's own features.
import { featuresOf } from '../src/router/model/features.js'
import { charNgramsOf, subwordFeaturesOf } from '../src/router/model/subword-features.js'

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
