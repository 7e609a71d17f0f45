// Folding and word splitting take short cuts for plain ASCII text and for text with nothing to unfold: the answers
// must be those of the full Unicode treatment, which this file spells out as the reference.
import { foldText, normalizeText, tokenize, wordsOfFolded } from '../src/router/normalize.js'

const referenceFold = (text: string): string =>
  text
    .replace(/(\p{L})(?:\(|·|\*|:|\/)(e|es|ère|ere|euse|euses|rice|rices|ne|in|innen|a|as|n|r)\)?(?!\p{L})/gu, '$1')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/(\p{L})\1{2,}/gu, '$1')

const referenceWords = (folded: string): string[] => {
  const words = folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
  return words ? words.split(' ') : []
}

const samples = [
  'I want a HUMAN now!!!',
  'humaaan pleeease...',
  'Parler à un CONSEILLER !',
  'un(e) conseiller(ère), conseiller·ère',
  'eine*n Mitarbeiter*in, Mitarbeiter:innen, asesor/a',
  'Straße, STRASSE, ẞ',
  'Schifffahrt',
  '¿Puedo hablar con un agente?',
  '𝐚𝐚𝐚gent',
  '𠀀𠀀𠀀 ok',
  'ｆｕｌｌｗｉｄｔｈ ＡＧＥＮＴ',
  '  ',
  '',
  'agent_42 -- r2d2',
  'İstanbul',
]

describe('text folding', () => {
  it.each(samples)('folds %j as the full Unicode treatment does', (text) => {
    expect(foldText(text)).toBe(referenceFold(text))
  })

  it.each(samples)('splits %j into the same words', (text) => {
    expect(tokenize(text)).toEqual(referenceWords(referenceFold(text)))
    expect(normalizeText(text)).toBe(referenceWords(referenceFold(text)).join(' '))
    expect(wordsOfFolded(text)).toEqual(referenceWords(text))
  })
})
