// The built-in training sentences counted ahead of time: scripts/bundle.js runs countTrainingText on each tuning file
// when it builds the bundle, and training-source.ts reads the result back with decodeCounts, so that the first
// message after a cold start weighs counts instead of reading, normalising and counting some 2,500 sentences per
// locale. The counting is the same as at first use outside the bundle (countExamples), so both give the same model.
import { parseLabelledList } from '../labelled.js'
import type { NaiveBayesCounts, TrainingExample } from './definitions.js'
import { featuresOf } from './features.js'
import { countFeatures } from './train-naive-bayes.js'

/** The one way labelled sentences become counts, ahead of time or at first use. */
export const countExamples = (examples: readonly TrainingExample[]): NaiveBayesCounts =>
  countFeatures(examples.map(({ text, expected }) => ({ features: featuresOf(text), expected })))

/** A training file's sentences; a malformed file is refused, never half learnt. */
export const sentencesOfTrainingFile = (name: string, text: string): TrainingExample[] => {
  const { sentences, errors } = parseLabelledList(text)
  // The corpus test rejects such a file; the router must not learn from half of one.
  if (errors.length > 0) throw new Error(`The router's training file ${name} is malformed: ${errors.join(' ')}`)
  return sentences.map(({ text: sentence, expected }) => ({ text: sentence, expected }))
}

// The encoded form is the counts' JSON: sorted features and two arrays of numbers, which JSON.parse reads back natively
// in about a millisecond (a dictionary of the same features took 4-10 ms, a loop of ours over lines more).
export const encodeCounts = (counts: NaiveBayesCounts): string => JSON.stringify(counts)

export const decodeCounts = (encoded: string): NaiveBayesCounts => JSON.parse(encoded) as NaiveBayesCounts

/** What the bundle carries for one training file. */
export const countTrainingText = (name: string, text: string): string =>
  encodeCounts(countExamples(sentencesOfTrainingFile(name, text)))
