// Patterns of the lexicons and of the configuration, compiled once and found in a message's words.
// A pattern is words (typo-tolerant where the role allows), words ending in `*` (prefixes), words starting with `*`
// (suffixes: German compounds, "*berater" for "Kreditberater") and `…` gaps.
import { allowedEdits, wordsMatch } from './edit-distance.js'
import { tokenize } from './normalize.js'
import {
  addFirstLetterOf,
  addLastLetterOf,
  addWord,
  emptyStartFilter,
  mayStart,
  type StartFilter,
} from './start-filter.js'

/** A `…` in a pattern stands for this many words at most (of any kind). */
export const MAX_GAP_WORDS = 3

const GAP_MARKS = new Set(['…', '...'])

type PatternPart = { gap: true } | { gap: false; word: string; prefix: boolean; suffix: boolean }

export type Pattern = { source: string; parts: readonly PatternPart[]; wordCount: number }

/**
 * How a pattern's words compare with the customer's: `exact` for grammar words (a typo in "not" is another word),
 * `typo` for vocabulary, `typo-keep-ending` for verbs whose ending carries tense and person ("talked" is not "talk").
 */
export type Tolerance = 'exact' | 'typo' | 'typo-keep-ending'

/** A pattern found in a message: words [start, end). */
export type Span = { pattern: Pattern; start: number; end: number; exact: boolean }

/** Compiles `source`; undefined when it has no word at all ("?!"). */
export const compilePattern = (source: string): Pattern | undefined => {
  const parts: PatternPart[] = []
  for (const raw of source.trim().split(/\s+/)) {
    if (GAP_MARKS.has(raw)) {
      if (parts.length > 0 && !parts.at(-1)!.gap) parts.push({ gap: true })
      continue
    }
    const words = tokenize(raw)
    words.forEach((word, index) => {
      parts.push({
        gap: false,
        word,
        prefix: raw.endsWith('*') && index === words.length - 1,
        suffix: raw.startsWith('*') && index === 0,
      })
    })
  }
  while (parts.at(-1)?.gap) parts.pop()
  const wordCount = parts.filter((part) => !part.gap).length
  return wordCount === 0 ? undefined : { source: source.trim(), parts, wordCount }
}

/**
 * Patterns indexed by the first letter of their first word: every tolerance requires that letter to match (typos
 * rarely hit it), so a message word is only compared with the few patterns that start like it. Patterns whose first
 * word is a suffix ("*abteilung") have no first letter and are tried at every word.
 */
export type PatternList = {
  patterns: readonly Pattern[]
  byFirstLetter: ReadonlyMap<string, readonly Pattern[]>
  suffixFirst: readonly Pattern[]
  /** For exact search (most lists): a plain first word must be the typed one, so only its patterns are tried. */
  exactByFirstWord: ReadonlyMap<string, readonly Pattern[]>
  /** Patterns whose first word is a prefix ("apotheker*"), by first letter: exact search tries them beside. */
  prefixFirstByLetter: ReadonlyMap<string, readonly Pattern[]>
  /**
   * `suffixFirst` by the last letter of that suffix, in the same order: a word can only end with a suffix whose last
   * letter is its own, so most words try none of them.
   */
  suffixFirstByLastLetter: ReadonlyMap<string, readonly Pattern[]>
  /** Turns away, before the maps above are consulted, the words no pattern can start with: exact search. */
  exactStarts: StartFilter
  /** The same when typos are allowed: only the first letter of a pattern's first word must be the typed one. */
  typoStarts: StartFilter
  /**
   * `byFirstLetter` narrowed to the patterns whose first word a typed word of that length can be (a typo changes the
   * length by no more than the edits the word allows), in the same order; filled as lengths are met.
   */
  typoByLetterAndLength: Map<string, (readonly Pattern[])[]>
}

const pushTo = (map: Map<string, Pattern[]>, key: string, pattern: Pattern) => {
  const list = map.get(key)
  if (list) list.push(pattern)
  else map.set(key, [pattern])
}

export const compilePatterns = (sources: readonly string[]): PatternList => {
  const patterns = sources.map(compilePattern).filter((pattern): pattern is Pattern => pattern !== undefined)
  const byFirstLetter = new Map<string, Pattern[]>()
  const exactByFirstWord = new Map<string, Pattern[]>()
  const prefixFirstByLetter = new Map<string, Pattern[]>()
  const suffixFirst: Pattern[] = []
  const suffixFirstByLastLetter = new Map<string, Pattern[]>()
  const exactStarts = emptyStartFilter()
  const typoStarts = emptyStartFilter()
  for (const pattern of patterns) {
    const first = pattern.parts[0]
    if (first && !first.gap && first.suffix) {
      suffixFirst.push(pattern)
      pushTo(suffixFirstByLastLetter, first.word.at(-1)!, pattern)
      addLastLetterOf(exactStarts, first.word)
      addLastLetterOf(typoStarts, first.word)
      continue
    }
    const letter = first && !first.gap ? first.word[0]! : ''
    pushTo(byFirstLetter, letter, pattern)
    if (first && !first.gap) addFirstLetterOf(typoStarts, first.word)
    if (first && !first.gap && first.prefix) {
      pushTo(prefixFirstByLetter, letter, pattern)
      addFirstLetterOf(exactStarts, first.word)
    } else if (first && !first.gap) {
      pushTo(exactByFirstWord, first.word, pattern)
      addWord(exactStarts, first.word)
    }
  }
  return {
    patterns,
    byFirstLetter,
    suffixFirst,
    exactByFirstWord,
    prefixFirstByLetter,
    suffixFirstByLastLetter,
    exactStarts,
    typoStarts,
    typoByLetterAndLength: new Map(),
  }
}

/** Longer typed words are compared with every pattern of their first letter: no lexicon word is near this long. */
const LONGEST_LENGTH_INDEXED = 40

/** Whether a typed word of `length` letters can be the first word of `pattern` when typos are allowed. */
const mayBeFirstWordOf = (pattern: Pattern, length: number): boolean => {
  const first = pattern.parts[0]
  if (!first || first.gap) return false
  if (first.prefix) return length >= first.word.length
  return Math.abs(length - first.word.length) <= allowedEdits(first.word.length)
}

/** The patterns of `list` a typed word may start when typos are allowed (suffix-first ones aside), in list order. */
const typoCandidates = (list: PatternList, word: string): readonly Pattern[] | undefined => {
  const letter = word[0]!
  const sameLetter = list.byFirstLetter.get(letter)
  if (!sameLetter || word.length > LONGEST_LENGTH_INDEXED) return sameLetter
  let byLength = list.typoByLetterAndLength.get(letter)
  if (!byLength) list.typoByLetterAndLength.set(letter, (byLength = []))
  return (byLength[word.length] ??= sameLetter.filter((pattern) => mayBeFirstWordOf(pattern, word.length)))
}

const startsFor = (list: PatternList, tolerance: Tolerance): StartFilter =>
  tolerance === 'exact' ? list.exactStarts : list.typoStarts

/** Up to this length, a verb's typo must be a missing, extra or swapped letter: "gave" is not "give", "went" not "want". */
const SHORT_VERB_LENGTH = 4

const KEEP_LAST_LETTER = { keepLastLetter: true } as const
const ANY_LAST_LETTER = { keepLastLetter: false } as const

const sameLetters = (a: string, b: string): boolean => [...a].sort().join('') === [...b].sort().join('')

const wordMatches = (part: Extract<PatternPart, { gap: false }>, typed: string, tolerance: Tolerance): boolean => {
  if (part.prefix) return typed.startsWith(part.word)
  if (part.suffix) return typed.endsWith(part.word)
  if (tolerance === 'exact' || typed === part.word) return typed === part.word
  const keepEnding = tolerance === 'typo-keep-ending'
  // The typo test first: it rejects most words without allocating, which sorting the letters does.
  if (!wordsMatch(part.word, typed, keepEnding ? KEEP_LAST_LETTER : ANY_LAST_LETTER)) return false
  return !(
    keepEnding &&
    part.word.length <= SHORT_VERB_LENGTH &&
    typed.length === part.word.length &&
    !sameLetters(typed, part.word)
  )
}

/** End of the pattern matched from `start`, or -1. Gaps take as few words as they can. */
const matchAt = (
  parts: readonly PatternPart[],
  p: number,
  words: readonly string[],
  w: number,
  tolerance: Tolerance
): number => {
  if (p === parts.length) return w
  const part = parts[p]!
  if (part.gap) {
    for (let skip = 0; skip <= MAX_GAP_WORDS && w + skip <= words.length; skip++) {
      const end = matchAt(parts, p + 1, words, w + skip, tolerance)
      if (end >= 0) return end
    }
    return -1
  }
  const typed = words[w]
  if (typed === undefined || !wordMatches(part, typed, tolerance)) return -1
  return matchAt(parts, p + 1, words, w + 1, tolerance)
}

/** Every place where one of `patterns` occurs in `words`. */
export const findSpans = (list: PatternList, words: readonly string[], tolerance: Tolerance): Span[] => {
  const spans: Span[] = []
  const starts = startsFor(list, tolerance)
  for (let start = 0; start < words.length; start++) {
    if (mayStart(starts, words[start]!)) spansAt(list, words, start, tolerance, spans)
  }
  return spans
}

/** The patterns that occur in `words` starting exactly at `start`: cheaper than `findSpans` when only one place counts. */
export const findSpansAt = (
  list: PatternList,
  words: readonly string[],
  start: number,
  tolerance: Tolerance
): Span[] => {
  const spans: Span[] = []
  const word = words[start]
  if (word !== undefined && mayStart(startsFor(list, tolerance), word)) spansAt(list, words, start, tolerance, spans)
  return spans
}

/**
 * Adds to `spans` the patterns of `list` that occur in `words` from `start` (which must be a word). Only the patterns
 * that may start at that word are tried (with exact search, those whose first word can be it; a suffix only where the
 * word ends with its letter), in the order the list holds them; most lists have none for most words.
 */
const spansAt = (list: PatternList, words: readonly string[], start: number, tolerance: Tolerance, spans: Span[]) => {
  const word = words[start]!
  // Most lists have no prefix-first or suffix-first pattern: an empty index is not looked up.
  if (tolerance === 'exact') {
    tryAt(list.exactByFirstWord.get(word), words, start, tolerance, spans)
    if (list.prefixFirstByLetter.size > 0) tryAt(list.prefixFirstByLetter.get(word[0]!), words, start, tolerance, spans)
  } else {
    tryAt(typoCandidates(list, word), words, start, tolerance, spans)
  }
  if (list.suffixFirstByLastLetter.size > 0) {
    tryAt(list.suffixFirstByLastLetter.get(word.at(-1)!), words, start, tolerance, spans)
  }
}

const tryAt = (
  candidates: readonly Pattern[] | undefined,
  words: readonly string[],
  start: number,
  tolerance: Tolerance,
  spans: Span[]
) => {
  if (!candidates) return
  for (const pattern of candidates) {
    const end = matchAt(pattern.parts, 0, words, start, tolerance)
    if (end > start) spans.push({ pattern, start, end, exact: isExact(pattern, words.slice(start, end)) })
  }
}

/** Written as the pattern is, without a typo; what a `…` skipped does not count. */
const isExact = (pattern: Pattern, typed: readonly string[]): boolean =>
  pattern.parts.some((part) => part.gap)
    ? matchAt(pattern.parts, 0, typed, 0, 'exact') === typed.length
    : pattern.parts.length === typed.length &&
      // A prefix or suffix word is as written when the typed word starts or ends with it: "wen echt*", "wen echten".
      pattern.parts.every((part, i) => !part.gap && wordMatches(part, typed[i]!, 'exact'))

/**
 * Keeps the longest spans that do not overlap ("customer service" over "service"); among equally long ones, the
 * pattern written exactly as typed ("annulez" over "annuler"), then the one that names more of the words itself
 * rather than skipping them with `…`, then the earliest.
 */
export const longestSpans = (spans: readonly Span[]): Span[] => {
  const sorted = [...spans].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      Number(b.exact) - Number(a.exact) ||
      b.pattern.wordCount - a.pattern.wordCount ||
      a.start - b.start
  )
  const kept: Span[] = []
  for (const span of sorted) {
    if (kept.every((other) => span.end <= other.start || span.start >= other.end)) kept.push(span)
  }
  return kept.sort((a, b) => a.start - b.start)
}

export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end

/** Whether the spans together cover every one of `length` words: "only a target and fillers", "only a thought". */
export const coverAll = (length: number, spans: readonly { start: number; end: number }[]): boolean => {
  const covered = new Array<boolean>(length).fill(false)
  for (const span of spans) for (let i = span.start; i < span.end; i++) covered[i] = true
  return covered.every(Boolean)
}

/** The positions of a span that are the pattern's own words, not words a `…` skipped. */
export const ownPositions = (span: Span, words: string[]): number[] => {
  const parts = span.pattern.parts
  const positions = Array.from({ length: span.end - span.start }, (_, i) => span.start + i)
  if (!parts.some((part) => part.gap)) return positions
  const own = parts.flatMap((part) => (part.gap ? [] : [part]))
  // The first and last words are always the pattern's (a pattern neither starts nor ends with a gap).
  return positions.filter(
    (i) =>
      i === span.start ||
      i === span.end - 1 ||
      own.some((part) =>
        part.prefix
          ? words[i]!.startsWith(part.word)
          : part.suffix
            ? words[i]!.endsWith(part.word)
            : words[i] === part.word
      )
  )
}
