// A message is judged clause by clause: "I don't want the bot, I want a human" asks for a human in its second clause,
// and the negation of the first does not reach it.
import type { ChatSpellings, CompiledLexicon } from './compiled-lexicon.js'
import { foldText, wordsOfFolded } from './normalize.js'
import { coverAll, findSpans, type PatternList } from './patterns.js'

/** Pauses inside a sentence: commas, colons, brackets and dashes between words ("sprechen – ach nein"). */
const CLAUSE_PAUSE = /[,:()–—]+|\s-+\s/u

export type Clause = {
  words: string[]
  /**
   * Whether the clause can be a bare target: it ends its sentence (only filler may follow) or has a polite word
   * ("please"), and is not a piece of a sentence split at "and"/"und"/"y". Not "the person, who delivered, was nice"
   * nor "between an agent and a human".
   */
  mayBeBare: boolean
  /** The clause belongs to a sentence that ends with a question mark. */
  question: boolean
  /** A polite word is in the clause or stands beside it on its own ("…, por fa"). */
  polite: boolean
}

/** A sentence cut at its pauses, and whether it was asked ("forget it? no way…" does not cancel). */
type Sentence = { pieces: string[][]; question: boolean }

/** Sentences → pieces between pauses → words: the same for every language, so cut once per message. */
export type Segments = Sentence[]

const SENTENCE_WITH_END = /[^.!?;…¿¡\n\r]*[.!?;…¿¡\n\r]*/gu

/**
 * A title's abbreviation before a name ends no sentence: "Mr. Patel", "Mme. Roux", "la Sra. Pérez", "Dr. Albers"
 * (`Lexicon.personTitles` reads the title and the name). Folded text, so lower case.
 */
const TITLE_BEFORE_NAME = /(?<!\p{L})(mr|mrs|ms|dr|sr|sra|srta|mme|mlle|m)\.(?=\s+\p{L})/gu

const withoutTitleDots = (folded: string): string =>
  folded.includes('.') ? folded.replace(TITLE_BEFORE_NAME, '$1') : folded

export const segmentMessage = (text: string): Segments =>
  [...withoutTitleDots(foldText(text)).matchAll(SENTENCE_WITH_END)]
    .map(([sentence]) => ({
      pieces: sentence
        .split(CLAUSE_PAUSE)
        .map(wordsOfFolded)
        .filter((words) => words.length > 0),
      question: /\?/.test(sentence.replace(/[^.!?;…¿¡\n\r]+/gu, '')),
    }))
    .filter((sentence) => sentence.pieces.length > 0)

export const splitClauses = (segments: Segments, lexicon: CompiledLexicon): Clause[] =>
  segments.flatMap((sentence) => splitSentence(sentence, lexicon))

/** Chat spellings read as the words they stand for ("sum1" → "someone"), in the language being tried. */
const respelled = (words: string[], spellings: ChatSpellings): string[] =>
  words.some((word) => spellings.words.has(word) || spellings.endings?.test(word))
    ? words.flatMap((word) => spellings.words.get(word) ?? [withStandardEnding(word, spellings)])
    : words

const withStandardEnding = (word: string, { endings, meant }: ChatSpellings): string =>
  endings ? word.replace(endings, (_, stem: string, ending: string) => stem + meant.get(ending)!) : word

const splitSentence = ({ pieces, question }: Sentence, lexicon: CompiledLexicon): Clause[] => {
  const segments: string[][] = []
  for (const written of pieces) {
    const words = respelled(written, lexicon.chatSpellings)
    // "…, mit einem Menschen zu sprechen": an infinitive clause belongs to the clause before it.
    // Only a marker that opens the piece ("dass…") or stands before its last word ("…zu sprechen"), not "eine
    // Frage zu meiner Rechnung".
    // Not after a subject of its own ("…, Sie brauchen mich … zu verbinden").
    const ownSubject = () => findSpans(lexicon.clauseSubjects, words, 'exact').some((span) => span.start === 0)
    const dependent = findSpans(lexicon.dependentClauseMarkers, words, 'exact').some(
      (span) => span.start === 0 || (span.end === words.length - 1 && !ownSubject())
    )
    if (dependent && segments.length > 0) segments.at(-1)!.push(...words)
    else segments.push([...words])
  }
  const isFiller = (words: string[]) => coverAll(words.length, findSpans(lexicon.fillers, words, 'exact'))
  const fillerOnly = segments.map(isFiller)
  const polite = segments.map((words) => has(lexicon.politeness, words))
  return segments.flatMap((words, index): Clause[] => {
    // "a human, please, this bot loops": a polite word in the clause or in a filler clause next to it.
    const politeFiller = (i: number) => i >= 0 && i < segments.length && fillerOnly[i]! && polite[i]!
    const asksPolitely = polite[index]! || politeFiller(index - 1) || politeFiller(index + 1)
    // "un agente, que esto es muy complicado", "agent, because the bot loops": whom, then why.
    const reasonFollows = index + 1 < segments.length && startsWith(lexicon.reasonOpeners, segments[index + 1]!)
    const standsAlone = asksPolitely || reasonFollows || fillerOnly.slice(index + 1).every(Boolean)
    const pieces = splitOnBreaks(words, lexicon)
    // Only the last piece is asked: in "never mind that, what about my refund?" the cancel is not a question.
    const asked = question && index === segments.length - 1
    return pieces.map((piece) => ({
      words: piece,
      mayBeBare: standsAlone && pieces.length === 1,
      question: asked,
      polite: asksPolitely,
    }))
  })
}

const has = (patterns: PatternList, words: string[]): boolean => findSpans(patterns, words, 'exact').length > 0

const startsWith = (patterns: PatternList, words: string[]): boolean =>
  findSpans(patterns, words, 'exact').some((span) => span.start === 0)

const splitOnBreaks = (words: string[], lexicon: CompiledLexicon): string[][] => {
  const found = findSpans(lexicon.clauseBreaks, words, 'exact')
  if (found.length === 0) return [words]
  // "de carne y hueso", "aus Fleisch und Blut": a break word inside a set phrase does not cut it.
  const phrases = [...findSpans(lexicon.fillers, words, 'exact'), ...findSpans(lexicon.targets, words, 'exact')]
  // "…, und zwar bei einem Menschen": a break word that opens a dependent marker belongs to it.
  const markers = findSpans(lexicon.dependentClauseMarkers, words, 'exact')
  const breaks = found
    .filter((span) => !phrases.some((phrase) => phrase.start < span.start && span.end < phrase.end))
    .filter((span) => !markers.some((marker) => marker.start === span.start && marker.end > span.end))
    .sort((a, b) => a.start - b.start)
  const clauses: string[][] = []
  let start = 0
  for (const span of breaks) {
    if (span.start > start) clauses.push(words.slice(start, span.start))
    start = Math.max(start, span.end)
  }
  if (start < words.length) clauses.push(words.slice(start))
  return clauses
}
