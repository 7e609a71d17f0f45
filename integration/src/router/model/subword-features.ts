// Experiment only (scripts/router-subword-experiment.ts; the router does not import this): the request check's features
// plus pieces of words, so that a model can relate spellings it never saw ("Tischlermeister", "conseillère",
// "eenem") to words it did. Character n-grams are taken inside each normalised word, its start and end marked, so that
// no n-gram spans two words.
import { tokenize } from '../normalize.js'
import { featuresOf } from './features.js'

/** The n-gram lengths read, inclusive. */
export const SHORTEST_NGRAM = 3
export const LONGEST_NGRAM = 5

/** Marks a word's start and end inside its n-grams ("<age", "nt>"). */
const WORD_START = '<'
const WORD_END = '>'
/** Keeps an n-gram apart from a word or a word pair of the same letters. */
const NGRAM_PREFIX = '#'

export const charNgramsOf = (word: string, shortest = SHORTEST_NGRAM, longest = LONGEST_NGRAM): string[] => {
  const framed = [...`${WORD_START}${word}${WORD_END}`]
  const ngrams: string[] = []
  for (let n = shortest; n <= longest; n++) {
    for (let at = 0; at + n <= framed.length; at++) ngrams.push(NGRAM_PREFIX + framed.slice(at, at + n).join(''))
  }
  return ngrams
}

/** Words, word pairs and the character n-grams of each word, each once. */
export const subwordFeaturesOf = (text: string): string[] => {
  const features = new Set(featuresOf(text))
  for (const word of tokenize(text)) for (const ngram of charNgramsOf(word)) features.add(ngram)
  return [...features]
}
