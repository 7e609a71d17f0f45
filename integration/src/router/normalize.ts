// Text normalisation shared by phrases and messages, so that "Parler à un CONSEILLER !" and "parler a un conseiller"
// compare equal: accents, case, punctuation and runs of spaces do not matter.

const COMBINING_MARKS = /\p{M}+/gu
const NOT_A_WORD_CHARACTER = /[^\p{L}\p{N}]+/gu
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

/** Accents, case and ß folded away, elongated letters cut to one ("humaaan" → "human"), punctuation kept. */
export const foldText = (text: string): string =>
  text
    .replace(INCLUSIVE_ENDING, '$1')
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(ELONGATED_LETTER, '$1')

export const normalizeText = (text: string): string => foldText(text).replace(NOT_A_WORD_CHARACTER, ' ').trim()

/** The words of text already folded by `foldText`. */
export const wordsOfFolded = (folded: string): string[] => {
  const words = folded.replace(NOT_A_WORD_CHARACTER, ' ').trim()
  return words ? words.split(' ') : []
}

export const tokenize = (text: string): string[] => {
  const normalized = normalizeText(text)
  return normalized ? normalized.split(' ') : []
}

/** "fr-CA", "FR", "fr_ca" → "fr". */
export const baseLocale = (locale: string): string => locale.trim().toLowerCase().split(/[-_]/)[0] ?? ''
