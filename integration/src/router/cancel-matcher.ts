// Cancel detection while the customer waits for an agent: the message must be the cancellation itself ("cancel",
// "never mind, thanks", "annulez tout"), alone or with filler, possibly followed by a new topic in another clause
// ("never mind that, what about my refund?"). A sentence about cancelling something else ("I need to cancel the
// order I made yesterday", "never mind the previous question") leaves words no cancel vocabulary covers, and is not.
import { segmentMessage, splitClauses, type Clause } from './clauses.js'
import type { CompiledLexicon } from './compiled-lexicon.js'
import { judgeCancelClause, splitAfterLeadingCancel } from './cancel-clause.js'
import { explainCancel, type CancelDecision } from './decision.js'
import { baseLocale, tokenize } from './normalize.js'
import { coverAll, findSpans, overlaps, type Tolerance } from './patterns.js'
import { searchOrder } from './phrase-matcher.js'
import { TriggerRouter, type RouteOptions } from './trigger-router.js'

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
    const order = searchOrder(requested, baseLocale(options.fallbackLocale), this._lexicons.keys())
    for (const [index, locale] of order.entries()) {
      const lexicon = this._lexicons.get(locale)!
      // Typos only in the customer's own language, as for requests: in another one a cancel word must be written as
      // it is, or English "also" passes for Spanish "alto".
      const cancelWords: Tolerance = index === 0 ? 'typo' : 'exact'
      // The clauses of sentences asked as a question, each of them and not only the last.
      const inQuestions = new Set<Clause>()
      const clauses: Clause[] = []
      for (const sentence of segments) {
        const own = splitClauses([sentence], lexicon).flatMap((clause) =>
          splitAfterLeadingCancel(clause, lexicon, cancelWords)
        )
        clauses.push(...own)
        if (sentence.question) for (const clause of own) inQuestions.add(clause)
      }
      for (const [position, clause] of clauses.entries()) {
        const before = clauses.slice(0, position)
        // "forget it? no way, I want my money": a cancel word asked as a question cancels nothing, unless the
        // question is a polite order ("können Sie die Weiterleitung abbrechen?").
        if (clause.question && !isPoliteOrder(clause.words, lexicon)) continue
        // "Kann ich abbrechen und später nochmal fragen, ohne …?": asking whether one may, in any clause of the question.
        if (inQuestions.has(clause) && asksOwnAbility(clause.words, lexicon)) continue
        if (isCondition(clause.words, lexicon)) continue
        const verdict = judgeCancelClause(clause.words, lexicon, cancelWords)
        // "Ich will meinen Mietwagen stornieren, nicht die Weiterleitung": the negated request only says what is not
        // to be cancelled when another clause cancels something else.
        const contrast =
          verdict.byNegation &&
          isContrast(clause.words, lexicon) &&
          before.some((other) => {
            const elsewhere = judgeCancelClause(other.words, lexicon, cancelWords)
            return elsewhere.expression !== undefined && !elsewhere.cancels && !elsewhere.byNegation
          })
        // "Den Umzugstermin am 12. | möchte ich absagen": a booking named before a cancel is what it cancels. Decisive,
        // like waiting: another language's look-alike cancel word must not take it for the hand-off's.
        // Not when the cancel names the request itself: "…ist schon gebucht. Dann brauch ich keinen Mitarbeiter mehr".
        const booked =
          verdict.cancels && !namesRequest(clause.words, lexicon) ? bookedBefore(before, lexicon) : undefined
        if (booked) {
          return decide({
            matched: false,
            locale,
            reason: 'not-alone',
            expression: verdict.expression!,
            evidence: booked,
          })
        }
        // "Vergessen Sie die Kinokarten, die brauch ich nicht mehr": a withdrawal pointing back withdraws what was named.
        const pointsBack = verdict.cancels && pointsBackElsewhere(clause.words, before, lexicon, cancelWords)
        if (pointsBack) continue
        // "nah I'm good waiting": a cancel expression inside longer waiting words keeps waiting.
        const fineWaiting = verdict.cancels ? waitingAround(clause.words, lexicon, cancelWords) : undefined
        if (fineWaiting) {
          return decide({
            matched: false,
            locale,
            reason: 'keeps-waiting',
            expression: verdict.expression!,
            evidence: fineWaiting,
          })
        }
        if (verdict.cancels && !contrast) {
          // A clause that is itself a withdrawal waits for no one: "all good now, cancel the request for someone to
          // call me".
          const waiting = clauses
            .filter((other) => other !== clause && !judgeCancelClause(other.words, lexicon, cancelWords).cancels)
            .map(
              (other) =>
                keepsWaiting(other.words, lexicon) ??
                asksHowLong(other, lexicon) ??
                this._requests.requestIn(other, locale)
            )
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
        // "ignore my last msg …" in English: another language's look-alike cancel word ("ignore", Spanish) is no
        // refusal of the customer's own; the answer then says their language found no cancel.
        const customers = requested === undefined || locale === requested
        if (verdict.expression && !aboutSomethingElse && customers) {
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

/** The longest contrast: "not the transfer", "nicht die Weiterleitung", "no la transferencia". */
const CONTRAST_WORDS = 4

/** A negation, then at once an article or filler, and the request's noun: "nicht die Weiterleitung". */
const isContrast = (words: string[], lexicon: CompiledLexicon): boolean =>
  words.length <= CONTRAST_WORDS &&
  findSpans(lexicon.negators, words, 'exact').some((span) => span.start === 0) &&
  findSpans(lexicon.fillers, words, 'exact').some((span) => span.start === 1)

const decide = (decision: Omit<CancelDecision, 'explanation'>): CancelDecision => ({
  ...decision,
  explanation: explainCancel(decision),
})

/** The waiting words of a clause that only says it keeps waiting for the person ("I'll wait for the agent"). */
const keepsWaiting = (words: string[], lexicon: CompiledLexicon): string | undefined => {
  const found = findSpans(lexicon.keepWaiting, words, 'exact')
  if (!found[0]) return undefined
  // "no espero más": waiting words a cancel expression holds withdraw instead.
  const cancels = findSpans(lexicon.cancelExpressions, words, 'exact')
  const waiting = found.filter((span) => cancels.every((cancel) => !overlaps(cancel, span)))
  if (!waiting[0]) return undefined
  const spans = [
    ...waiting,
    ...findSpans(lexicon.targets, words, 'typo'),
    ...findSpans(lexicon.objectMarkers, words, 'exact'),
    ...findSpans(lexicon.cancelFillers, words, 'exact'),
  ]
  return coverAll(words.length, spans) ? typedWords(words, waiting[0]) : undefined
}

/**
 * Waiting words that hold a cancel expression and say more ("I'm good waiting" holds "I'm good"), or undefined. The
 * expression read as the clause read it, typos included: "espero no más" is no "espera no".
 */
const waitingAround = (words: string[], lexicon: CompiledLexicon, cancelWords: Tolerance): string | undefined => {
  const cancels = findSpans(lexicon.cancelExpressions, words, cancelWords)
  const waiting = findSpans(lexicon.keepWaiting, words, 'exact').find((span) =>
    cancels.some(
      (cancel) =>
        span.start <= cancel.start && cancel.end <= span.end && span.end - span.start > cancel.end - cancel.start
    )
  )
  return waiting ? typedWords(words, waiting) : undefined
}

/**
 * The words of a question asking how much longer the person takes ("cuánto más va a tardar el agente"), or undefined.
 * It must name the person: "¿cuánto tarda el envío?" asks about something else, as a new topic.
 */
const asksHowLong = (clause: Clause, lexicon: CompiledLexicon): string | undefined => {
  if (!clause.question) return undefined
  const found = findSpans(lexicon.waitingQuestions, clause.words, 'exact')[0]
  if (!found) return undefined
  const person = [
    ...findSpans(lexicon.targets, clause.words, 'exact'),
    ...findSpans(lexicon.personNouns, clause.words, 'exact'),
  ]
  return person.some((span) => span.start >= found.end) ? typedWords(clause.words, found) : undefined
}

/** The first booking ("Umzugstermin", "la visita") the clauses before a cancel name, as written, or undefined. */
const bookedBefore = (earlier: readonly Clause[], lexicon: CompiledLexicon): string | undefined => {
  for (const clause of earlier) {
    const booking = findSpans(lexicon.bookings, clause.words, 'exact')[0]
    if (booking) return typedWords(clause.words, booking)
  }
  return undefined
}

/**
 * The clause withdraws by pointing back ("die brauch ich nicht mehr", "I don't want that"), names no one, and a clause
 * before is about cancelling something else or says what would be cancelled: the pronoun stands for that.
 */
const pointsBackElsewhere = (
  words: string[],
  earlier: readonly Clause[],
  lexicon: CompiledLexicon,
  cancelWords: Tolerance
): boolean =>
  findSpans(lexicon.cancelBackReferences, words, 'exact').length > 0 &&
  !namesRequest(words, lexicon) &&
  earlier.some((other) => {
    if (findSpans(lexicon.cancelledForms, other.words, 'exact').length > 0) return true
    const verdict = judgeCancelClause(other.words, lexicon, cancelWords)
    return verdict.expression !== undefined && !verdict.cancels && !verdict.byNegation
  })

/** Whom the request asks for, named in the clause: "keinen Mitarbeiter mehr". */
const namesRequest = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.targets, words, 'exact').length > 0 || findSpans(lexicon.personNouns, words, 'exact').length > 0

/** The question opens with a polite order, perhaps after a filler: "ok, können Sie…", "please could you…". */
const MAX_WORDS_BEFORE_POLITE_ORDER = 1

const isPoliteOrder = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.politeOrders, words, 'exact').some((span) => span.start <= MAX_WORDS_BEFORE_POLITE_ORDER)

/** The clause opens with asking whether the customer may or could, perhaps after a filler: "ok, kann ich …". */
const asksOwnAbility = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.ownAbilityQuestions, words, 'exact').some((span) => span.start <= MAX_WORDS_BEFORE_POLITE_ORDER)

/** The clause opens with a condition, perhaps after a filler: "si no me atienden ya", "ok if nobody answers". */
const isCondition = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.conditions, words, 'exact').some((span) => span.start <= MAX_WORDS_BEFORE_POLITE_ORDER)

const typedWords = (words: string[], span: { start: number; end: number }): string =>
  words.slice(span.start, span.end).join(' ')
