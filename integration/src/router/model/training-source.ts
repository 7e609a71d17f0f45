// Where the request model's training sentences come from, and the only module that knows: the corpus's labelled
// tuning files, one per locale (never its held-out or blind sets, which stay unseen). Moving the corpus is a change of
// CORPUS_FROM_HERE (and of the matching constant in scripts/bundle.js, which inlines these files into the bundle).
import { readFileSync } from 'node:fs'
import { parseLabelledList } from '../labelled.js'
import type { TrainingExample } from './definitions.js'

/** The corpus folder, relative to this module (src/router/model/ → test/corpus/). */
const CORPUS_FROM_HERE = '../../../test/corpus/'

/** The file of one locale's training sentences, by its name in the corpus folder. */
export const trainingFileName = (locale: string): string => `trigger.${locale}.tuning.txt`

/** In the integration's bundle (scripts/bundle.js) the files are inlined under this global, by file name. */
type Inlined = Readonly<Record<string, string>>
const inlinedFiles = (): Inlined | undefined =>
  (globalThis as { __ROUTER_TRAINING_TEXTS__?: Inlined }).__ROUTER_TRAINING_TEXTS__

const readFromCorpus = (name: string): string | undefined => {
  try {
    return readFileSync(new URL(CORPUS_FROM_HERE + name, import.meta.url), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** One locale's built-in training sentences; empty for a locale without a file. */
export const builtInTrainingSentences = (locale: string): TrainingExample[] => {
  const name = trainingFileName(locale)
  const inlined = inlinedFiles()
  const text = inlined ? inlined[name] : readFromCorpus(name)
  if (text === undefined) return []
  const { sentences, errors } = parseLabelledList(text)
  // The corpus test rejects such a file; the router must not learn from half of one.
  if (errors.length > 0) throw new Error(`The router's training file ${name} is malformed: ${errors.join(' ')}`)
  return sentences.map(({ text: sentence, expected }) => ({ text: sentence, expected }))
}
