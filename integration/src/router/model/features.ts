// The features the request model reads: the router's own normalised words (accents, case, elongations folded), each
// word and each pair of neighbours, with the sentence's start and end as a pseudo-word. Presence, not counts: a
// sentence is short and a word said twice is no stronger evidence.
import { tokenize } from '../normalize.js'

/** Stands for the start or the end of the sentence in a word pair ("_ agent", "please _"). */
export const EDGE = '_'

export const featuresOf = (text: string): string[] => {
  const words = tokenize(text)
  const features = new Set<string>(words)
  const framed = [EDGE, ...words, EDGE]
  for (let i = 0; i + 1 < framed.length; i++) features.add(`${framed[i]} ${framed[i + 1]}`)
  return [...features]
}
