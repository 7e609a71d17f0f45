// Cancel detection while the customer waits for an agent: the message must be the cancellation itself ("cancel",
// "never mind, thanks", "annulez tout"), alone or with filler, possibly followed by a new topic in another clause
// ("never mind that, what about my refund?"). A sentence about cancelling something else ("I need to cancel the
// order I made yesterday", "never mind the previous question") leaves words no cancel vocabulary covers, and is not.
import { segmentMessage, splitClauses, type Clause } from './clauses.js'
import type { CompiledLexicon } from './compiled-lexicon.js'
import { explainCancel, type CancelDecision } from './decision.js'
import { baseLocale, tokenize } from './normalize.js'
import { findSpans, findSpansAt, longestSpans, ownPositions, type Span } from './patterns.js'
import { searchOrder } from './phrase-matcher.js'
import { TriggerRouter, type RouteOptions } from './trigger-router.js'

type ClauseVerdict = { cancels: boolean; expression?: string; leftover?: string }

export class CancelMatcher {
  private readonly _lexicons = new Map<string, CompiledLexicon>()
  /** Tells a clause that still asks for the person ("no thanks, just the agent"). */
  private readonly _requests: TriggerRouter

  public constructor(lexicons: Iterable<CompiledLexicon>) {
    for (const lexicon of lexicons) this._lexicons.set(lexicon.locale, lexicon)
    this._requests = new TriggerRouter(this._lexicons.values())
  }

  public match(text: string, options: RouteOptions): CancelDecision {
    const requested = options.locale ? baseLocale(options.locale) : undefined
    const answerLocale = requested || baseLocale(options.fallbackLocale)
    if (tokenize(text).length === 0) return decide({ matched: false, locale: answerLocale, reason: 'empty' })

    const segments = segmentMessage(text)
    let aboutSomethingElse: CancelDecision | undefined
    for (const locale of searchOrder(requested, baseLocale(options.fallbackLocale), this._lexicons.keys())) {
      const lexicon = this._lexicons.get(locale)!
      const clauses = splitClauses(segments, lexicon).flatMap((clause) => splitAfterLeadingCancel(clause, lexicon))
      for (const clause of clauses) {
        // "forget it? no way, I want my money": a cancel word asked as a question cancels nothing, unless the
        // question is a polite order ("können Sie die Weiterleitung abbrechen?").
        if (clause.question && !isPoliteOrder(clause.words, lexicon)) continue
        const verdict = judgeClause(clause.words, lexicon)
        if (verdict.cancels) {
          const waiting = clauses
            .filter((other) => other !== clause)
            .map((other) => keepsWaiting(other.words, lexicon) ?? this._requests.requestIn(other, locale))
            .find(Boolean)
          if (!waiting) return decide({ matched: true, locale, expression: verdict.expression! })
          // Decisive: another language's look-alike cancel word must not overrule it ("cancel" / "cancelar").
          return decide({
            matched: false,
            locale,
            reason: 'keeps-waiting',
            expression: verdict.expression!,
            evidence: waiting,
          })
        }
        if (verdict.expression && !aboutSomethingElse) {
          aboutSomethingElse = decide({
            matched: false,
            locale,
            reason: 'not-alone',
            expression: verdict.expression,
            evidence: verdict.leftover!,
          })
        }
      }
    }
    return aboutSomethingElse ?? decide({ matched: false, locale: answerLocale, reason: 'no-cancel' })
  }
}

/**
 * "nevermind i'll just call tomorrow", "olvidalo ya funciona el internet": a cancel that opens the clause, followed
 * by a new sentence without a pause (its first word starts one: I, je, ich, ya). The rest is judged as a clause of its
 * own, so "forget it I want a human" still keeps waiting.
 */
const splitAfterLeadingCancel = (clause: Clause, lexicon: CompiledLexicon): Clause[] => {
  const { words } = clause
  const starts = findSpans(lexicon.sentenceStarts, words, 'exact')
  if (starts.length === 0) return [clause]
  const fillers = findSpans(lexicon.cancelFillers, words, 'exact')
  let first = 0
  while (fillers.some((span) => span.start === first))
    first = Math.max(...fillers.filter((s) => s.start === first).map((s) => s.end))
  const lead = longestSpans(findSpansAt(lexicon.cancelExpressions, words, first, 'typo'))[0]
  if (!lead || !starts.some((start) => start.start === lead.end)) return [clause]
  return [
    { ...clause, words: words.slice(0, lead.end), question: false },
    { ...clause, words: words.slice(lead.end) },
  ]
}

const decide = (decision: Omit<CancelDecision, 'explanation'>): CancelDecision => ({
  ...decision,
  explanation: explainCancel(decision),
})

/** A negation reaches this many words past itself to withdraw a request: "ne me transférez pas" (4). */
const NEGATED_REQUEST_REACH = 6

/**
 * A clause cancels when a cancel expression is in it and every other word is a filler, what is cancelled, or the
 * request being withdrawn ("I no longer need *to speak to someone*"). A negated request is a cancel expression of its
 * own while the customer waits: "don't transfer me after all", "plus besoin de parler à quelqu'un".
 */
const judgeClause = (words: string[], lexicon: CompiledLexicon): ClauseVerdict => {
  // "no canceles", "don't cancel": a negation right before the cancel word keeps it from cancelling.
  const negators = findSpans(lexicon.negators, words, 'exact')
  const foundAnyhow = findSpans(lexicon.cancelExpressions, words, 'typo')
  // Most messages stop here: no cancel word and no negation.
  if (foundAnyhow.length === 0 && negators.length === 0) return { cancels: false }
  // The request being withdrawn: talk, transfer me, a human. Its words are what is cancelled, not something else.
  const request = [
    ...findSpans(lexicon.cues, words, 'typo-keep-ending'),
    ...findSpans(lexicon.standaloneCues, words, 'typo-keep-ending'),
    ...findSpans(lexicon.targets, words, 'typo'),
    ...findSpans(lexicon.personNouns, words, 'typo'),
  ]
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
  cover(findSpans(lexicon.cancelFillers, words, 'exact'))
  const leftover = words.filter((_, i) => !covered[i])
  const source = expressions[0]
    ? expressions[0].pattern.source
    : `${typedWords(words, negatedRequest!.negator)} … ${typedWords(words, negatedRequest!.request)}`
  return { cancels: leftover.length === 0, expression: source, leftover: leftover.join(' ') }
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

/** The waiting words of a clause that only says it keeps waiting for the person ("I'll wait for the agent"). */
const keepsWaiting = (words: string[], lexicon: CompiledLexicon): string | undefined => {
  const waiting = findSpans(lexicon.keepWaiting, words, 'exact')
  if (!waiting[0]) return undefined
  const covered = new Array<boolean>(words.length).fill(false)
  const spans = [
    ...waiting,
    ...findSpans(lexicon.targets, words, 'typo'),
    ...findSpans(lexicon.objectMarkers, words, 'exact'),
    ...findSpans(lexicon.cancelFillers, words, 'exact'),
  ]
  for (const span of spans) for (let i = span.start; i < span.end; i++) covered[i] = true
  return covered.every(Boolean) ? typedWords(words, waiting[0]) : undefined
}

/** The question opens with a polite order, perhaps after a filler: "ok, können Sie…", "please could you…". */
const MAX_WORDS_BEFORE_POLITE_ORDER = 1

const isPoliteOrder = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.politeOrders, words, 'exact').some((span) => span.start <= MAX_WORDS_BEFORE_POLITE_ORDER)

const skipped = (negator: Span, span: Span, own: number[]): boolean =>
  negator.start >= span.start && negator.end <= span.end && !own.includes(negator.start)
