// Text normalisation shared by phrases and messages, so that "Parler à un CONSEILLER !" and "parler a un conseiller"
// compare equal: accents, case, punctuation and runs of spaces do not matter.

const COMBINING_MARKS = /\p{M}+/gu
const WORD = /[\p{L}\p{N}]+/gu
/** Printable ASCII (half the messages): no accent to fold, and its words are found without Unicode classes. */
const ASCII_ONLY = /^[ -~\t\n\r]*$/
const ASCII_WORD = /[a-zA-Z0-9]+/g
/**
 * A letter typed three times or more in a row: "humaaan", "pleeease", "hilfeee". Lexicons and messages are folded
 * alike, so the rare real word with three ("Schifffahrt") still meets itself.
 */
const ELONGATED_LETTER = /(\p{L})\1{2,}/gu

/**
 * Inclusive endings written after a bracket, a dot, a star, a colon or a slash: "un(e) conseiller(ère)",
 * "conseiller·ère", "eine*n Mitarbeiter*in", "Mitarbeiter:innen", "asesor/a". The word is read without them.
 */
const INCLUSIVE_ENDING =
  /(\p{L})(?:\(|·|\*|:|\/)(e|es|ère|ere|euse|euses|rice|rices|ne|in|innen|a|as|n|r)\)?(?!\p{L})/gu
/** The marks an inclusive ending starts with: most messages have none, and skip the search. */
const INCLUSIVE_MARK = /[(·*:/]/

/**
 * Elongation needs a letter three times in a row: a loop over the characters finds out sooner than the Unicode search.
 * A letter beyond the first 65,536 takes two characters, so text with one is always searched.
 */
const ELONGATION_RUN = 3
const SURROGATE = /[\uD800-\uDFFF]/
const mayBeElongated = (text: string): boolean => {
  if (SURROGATE.test(text)) return true
  let run = 1
  for (let i = 1; i < text.length; i++) {
    run = text.charCodeAt(i) === text.charCodeAt(i - 1) ? run + 1 : 1
    if (run === ELONGATION_RUN) return true
  }
  return false
}

/** Accents, case and ß folded away, elongated letters cut to one ("humaaan" → "human"), punctuation kept. */
export const foldText = (text: string): string => {
  const withoutEndings = INCLUSIVE_MARK.test(text) ? text.replace(INCLUSIVE_ENDING, '$1') : text
  const lower = ASCII_ONLY.test(withoutEndings)
    ? withoutEndings.toLowerCase()
    : withoutEndings.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/ß/g, 'ss')
  return mayBeElongated(lower) ? lower.replace(ELONGATED_LETTER, '$1') : lower
}

/** The words of text already folded by `foldText`: its runs of letters and digits. */
export const wordsOfFolded = (folded: string): string[] =>
  (ASCII_ONLY.test(folded) ? folded.match(ASCII_WORD) : folded.match(WORD)) ?? []

export const tokenize = (text: string): string[] => wordsOfFolded(foldText(text))

export const normalizeText = (text: string): string => tokenize(text).join(' ')

/** "fr-CA", "FR", "fr_ca" → "fr". */
export const baseLocale = (locale: string): string => locale.trim().toLowerCase().split(/[-_]/)[0] ?? ''
