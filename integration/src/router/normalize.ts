// Text normalisation shared by phrases and messages, so that "Parler à un CONSEILLER !" and "parler a un conseiller"
// compare equal: accents, case, punctuation and runs of spaces do not matter.

const COMBINING_MARKS = /\p{M}+/gu
const NOT_A_WORD_CHARACTER = /[^\p{L}\p{N}]+/gu

export const normalizeText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(NOT_A_WORD_CHARACTER, ' ')
    .trim()

export const tokenize = (text: string): string[] => {
  const normalized = normalizeText(text)
  return normalized ? normalized.split(' ') : []
}

/** "fr-CA", "FR", "fr_ca" → "fr". */
export const baseLocale = (locale: string): string => locale.trim().toLowerCase().split(/[-_]/)[0] ?? ''
