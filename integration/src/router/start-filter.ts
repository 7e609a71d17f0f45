// A quick "can any pattern of this list start at this word?" test. A message is searched for some hundred pattern
// lists, most of which have no pattern for any of its words: a few bit lookups on the word's length and letters turn
// those words away before the list's maps are consulted. It may let a word through in vain (two keys share a bit),
// never turn one away that a pattern starts with.

/** Bits per table: enough that a list of a few hundred first words leaves most bits clear. */
const WORD_BITS = 2048
const LETTER_BITS = 256

const BITS_PER_SLOT = 32

export type StartFilter = {
  /** Whole first words, by their length, first and last letter. */
  words: Uint32Array
  /** First letters: patterns whose first word is a prefix ("apotheker*"), or every pattern when typos are allowed. */
  firstLetters: Uint32Array
  /** Last letters: patterns whose first word is a suffix ("*berater"). */
  lastLetters: Uint32Array
}

export const emptyStartFilter = (): StartFilter => ({
  words: new Uint32Array(WORD_BITS / BITS_PER_SLOT),
  firstLetters: new Uint32Array(LETTER_BITS / BITS_PER_SLOT),
  lastLetters: new Uint32Array(LETTER_BITS / BITS_PER_SLOT),
})

/** Mixes the length and the first and last letters: words of one list rarely share all three. */
const wordBit = (word: string): number =>
  (word.length * 977 + word.charCodeAt(0) * 31 + word.charCodeAt(word.length - 1)) & (WORD_BITS - 1)

const letterBit = (code: number): number => code & (LETTER_BITS - 1)

const set = (table: Uint32Array, bit: number) => {
  table[bit >>> 5] = table[bit >>> 5]! | (1 << (bit & 31))
}

const isSet = (table: Uint32Array, bit: number): boolean => (table[bit >>> 5]! & (1 << (bit & 31))) !== 0

export const addWord = (filter: StartFilter, word: string) => set(filter.words, wordBit(word))

export const addFirstLetterOf = (filter: StartFilter, word: string) =>
  set(filter.firstLetters, letterBit(word.charCodeAt(0)))

export const addLastLetterOf = (filter: StartFilter, word: string) =>
  set(filter.lastLetters, letterBit(word.charCodeAt(word.length - 1)))

/** False only when no word, first letter or last letter added to the filter is the word's (`word` is not empty). */
export const mayStart = (filter: StartFilter, word: string): boolean =>
  isSet(filter.words, wordBit(word)) ||
  isSet(filter.firstLetters, letterBit(word.charCodeAt(0))) ||
  isSet(filter.lastLetters, letterBit(word.charCodeAt(word.length - 1)))
