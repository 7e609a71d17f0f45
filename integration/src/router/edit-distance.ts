// Typo tolerance: optimal string alignment distance (Levenshtein plus swaps of adjacent letters, "agnet" → "agent").

/** Edits allowed in a word of this length: none for short words ("to", "an"), one for most, two for long ones. */
export const allowedEdits = (wordLength: number): number => {
  const NO_TYPO_UP_TO = 3
  const ONE_TYPO_UP_TO = 7
  if (wordLength <= NO_TYPO_UP_TO) return 0
  if (wordLength <= ONE_TYPO_UP_TO) return 1
  return 2
}

/** Three rows of the alignment table, reused by every call: the router compares thousands of words per message. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(32), new Int32Array(32), new Int32Array(32)]

const rowsFor = (length: number): [Int32Array, Int32Array, Int32Array] => {
  if (rows[0].length < length) rows = [new Int32Array(length), new Int32Array(length), new Int32Array(length)]
  return rows
}

/** Distance between two words, giving up (returning limit + 1) as soon as it exceeds `limit`. */
export const boundedEditDistance = (a: string, b: string, limit: number): number => {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let [beforePrevious, previous, current] = rowsFor(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMinimum = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1)
      }
      current[j] = value
      rowMinimum = Math.min(rowMinimum, value)
    }
    if (rowMinimum > limit) return limit + 1
    const spare = beforePrevious
    beforePrevious = previous
    previous = current
    current = spare
  }
  return previous[b.length]!
}

/**
 * Whether a word the customer typed is the phrase's word, allowing the typos `allowedEdits` grants. The first letter
 * must match: typos rarely hit it, and it keeps "walk" from passing for "talk". With `keepLastLetter` the last one
 * must match too: used for a phrase's leading verb, whose ending carries tense and person ("j'ai parlé à un
 * conseiller" and "hablan con un agente" tell a story; they do not ask for anyone).
 */
export const wordsMatch = (
  phraseWord: string,
  typedWord: string,
  options: { keepLastLetter?: boolean } = {}
): boolean => {
  if (phraseWord === typedWord) return true
  const limit = allowedEdits(phraseWord.length)
  if (limit === 0 || phraseWord[0] !== typedWord[0]) return false
  if (options.keepLastLetter && phraseWord.at(-1) !== typedWord.at(-1)) return false
  return boundedEditDistance(phraseWord, typedWord, limit) <= limit
}
