// Where the request model's training sentences come from, and the only module that knows: the corpus's labelled
// tuning files, one per locale (never its held-out or blind sets, which stay unseen). Moving the corpus is a change of
// CORPUS_FROM_HERE (and of the matching constant in scripts/bundle.js, which inlines these files into the bundle).
import { readFileSync } from 'node:fs'
import { decodeCounts, sentencesOfTrainingFile } from './bundled-counts.js'
import type { NaiveBayesCounts, TrainingExample } from './definitions.js'

/** The corpus folder, relative to this module (src/router/model/ → test/corpus/). */
const CORPUS_FROM_HERE = '../../../test/corpus/'

/** The file of one locale's training sentences, by its name in the corpus folder. */
export const trainingFileName = (locale: string): string => `trigger.${locale}.tuning.txt`

/**
 * In the integration's bundle (scripts/bundle.js) the files' counts (bundled-counts.ts) are inlined under one global,
 * by file name, and the sentences themselves are left out. Only the cold-start measure (scripts/router-veto-backtest.ts
 * `cold`) builds a form that inlines the sentences instead, under the other global, to time training at first use.
 */
type Inlined = Readonly<Record<string, string>>
type BundleGlobals = { __ROUTER_TRAINING_TEXTS__?: Inlined; __ROUTER_TRAINING_COUNTS__?: Inlined }
const inlinedFiles = (): Inlined | undefined => (globalThis as BundleGlobals).__ROUTER_TRAINING_TEXTS__
const inlinedCounts = (): Inlined | undefined => (globalThis as BundleGlobals).__ROUTER_TRAINING_COUNTS__
/** A bundle has no corpus folder beside it: whatever it knows is inlined. */
const inBundle = (): boolean => inlinedFiles() !== undefined || inlinedCounts() !== undefined

const readFromCorpus = (name: string): string | undefined => {
  try {
    return readFileSync(new URL(CORPUS_FROM_HERE + name, import.meta.url), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** One locale's built-in training sentences; empty for a locale without a file, and in a bundle that carries counts. */
export const builtInTrainingSentences = (locale: string): TrainingExample[] => {
  const name = trainingFileName(locale)
  const text = inBundle() ? inlinedFiles()?.[name] : readFromCorpus(name)
  return text === undefined ? [] : sentencesOfTrainingFile(name, text)
}

/**
 * One locale's built-in sentences as the bundle carries them, counted when it was built; undefined outside the
 * bundle, or for a locale without a file, where the sentences themselves are counted at first use.
 */
export const bundledTrainingCounts = (locale: string): NaiveBayesCounts | undefined => {
  const encoded = inlinedCounts()?.[trainingFileName(locale)]
  return encoded === undefined ? undefined : decodeCounts(encoded)
}

/** Whether a locale has built-in training, counted or as sentences (a designer's examples then need not cover both). */
export const hasBuiltInTraining = (locale: string): boolean =>
  inlinedCounts()?.[trainingFileName(locale)] !== undefined || builtInTrainingSentences(locale).length > 0
