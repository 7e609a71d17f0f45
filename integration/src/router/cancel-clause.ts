// Whether one clause is itself a cancellation: a cancel expression, and every other word a filler, what is cancelled,
// or the request being withdrawn. The cancel matcher judges messages with it; the trigger router uses it to see a
// request taken back later in the same message ("I wanted to speak to someone... actually never mind").
import type { Clause } from './clauses.js'
import type { CompiledLexicon } from './compiled-lexicon.js'
import { findSpans, findSpansAt, longestSpans, overlaps, ownPositions, type Span, type Tolerance } from './patterns.js'

export type CancelClauseVerdict = {
  cancels: boolean
  expression?: string
  leftover?: string
  /** The clause cancels only by negating the request ("nicht die Weiterleitung"), with no cancel word of its own. */
  byNegation?: boolean
}

/** A negation reaches this many words past itself to withdraw a request: "ne me transférez pas" (4). */
const NEGATED_REQUEST_REACH = 6

/**
 * A clause cancels when a cancel expression is in it and every other word is a filler, what is cancelled, or the
 * request being withdrawn ("I no longer need *to speak to someone*"). A negated request is a cancel expression of its
 * own while the customer waits: "don't transfer me after all", "plus besoin de parler à quelqu'un".
 */
export const judgeCancelClause = (
  words: string[],
  lexicon: CompiledLexicon,
  cancelWords: Tolerance = 'typo'
): CancelClauseVerdict => {
  // "no canceles", "don't cancel": a negation right before the cancel word keeps it from cancelling.
  const negators = findSpans(lexicon.negators, words, 'exact')
  const foundAnyhow = findSpans(lexicon.cancelExpressions, words, cancelWords)
  // Most messages stop here: no cancel word and no negation.
  if (foundAnyhow.length === 0 && negators.length === 0) return { cancels: false }
  // The request being withdrawn: talk, transfer me, a human. Its words are what is cancelled, not something else.
  const request = withoutThings(words, lexicon, [
    ...findSpans(lexicon.cues, words, 'typo-keep-ending'),
    ...findSpans(lexicon.standaloneCues, words, 'typo-keep-ending'),
    ...findSpans(lexicon.targets, words, 'typo'),
    ...findSpans(lexicon.personNouns, words, 'typo'),
  ])
  // A word of the request written as it is, is no typo of a cancel word: "sprechen" is not "streichen".
  const asWritten = request.filter((span) => span.exact)
  const misread = (span: Span) =>
    ownPositions(span, words).some(
      (i) =>
        asWritten.some((other) => inside(i, other)) &&
        !span.pattern.parts.some((part) => !part.gap && writtenAs(part, words[i]!))
    )
  const found = foundAnyhow.filter((span) => span.exact || !misread(span))
  // Nor one whose verb is negated: "no quiero cancelar", "I don't want to cancel".
  const linking = [...request, ...findSpans(lexicon.objectMarkers, words, 'exact')]
  const negatedBefore = (negator: Span, span: Span) =>
    negator.end <= span.start && range(negator.end, span.start).every((i) => linking.some((l) => inside(i, l)))
  // "brechen Sie den Auftrag nicht ab": nor a negation inside the words a `…` skipped.
  // "egal wen", "peu importe qui": a set phrase of the request that holds a cancel word does not cancel.
  const setPhrases = found.length > 0 ? findSpans(lexicon.fillers, words, 'exact') : []
  const expressions = longestSpans(found).filter((span) => {
    if (
      setPhrases.some(
        (phrase) =>
          phrase.start <= span.start && span.end <= phrase.end && phrase.end - phrase.start > span.end - span.start
      )
    ) {
      return false
    }
    const own = ownPositions(span, words)
    return negators.every((negator) => !negatedBefore(negator, span) && !skipped(negator, span, own))
  })
  const refusedCancel = found.some((span) => negators.some((negator) => negatedBefore(negator, span)))
  const negatedRequest = refusedCancel ? undefined : findNegatedRequest(negators, request)
  if (!expressions[0] && !negatedRequest) return { cancels: false }
  const covered = new Array<boolean>(words.length).fill(false)
  const cover = (spans: Span[]) => {
    for (const span of spans) for (let i = span.start; i < span.end; i++) covered[i] = true
  }
  // Only the expression's own words: what a `…` skipped must be a filler or what is cancelled ("den Auftrag" is not).
  for (const span of expressions) for (const i of ownPositions(span, words)) covered[i] = true
  if (negatedRequest) cover(negators)
  cover(findSpans(lexicon.cancelObjects, words, 'exact'))
  cover(request)
  // "to", "mit", "con": what ties the request's words together.
  cover(findSpans(lexicon.objectMarkers, words, 'exact'))
  cover(whomTalkedWith(words, lexicon))
  cover(whomRoutedTo(words, lexicon))
  cover(whoWouldContact(words, lexicon))
  cover(findSpans(lexicon.cancelFillers, words, 'exact'))
  const leftover = words.filter((_, i) => !covered[i])
  const source = expressions[0]
    ? expressions[0].pattern.source
    : `${typedWords(words, negatedRequest!.negator)} … ${typedWords(words, negatedRequest!.request)}`
  return {
    cancels: leftover.length === 0,
    expression: source,
    leftover: leftover.join(' '),
    ...(expressions[0] ? {} : { byNegation: true }),
  }
}

/**
 * A request's words less those that are a known non-person as written ("je peux pas rendre le *vélo*" holds no
 * "véto"): the rest of the clause is then about something else, as it is for a request (`notPersons`).
 */
const withoutThings = (words: string[], lexicon: CompiledLexicon, request: Span[]): Span[] => {
  const things = findSpans(lexicon.notPersons, words, 'exact')
  return things.length === 0
    ? request
    : request.filter((span) => span.exact || !things.some((thing) => overlaps(thing, span)))
}

/** The words of whom a request names after its speech word and preposition: "the funeral director". */
const WHOM_WORDS = 3

/**
 * "withdraw my request to talk to *the funeral director*", "ma demande pour parler *au conseiller funéraire*": the noun
 * phrase after a speech word and its preposition is whom the request named, whatever the lexicon calls it, so it is
 * what is withdrawn, not something else. Up to `WHOM_WORDS` words; what follows is still judged.
 */
const whomTalkedWith = (words: string[], { personPlaces: places }: CompiledLexicon): Span[] => {
  const speech = findSpans(places.speechWords, words, 'exact')
  if (speech.length === 0) return []
  return [...findSpans(places.prepositions, words, 'exact'), ...findSpans(places.contractions, words, 'exact')]
    .filter((marker) => speech.some((word) => word.end === marker.start))
    .map((marker) => ({ ...marker, start: marker.end, end: Math.min(marker.end + WHOM_WORDS, words.length) }))
}

/**
 * "No hace falta que me pasen con *la funeraria*": the noun phrase after a routing cue that ends with its preposition
 * ("pasen con") is whom the request named, as after a speech word (`whomTalkedWith`). Up to `WHOM_WORDS` words.
 */
const whomRoutedTo = (words: string[], lexicon: CompiledLexicon): Span[] => {
  const prepositions = findSpans(lexicon.personPlaces.prepositions, words, 'exact')
  if (prepositions.length === 0) return []
  const cues = findSpans(lexicon.cues, words, 'exact')
  return prepositions
    .filter((preposition) => cues.some((cue) => cue.end === preposition.end && cue.start < preposition.start))
    .map((preposition) => ({
      ...preposition,
      start: preposition.end,
      end: Math.min(preposition.end + WHOM_WORDS, words.length),
    }))
}

/** The words of whom a withdrawal names as the one to make the contact: a determiner and one or two words. */
const CONTACT_SUBJECT_WORDS = 3

/**
 * "never mind about *the upholsterer calling me*", "oubliez que *le tapissier me rappelle*": a contact verb whose
 * object is the customer, with a determiner and its noun right before it, is the contact being withdrawn, whoever the
 * noun names. The determiner must open the noun phrase within `CONTACT_SUBJECT_WORDS` words of the verb.
 */
const whoWouldContact = (words: string[], { personContacts: contacts }: CompiledLexicon): Span[] => {
  const verbs = findSpans(contacts.contactVerbs, words, 'exact')
  if (verbs.length === 0) return []
  const determiners = findSpans(contacts.determiners, words, 'exact')
  return verbs.flatMap((verb) => {
    const subject = determiners.find(
      (determiner) => determiner.end < verb.start && verb.start - determiner.start <= CONTACT_SUBJECT_WORDS
    )
    return subject ? [{ ...verb, start: subject.start }] : []
  })
}

type NegatedRequest = Span & { negator: Span; request: Span }

/** The first negation followed, within reach, by a word of the request. */
const findNegatedRequest = (negators: Span[], request: Span[]): NegatedRequest | undefined => {
  for (const negator of negators) {
    const asked = request
      .filter((span) => span.start >= negator.end && span.start - negator.start <= NEGATED_REQUEST_REACH)
      .sort((a, b) => a.start - b.start)[0]
    if (asked) return { ...negator, end: asked.end, negator, request: asked }
  }
  return undefined
}

const writtenAs = (part: { word: string; prefix: boolean; suffix: boolean }, typed: string): boolean =>
  part.prefix ? typed.startsWith(part.word) : part.suffix ? typed.endsWith(part.word) : typed === part.word

const range = (start: number, end: number): number[] => Array.from({ length: end - start }, (_, i) => start + i)

const inside = (i: number, span: Span): boolean => i >= span.start && i < span.end

const typedWords = (words: string[], span: { start: number; end: number }): string =>
  words.slice(span.start, span.end).join(' ')

const skipped = (negator: Span, span: Span, own: number[]): boolean =>
  negator.start >= span.start && negator.end <= span.end && !own.includes(negator.start)

/**
 * "nevermind i'll just call tomorrow", "olvidalo ya funciona el internet": a cancel that opens the clause, followed
 * by a new sentence without a pause (its first word starts one: I, je, ich, ya). The rest is judged as a clause of its
 * own, so "forget it I want a human" still keeps waiting.
 */
export const splitAfterLeadingCancel = (
  clause: Clause,
  lexicon: CompiledLexicon,
  cancelWords: Tolerance = 'typo'
): Clause[] => {
  const { words } = clause
  const starts = findSpans(lexicon.sentenceStarts, words, 'exact')
  if (starts.length === 0) return [clause]
  const fillers = findSpans(lexicon.cancelFillers, words, 'exact')
  let first = 0
  while (fillers.some((span) => span.start === first))
    first = Math.max(...fillers.filter((s) => s.start === first).map((s) => s.end))
  const lead = longestSpans(findSpansAt(lexicon.cancelExpressions, words, first, cancelWords))[0]
  if (!lead || !starts.some((start) => start.start === lead.end)) return [clause]
  return [
    { ...clause, words: words.slice(0, lead.end), question: false },
    { ...clause, words: words.slice(lead.end) },
  ]
}
