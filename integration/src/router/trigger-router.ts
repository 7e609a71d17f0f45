// The trigger router: does a message ask, now, for a person? A small rule engine over normalised words:
//   a request = a cue (talk, connect me, I want, is … available) + a target (human, agent, someone from support),
//   in any order, in one clause, unless the clause is negated, narrates the past, talks about a person, or has
//   someone else as its subject. A clause that is only a target ("agent", "human please"), or a fetch of one ("bring
//   me the manager"), is a request too, and so are the phrases a bot builder configured. Every answer says which
//   words decided it.
import { judgeCancelClause, splitAfterLeadingCancel } from './cancel-clause.js'
import { segmentMessage, splitClauses, type Clause, type Segments } from './clauses.js'
import type { CompiledLexicon } from './compiled-lexicon.js'
import {
  DECISIVE_REASONS,
  explainMatch,
  explainRefusal,
  REFUSAL_REASONS,
  type MatchParts,
  type MatchRule,
  type RefusalReason,
  type TriggerDecision,
} from './decision.js'
import { baseLocale, tokenize } from './normalize.js'
import { coverAll, findSpans, longestSpans, overlaps, ownPositions, type Span, type Tolerance } from './patterns.js'
import type { RequestCheck } from './model/request-check.js'
import { PhraseSet, searchOrder, type PhraseSpan } from './phrase-matcher.js'
import { splitQuotes } from './quotes.js'

/** A negation reaches this many words past itself: "I never asked to talk to a human" (6). */
const NEGATION_REACH = 8

/** A remark that asking is pointless judges the request it follows within this many words ("…, ça sert à rien"). */
const FUTILITY_REACH = 1

/** Narration this many words past a whole request tells another story ("connect me to the fraud team my card was…"). */
const NARRATION_GAP = 2

/** German puts the verb after the negation and an adverb or two: "die Person nicht nochmal sprechen". */
const VERB_LAST_REACH = 2

/** A negated ask opens its question, perhaps after one filler: "oiga, ¿no hay…", "menno, kann mir nicht…". */
const MAX_WORDS_BEFORE_NEGATED_ASK = 1

/** The first words of a routing cue's destination in which a thing means no desk is asked for ("the wifi"). */
const DESTINATION_WORDS_LOOKED_AT = 2

/** The fewest letters before a person's ending for a word to be a trade: "mechanic", "florist", not "topic". */
const MIN_STEM_BEFORE_ENDING = 4

/** A speech word may stand this many words before its preposition: "speak *directly* to the owner". */
const SPEECH_TO_PREPOSITION_GAP = 1

/** German says the verb last, after what qualifies whom: "mit dem Projektleiter für meinen Auftrag sprechen" (3). */
const NOUN_TO_LAST_VERB_GAP = 3

/** The most words but link words between a subject and its verb: "une personne *de l'atelier de retouches* me contacte". */
const SUBJECT_TO_CONTACT_GAP = 5
/** The longest relative clause, with its marker, between a subject and its contact verb: "qui est venu mardi de". */
const RELATIVE_CLAUSE_WORDS = 6

/** A word that is a number: "4" in "for 4 people". */
const DIGITS = /^\d+$/

export type RouteOptions = { locale?: string; fallbackLocale: string }

type Refusal = { reason: RefusalReason; evidence?: string; target?: string }
/**
 * A match, and the words that describe the person it asks for ("who helped me last week"), when the rules read a
 * relative clause after whom: the request check reads the request without them.
 */
type Judged = { decision: TriggerDecision; described?: readonly string[] }
type ClauseVerdict = ({ matched: true } & Judged) | ({ matched: false } & Refusal)

type LocaleRules = { lexicon: CompiledLexicon; phrases: PhraseSet; neverTrigger: PhraseSet }
type Strictness = 'tolerant' | 'exact'

/** How words of the lexicon (targets, trades) are matched: with typos in the customer's own language only. */
const vocabularyTolerance = (strictness: Strictness): Tolerance => (strictness === 'tolerant' ? 'typo' : 'exact')

/** How cue verbs are matched: as vocabulary, but a typo may not change the ending that carries tense ("talked"). */
const verbTolerance = (strictness: Strictness): Tolerance => (strictness === 'tolerant' ? 'typo-keep-ending' : 'exact')

export class TriggerRouter {
  private readonly _rules = new Map<string, LocaleRules>()

  /** The request check (model/): a second look that may refuse what the rules matched. */
  public constructor(
    lexicons: Iterable<CompiledLexicon>,
    private readonly _check?: RequestCheck
  ) {
    for (const lexicon of lexicons) {
      this._rules.set(lexicon.locale, {
        lexicon,
        phrases: new PhraseSet(lexicon.phrases, lexicon.fillerWords),
        neverTrigger: new PhraseSet(lexicon.neverTrigger, lexicon.fillerWords),
      })
    }
  }

  /**
   * Whether one clause, in one locale's words, names the person it asks for: the cancel matcher uses it so that "no
   * thanks, just the agent" does not cancel. A cue alone does not count: in "nicht nötig, mich weiterzuleiten" the
   * clause before has withdrawn it. The target or phrase that asks, or undefined.
   */
  public requestIn(clause: Clause, locale: string): string | undefined {
    const rules = this._rules.get(locale)
    const verdict = rules ? judgeClause(clause, rules, 'tolerant') : undefined
    if (!verdict?.matched) return undefined
    return verdict.decision.target ?? verdict.decision.phrase
  }

  public get locales(): string[] {
    return [...this._rules.keys()]
  }

  /** The rules' decision, then the request check's second look at a match or at a near miss. */
  public match(text: string, options: RouteOptions): TriggerDecision {
    const { decision, described } = this._decide(text, options)
    return this._check ? this._check.review(decision, withoutDescription(text, described)) : decision
  }

  /** Tries the customer's locale first, then the fallback, then the others; the first that decides wins. */
  private _decide(text: string, options: RouteOptions): Judged {
    const requested = options.locale ? baseLocale(options.locale) : undefined
    const answerLocale = requested || baseLocale(options.fallbackLocale)
    const order = searchOrder(requested, baseLocale(options.fallbackLocale), this._rules.keys())
    const segments = segmentMessage(text)
    const words = segments.flatMap((sentence) => sentence.pieces.flat())
    if (words.length === 0) return { decision: refusal(answerLocale, { reason: 'empty' }) }

    // The bot builder's own words come first: never-trigger phrases, then a phrase that is the whole message.
    for (const locale of order) {
      const never = this._rules.get(locale)?.neverTrigger.find(words)
      if (never) return { decision: refusal(locale, { reason: 'never-trigger', evidence: never.phrase }) }
    }
    for (const locale of order) {
      const phrase = this._rules.get(locale)?.phrases.wholeMessage(words)
      if (phrase) return { decision: matched('phrase', locale, { phrase }) }
    }

    // Words in quotation marks are someone else's ("the app says "please contact an advisor""): the customer's own
    // words decide, and a request only the quotation holds is refused as quoted.
    const quotes = splitQuotes(text)
    if (quotes) {
      const own = this._judgeInOrder(segmentMessage(quotes.outside), order, answerLocale)
      if (own.decision.matched) return own
      const whole = this._judgeInOrder(segments, order, answerLocale).decision
      if (!whole.matched) return { decision: whole }
      return {
        decision: refusal(whole.locale, {
          reason: 'quoted',
          evidence: quotes.quoted.join(' … '),
          ...(whole.target ? { target: whole.target } : {}),
        }),
      }
    }
    return this._judgeInOrder(segments, order, answerLocale)
  }

  /**
   * The first language that matches, or a refusal: a decisive one from whichever language gave it, under its own
   * locale; else the customer's own language's, whose words were read with typos (the one tried first). Another
   * language's reason under the customer's locale would say, for "i want to speak to a funeral director please", that
   * English found no cue when it was Spanish that found no cue.
   */
  private _judgeInOrder(segments: Segments, order: string[], answerLocale: string): Judged {
    let best: { locale: string; refusal: Refusal } | undefined
    let own: Refusal | undefined
    for (const [index, locale] of order.entries()) {
      // In the customer's own language typos are tolerated; in another one only its exact words count, or
      // "humain" in a French sentence would pass for an English "human".
      const strictness: Strictness = index === 0 ? 'tolerant' : 'exact'
      const verdict = this._judgeMessage(segments, this._rules.get(locale)!, strictness)
      if (verdict.matched) return verdict
      own ??= verdict
      if (!best || rank(verdict.reason) < rank(best.refusal.reason)) best = { locale, refusal: verdict }
      if (DECISIVE_REASONS.has(verdict.reason)) break
    }
    return {
      decision:
        best && DECISIVE_REASONS.has(best.refusal.reason)
          ? refusal(best.locale, best.refusal)
          : refusal(answerLocale, own!),
    }
  }

  private _judgeMessage(segments: Segments, rules: LocaleRules, strictness: Strictness): ClauseVerdict {
    let best: Refusal | undefined
    const verdicts: ClauseVerdict[] = []
    const clauses = splitClauses(segments, rules.lexicon)
    for (const [index, clause] of clauses.entries()) {
      let verdict = judgeClause(clause, rules, strictness)
      // Asked without naming anyone: a pronoun may stand for the person named just before ("…zuständig? Den will ich").
      const referent =
        !verdict.matched && verdict.reason === 'no-target'
          ? (referenceBack(clause, clauses.slice(0, index), rules.lexicon, strictness) ??
            pronounOfSpeech(clause, clauses.slice(0, index), rules.lexicon, strictness) ??
            pronounOfRouting(clause, clauses.slice(0, index), rules.lexicon))
          : undefined
      if (referent) verdict = judgeClause(clause, rules, strictness, referent)
      // A cue alone completes the person the clause just before named without one ("…nen Mitarbeiter? bitte
      // verbinden"), past a title and name in apposition ("mit Ihrer Akustikerin, Frau Lehmann, verbinden"): both are
      // judged as one clause, so whatever refuses the first still does.
      const justBefore = verdicts[index - 1]
      // An apposition holds neither a cue nor a target: only then is it looked for.
      const mayBeApposition = justBefore?.matched === false && justBefore.reason === 'no-target' && !justBefore.evidence
      const before = index - 1 - (mayBeApposition ? appositionsBefore(clauses, index, rules.lexicon) : 0)
      const previous = verdicts[before]
      if (
        !verdict.matched &&
        verdict.reason === 'no-target' &&
        previous?.matched === false &&
        previous.reason === 'no-cue'
      )
        if (isOnlyCue(clause.words, rules.lexicon, strictness))
          verdict = judgeClause({ ...clause, words: [...clauses[before]!.words, ...clause.words] }, rules, strictness)
      // "Hauptsache kein Roboter. Bitte verbinden.": after the bot refused earlier in the message, a cue alone asks.
      if (!verdict.matched && verdict.reason === 'no-target')
        verdict = cueAfterRefusedMachine(clause, clauses.slice(0, index), rules.lexicon, strictness) ?? verdict
      verdicts.push(verdict)
      if (verdict.matched) {
        const retraction = takenBack(clauses.slice(index + 1), rules.lexicon)
        const about = retraction
          ? undefined
          : (priceAsked(clause, clauses[index + 1], rules.lexicon) ??
            firstThought(clauses[index - 1], rules.lexicon) ??
            staffAsked(clause, clauses[index + 1], rules.lexicon))
        if (!retraction && !about) return verdict
        const { target, phrase } = verdict.decision
        verdict = retraction
          ? { matched: false, reason: 'withdrawn', evidence: retraction, target: target ?? phrase }
          : { matched: false, reason: 'talks-about', evidence: about, target: target ?? phrase }
      }
      if (!best || rank(verdict.reason) < rank(best.reason)) best = verdict
    }
    return { matched: false, ...(best ?? { reason: 'empty' }) }
  }
}

/**
 * A request taken back later in the same message: a clause after it that is itself a cancellation ("I wanted to speak
 * to someone... actually never mind", "Iba a pedir hablar con alguien pero ya me ayudaste"). Its expression, or
 * undefined. A cancel before the request does not take it back ("forget the FAQ, I want a human"), nor does one asked
 * or one that only does not mind how ("me da igual").
 */
const takenBack = (later: Clause[], lexicon: CompiledLexicon): string | undefined => {
  for (const clause of later.flatMap((other) => splitAfterLeadingCancel(other, lexicon))) {
    // "…, me da igual": not minding how says any will do.
    if (clause.question || findSpans(lexicon.indifference, clause.words, 'exact').length > 0) continue
    const verdict = judgeCancelClause(clause.words, lexicon)
    if (verdict.cancels) return verdict.expression
  }
  return undefined
}

/**
 * "parler à un conseiller, c'est payant ?", "talk to an agent, is it free?": a request that opens with its speech
 * word (the infinitive as a topic), then a clause that is a question of its price and nothing else, asks what talking
 * costs ("je veux parler à un conseiller, c'est payant ?" still asks). The price's words, or undefined.
 */
const priceAsked = (request: Clause, next: Clause | undefined, lexicon: CompiledLexicon): string | undefined => {
  if (!next?.question) return undefined
  const prices = findSpans(lexicon.prices, next.words, 'exact')
  const price = prices[0]
  if (!price || !onlyFillersBeside(next.words, prices, lexicon)) return undefined
  const first = firstWordAfterFillers(request.words, lexicon)
  const opensWithSpeech = findSpans(lexicon.personPlaces.speechWords, request.words, 'exact').some(
    (word) => word.start === first
  )
  return opensWithSpeech ? typedWords(next.words, price) : undefined
}

/**
 * "Ich dachte erst, ich brauch nen Mitarbeiter, aber…": a clause before the request that is only a thought had at
 * first (and fillers) makes the request what was thought, then dropped. Its words, or undefined.
 */
const firstThought = (before: Clause | undefined, lexicon: CompiledLexicon): string | undefined => {
  if (!before) return undefined
  const thought = findSpans(lexicon.firstThoughts, before.words, 'exact')[0]
  if (!thought) return undefined
  return onlyFillersBeside(before.words, [thought], lexicon) ? typedWords(before.words, thought) : undefined
}

/**
 * "Gibt es bei euch auch Tutoren, die Latein können?": a presence frame before a trade, then a relative clause that
 * only qualifies it (no cue, speech word or contact of its own), asks whether such staff exist. The frame's words, or
 * undefined. A target the lexicon knows ("echte Menschen") is asked for as before.
 */
const staffAsked = (request: Clause, next: Clause | undefined, lexicon: CompiledLexicon): string | undefined => {
  if (!next || !(request.question || next.question)) return undefined
  const frame = findSpans(lexicon.staffQuestions, request.words, 'exact')[0]
  if (!frame || !findSpans(lexicon.relativeOpeners, next.words, 'exact').some((span) => span.start === 0))
    return undefined
  const trades = findSpans(lexicon.personNouns, request.words, 'exact').filter((span) => span.start >= frame.end)
  if (trades.length === 0 || findSpans(lexicon.targets, request.words, 'exact').length > 0) return undefined
  const contact = [
    lexicon.cues,
    lexicon.personPlaces.speechWords,
    lexicon.personContacts.contactVerbs,
    lexicon.personContacts.lastVerbs,
  ].some((patterns) => findSpans(patterns, next.words, 'exact').length > 0)
  return contact ? undefined : typedWords(request.words, frame)
}

const contains = (outer: Span, inner: Span): boolean =>
  outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start

const rank = (reason: RefusalReason): number => REFUSAL_REASONS.indexOf(reason)

const matched = (rule: MatchRule, locale: string, parts: MatchParts): TriggerDecision => ({
  matched: true,
  locale,
  rule,
  ...(parts.phrase !== undefined ? { phrase: parts.phrase } : {}),
  ...(parts.cue !== undefined ? { cue: parts.cue } : {}),
  ...(parts.target !== undefined ? { target: parts.target } : {}),
  explanation: explainMatch(rule, locale, parts),
})

const refusal = (locale: string, { reason, evidence, target }: Refusal): TriggerDecision => ({
  matched: false,
  locale,
  reason,
  ...(evidence !== undefined ? { evidence } : {}),
  ...(target !== undefined ? { target } : {}),
  explanation: explainRefusal(reason, locale, evidence, target),
})

const typedWords = (words: readonly string[], span: { start: number; end: number }): string =>
  words.slice(span.start, span.end).join(' ')

/**
 * One clause, in one locale's words. `referent`: a pronoun that stands for a person named before (`referenceBack`),
 * taken as whom the clause asks for.
 */
const judgeClause = (
  clause: Clause,
  { lexicon, phrases }: LocaleRules,
  strictness: Strictness,
  referent?: Span
): ClauseVerdict => {
  const { words } = clause
  const vocabulary = vocabularyTolerance(strictness)
  const verbs = verbTolerance(strictness)
  // A trade or role ("pharmacist", "Apotheker") is whom a cue asks for, like a target, but never a bare request.
  const personNouns = findSpans(lexicon.personNouns, words, vocabulary)
  const knownTargets = findSpans(lexicon.targets, words, vocabulary)
  // A person by the contact they make: known or not, the subject of "call me" is asked for, and its verb is the cue.
  const named = [...knownTargets, ...personNouns]
  // A person by its place where the lexicon names no one itself before it ("mit der Kosmetikerin" is kosmetiker*): the
  // speech word's noun is the one right after its preposition, not a later word the lexicon knows ("avec le
  // photographe au sujet de notre date", where "date" is read as "dame").
  const byPlace = peopleByPlace(words, lexicon).filter((place) =>
    named.every((person) => person.start > place.start && !overlaps(person, place))
  )
  const contacts = peopleByContact(words, named, lexicon)
  const byContact = contacts
    .map((contact) => contact.subject)
    .filter((subject) => !named.some((span) => overlaps(span, subject)))
  const onTheLine = named.length === 0 ? peopleOnTheLine(words, lexicon) : []
  const placesPutThrough = named.length === 0 ? placesToConnect(words, lexicon) : []
  const partitive = named.length === 0 ? partitivePeople(words, lexicon) : []
  const inPerson = named.length === 0 ? peopleInPerson(words, lexicon) : []
  const lexiconCues = [
    ...findSpans(lexicon.cues, words, verbs),
    // "Mensch da?": whether someone is there asks for them only when asked.
    ...(clause.question ? findSpans(lexicon.presenceQuestions, words, 'exact') : []),
  ]
  // A title and a name only where a cue asks: "Frau Schulz war super" praises, and is no person's narration to refuse.
  const titled = lexiconCues.length > 0 ? titledPeople(words, lexicon) : []
  const foundTargets = longestSpans([
    ...knownTargets,
    ...personNouns,
    ...namedPeople(words, lexicon),
    ...titled,
    ...byPlace,
    ...byContact,
    ...onTheLine,
    ...placesPutThrough,
    ...partitive,
    ...inPerson,
    ...(referent ? [referent] : []),
  ])
  const onlyNamedBy = new Set(personNouns.map((span) => span.pattern))
  // A trade that opens the clause after an article is its subject, not whom it asks for: "l'infirmière scolaire a besoin
  // de l'attestation". Without an article ("stationsarzt sprechen möglich?") or asked politely it is still whom.
  const opening = clause.polite ? undefined : firstWordAfterFillers(words, lexicon) || undefined
  // Exact: a compound written with a typo is rare, and a real word must not pass for a target ("argent").
  // Looked for only around a target: most clauses have none.
  const notPersons = foundTargets.length > 0 ? findSpans(lexicon.notPersons, words, 'exact') : []
  const owners = foundTargets.length > 0 ? findSpans(lexicon.owners, words, 'exact') : []
  const ownOrganisations = foundTargets.length > 0 ? findSpans(lexicon.ownOrganisations, words, 'exact') : []
  // "speak *to my* advisor", "mit meinem Kundenbetreuer verbinden": one's own person is asked for after a marker,
  // unless it is someone of the customer's own life ("talk to my manager before I decide", "mit meinem Chef").
  const markers = owners.length > 0 ? findSpans(lexicon.objectMarkers, words, 'exact') : []
  const ownPeople = owners.length > 0 ? findSpans(lexicon.otherSubjects, words, 'exact') : []
  // A trade is always the customer's own once owned: "talk to my lawyer", "à mon comptable"; unless asked to call
  // back: "einen Rückruf von meinem Steuerberater", "que me llame mi contador".
  const callBacks = owners.length > 0 ? findSpans(lexicon.callBacks, words, 'exact') : []
  // Staff the business provides stay asked for once owned: "mit meinem Fahrlehrer sprechen", "meine Lehrerin sprechen".
  const provided = owners.length > 0 ? findSpans(lexicon.providedRoles, words, 'exact') : []
  const speechAfter =
    provided.length > 0 && lexicon.objectMarkersBeforeCue
      ? findSpans(lexicon.personPlaces.directObjectSpeechWords, words, 'exact')
      : []
  const isProvided = (target: Span) => provided.some((role) => overlaps(role, target))
  const askedFor = (owner: Span, target: Span) =>
    (callBacks.some((callBack) => callBack.end === owner.start) ||
      ((!onlyNamedBy.has(target.pattern) || isProvided(target)) &&
        markers.some((marker) => marker.end === owner.start)) ||
      (isProvided(target) && speechAfter.some((verb) => verb.start === target.end))) &&
    !ownPeople.some((person) => person.start === owner.start && person.end >= target.end)
  // "a board game for 4 people", "für zwei Personen": people counted, not asked for.
  const quantities = foundTargets.length > 0 ? findSpans(lexicon.quantities, words, 'exact') : []
  // A digit right after a cue stands for a word: "talk 2 someone".
  const cueSpans = [...lexiconCues, ...contacts.map((contact) => contact.verb)]
  const counted = (span: Span) =>
    span.start > 0 &&
    (quantities.some((number) => number.end === span.start) ||
      (DIGITS.test(words[span.start - 1]!) &&
        cueSpans.every((cue) => cue.end !== span.start - 1) &&
        !isTextSpeakArticle(words, span.start - 1, lexicon)))
  const targets: Span[] = []
  const notPersonTargets: { span: Span; evidence: string }[] = []
  // A word a cue holds as written is that word, not a typo of a target: "Schalten Sie …" is no "Schalter". A contact
  // verb holds its subject in its gap ("mich ein Hörakustiker zurückrufen"), so it is left out.
  const exactCues = lexiconCues.filter((cue) => cue.exact)
  for (const span of foundTargets) {
    if (onlyNamedBy.has(span.pattern) && span.start === opening) continue
    if (!span.exact && exactCues.some((cue) => contains(cue, span))) continue
    const compound = notPersons.find((other) => overlaps(other, span))
    const owner = owners.find((other) => other.end === span.start && !askedFor(other, span))
    const organisation = ownOrganisations.find((other) => other.start === span.end)
    if (compound) notPersonTargets.push({ span, evidence: typedWords(words, compound) })
    else if (counted(span))
      notPersonTargets.push({ span, evidence: typedWords(words, { ...span, start: span.start - 1 }) })
    else if (owner) notPersonTargets.push({ span, evidence: typedWords(words, { start: owner.start, end: span.end }) })
    else if (organisation)
      notPersonTargets.push({ span, evidence: typedWords(words, { start: span.start, end: organisation.end }) })
    else targets.push(span)
  }
  // A word inside a target is not also a cue ("contact" in "contact person"); a cue may span one ("is anyone there").
  const foundCues = longestSpans(cueSpans)
  const notCues = foundCues.length > 0 ? findSpans(lexicon.notCues, words, 'exact') : []
  // A past form the lexicon knows is not a typo of a cue: "gave me" is not "give me".
  const pastForms = foundCues.length > 0 ? findSpans(lexicon.narrative, words, 'exact') : []
  const cues = foundCues.filter(
    (cue) =>
      targets.every((target) => cue.start < target.start || cue.end > target.end) &&
      // …unless the cue is longer and holds it: "transfer this chat" is a cue, "this chat" alone is not.
      notCues.every((other) => !overlaps(other, cue) || contains(cue, other)) &&
      (cue.exact || pastForms.every((past) => !overlaps(past, cue)))
  )
  const phrase = phrases.find(words)
  // Built only when something asks for a person: most messages stop before.
  let lazyBlockers: Blockers | undefined
  const blockers = {
    check: (...args: Parameters<Blockers['check']>) =>
      (lazyBlockers ??= new Blockers(words, lexicon, cues, clause.question)).check(...args),
  }

  if (phrase) {
    const blocked = blockers.check(phrase)
    if (!blocked) return { matched: true, decision: matched('phrase', lexicon.locale, { phrase: phrase.phrase }) }
    return { matched: false, ...blocked }
  }

  const target = targets[0]
  if (target) {
    const targetSource = target.pattern.source
    // A trade alone asks only politely or fetched: "Apotheker bitte", "tráiganme a la supervisora", not "pharmacist".
    const bare =
      clause.mayBeBare &&
      (clause.polite || targets.some((span) => !onlyNamedBy.has(span.pattern))) &&
      (isOnlyTargets(words, targets, lexicon) || opensWithPoliteTarget(words, targets, lexicon))
    const fetch = !bare && clause.mayBeBare ? fetchedAlone(words, targets, lexicon) : undefined
    if (bare || fetch) {
      return {
        matched: true,
        decision: matched('bare-target', lexicon.locale, {
          target: targetSource,
          targetTyped: typedWords(words, target),
          ...(fetch ? { cue: fetch.pattern.source, cueTyped: typedWords(words, fetch) } : {}),
        }),
      }
    }
    // A subject found by its contact verb is asked for by that verb; a person the lexicon names keeps the first cue
    // ("quiero que me atienda una persona" asks with "quiero").
    const contactVerb = byContact.includes(target)
      ? contacts.find((contact) => contact.subject === target)?.verb
      : undefined
    const cue =
      (contactVerb && cues.includes(contactVerb) ? contactVerb : undefined) ?? restatedCue(cues, target) ?? cues[0]
    const requestEnd = Math.max(target.end, cue?.end ?? 0)
    // Only for whom the cue asks ("parler à la dame qui…"), not for a subject ("le conseiller que j'ai eu…").
    const description = cue && cue.end <= target.start ? describedFrom(words, target, lexicon) : undefined
    // A subject's own description right after it says when the person helped before, nothing of the request: "Kann
    // die Verkäuferin *von gestern* mich anrufen?".
    const aside =
      cue && cue.end > target.start
        ? findSpans(lexicon.relativePronouns, words, 'exact').find((span) => span.start === target.end)
        : undefined
    // Asked to speak with or be put through to whom, the description says what that person does; a presence question
    // ("is there a person who comes to read the meter…") asks about the service.
    const spokenTo =
      cue !== undefined &&
      description !== undefined &&
      [lexicon.personPlaces.speechWords, lexicon.routingCues].some((patterns) =>
        findSpans(patterns, words, 'exact').some((span) => span.end <= target.start)
      )
    const blocked = blockers.check({ start: target.start, end: requestEnd }, targetSource, {
      cue,
      whom: target,
      description,
      aside,
      spokenTo,
    })
    if (blocked) return { matched: false, ...blocked }
    if (!cue) {
      const routed = routedRequest(clause, lexicon, verbs, blockers)
      return routed ?? { matched: false, reason: 'no-cue', target: targetSource }
    }
    return {
      matched: true,
      decision: matched('request', lexicon.locale, {
        cue: cue.pattern.source,
        cueTyped: typedWords(words, cue),
        target: targetSource,
        targetTyped: typedWords(words, target),
        byPlace: byPlace.includes(target),
        byContact: byContact.includes(target),
        onTheLine: onTheLine.includes(target),
      }),
      ...describedWords(words, description, lexicon),
    }
  }

  // After a routing cue a desk is whom the customer asks for even when, alone, it is no person: "connect me to
  // human resources", "verbinden Sie mich mit der Personalabteilung". Not when the no-person comes first.
  const routed = routedRequest(clause, lexicon, verbs, blockers, notPersonTargets[0]?.span.start)
  if (routed) return routed

  const standalone = findStandaloneCue(words, lexicon, verbs)
  if (standalone && notPersonTargets.length === 0) {
    // German puts the negation after the verb: "verbinden Sie mich nicht".
    const blocked = blockers.check(standalone, undefined, { negationAnywhere: true })
    if (blocked) return { matched: false, ...blocked }
    return {
      matched: true,
      decision: matched('standalone-cue', lexicon.locale, {
        cue: standalone.pattern.source,
        cueTyped: typedWords(words, standalone),
      }),
    }
  }

  const notAPerson = notPersonTargets[0]
  if (notAPerson) {
    const blocked = blockers.check(notAPerson.span, notAPerson.span.pattern.source)
    return { matched: false, ...(blocked ?? { reason: 'not-a-person', evidence: notAPerson.evidence }) }
  }
  const cue = cues[0]
  return cue
    ? { matched: false, reason: 'no-target', evidence: cue.pattern.source }
    : { matched: false, reason: 'no-target' }
}

/**
 * How many clauses right before `index` are only a title and a name ("Frau Lehmann"), an apposition that names again
 * the person of the clause before them.
 */
const appositionsBefore = (clauses: readonly Clause[], index: number, lexicon: CompiledLexicon): number => {
  let count = 0
  while (index - 1 - count > 0 && isTitledName(clauses[index - 1 - count]!.words, lexicon)) count++
  return count
}

/** A title and the name after it, and fillers: "Frau Lehmann", "Mr Okafor". */
const isTitledName = (words: string[], lexicon: CompiledLexicon): boolean =>
  findSpans(lexicon.personTitles, words, 'exact').some(
    (title) => title.end < words.length && onlyFillersBeside(words, [{ ...title, end: title.end + 1 }], lexicon)
  )

/** A negation reaches a machine this many words on: "kein Roboter", "nicht mit dem Bot" (2). */
const NEGATION_TO_MACHINE_GAP = 2

/**
 * "Frau oder Mann egal, Hauptsache kein Roboter. Bitte verbinden.": a clause of a cue alone asks for a person when a
 * clause before it in the message refused the machine (`Lexicon.machines`), as a request carried across sentences.
 */
const cueAfterRefusedMachine = (
  clause: Clause,
  earlier: readonly Clause[],
  lexicon: CompiledLexicon,
  strictness: Strictness
): ClauseVerdict | undefined => {
  // The refusal first: it is looked up word by word, where a cue is read with typos.
  const refused = earlier.some(({ words }) => {
    const machines = findSpans(lexicon.machines, words, 'exact')
    return (
      machines.length > 0 &&
      findSpans(lexicon.negators, words, 'exact').some((negator) =>
        machines.some(
          (machine) => machine.start >= negator.end && machine.start - negator.end <= NEGATION_TO_MACHINE_GAP
        )
      )
    )
  })
  if (!refused || !isOnlyCue(clause.words, lexicon, strictness)) return undefined
  const verbs = verbTolerance(strictness)
  const cue = findSpans(lexicon.cues, clause.words, verbs)[0]!
  return {
    matched: true,
    decision: matched('standalone-cue', lexicon.locale, {
      cue: cue.pattern.source,
      cueTyped: typedWords(clause.words, cue),
    }),
  }
}

/** The digit text-speak writes for the article "a", "un", "une". */
const TEXT_SPEAK_ARTICLE = '1'

/**
 * "jveu parlé a *1* conseillé", "talk to *1* agent": a "1" right after a speech word and its preposition is the
 * article, not a count ("a room for 1 person" counts).
 */
const isTextSpeakArticle = (words: string[], at: number, { personPlaces: places }: CompiledLexicon): boolean => {
  if (words[at] !== TEXT_SPEAK_ARTICLE) return false
  const preposition = findSpans(places.prepositions, words, 'exact').find((span) => span.end === at)
  return (
    preposition !== undefined &&
    findSpans(places.speechWords, words, 'typo').some((word) => word.end === preposition.start)
  )
}

/** A clause of a cue and fillers alone: "bitte verbinden", "connect me please". */
const isOnlyCue = (words: string[], lexicon: CompiledLexicon, strictness: Strictness): boolean => {
  const verbs = verbTolerance(strictness)
  const cues = findSpans(lexicon.cues, words, verbs)
  return cues.length === 1 && onlyFillersBeside(words, cues, lexicon)
}

/** "Dann bitte *den*": every word but those of `spans` is a filler (not "danke *an* die"). */
const onlyFillersBeside = (words: string[], spans: readonly Span[], lexicon: CompiledLexicon): boolean =>
  coverAll(words.length, [...spans, ...findSpans(lexicon.fillers, words, 'exact')])

/**
 * "Wer ist bei euch für Reklamationen zuständig? *Den* will ich sprechen", "… nen Fotografen? Dann bitte *den*": a
 * pronoun that opens the clause right before its cue, or that only fillers stand beside, when a clause before named a
 * person (a target or a trade). Not an article: "…, aber *die* Verbindung brach ab". The pronoun as a span, or undefined.
 */
const referenceBack = (
  clause: Clause,
  earlier: readonly Clause[],
  lexicon: CompiledLexicon,
  strictness: Strictness
): Span | undefined => {
  const { words } = clause
  const pronouns = findSpans(lexicon.backReferences, words, 'exact')
  if (pronouns.length === 0) return undefined
  const vocabulary = vocabularyTolerance(strictness)
  const first = firstWordAfterFillers(words, lexicon)
  // The cues are looked for only when a pronoun opens the clause: "eine", "den" stand in most German clauses.
  const cues = pronouns.some((span) => span.start <= first)
    ? findSpans(lexicon.cues, words, verbTolerance(strictness))
    : []
  const pronoun = pronouns.find(
    (span) =>
      (span.start <= first && cues.some((cue) => cue.start === span.end)) || onlyFillersBeside(words, [span], lexicon)
  )
  return pronoun && namedBefore(earlier, lexicon, vocabulary) ? { ...pronoun, exact: true } : undefined
}

/** Whether a clause before named a person, a target or a trade: what a pronoun after may stand for. */
const namedBefore = (earlier: readonly Clause[], lexicon: CompiledLexicon, vocabulary: Tolerance): boolean =>
  earlier.some(
    (other) =>
      findSpans(lexicon.targets, other.words, vocabulary).length > 0 ||
      findSpans(lexicon.personNouns, other.words, vocabulary).length > 0
  )

/**
 * "c'est qui le responsable ici ? je veux *lui* parler", "¿Está el encargado? Quiero hablar con *él*": an object
 * pronoun of a speech word (`speechObjectPronouns`), right before it or after it (or a cue) and its preposition at the
 * clause's end (only fillers after: "hablar con el encargado" names its own), when a clause before named a person. The
 * pronoun as a span, or undefined.
 */
const pronounOfSpeech = (
  clause: Clause,
  earlier: readonly Clause[],
  lexicon: CompiledLexicon,
  strictness: Strictness
): Span | undefined => {
  const { words } = clause
  const pronouns = findSpans(lexicon.speechObjectPronouns, words, 'exact')
  if (pronouns.length === 0) return undefined
  const speech = findSpans(lexicon.personPlaces.speechWords, words, 'exact')
  const prepositions = findSpans(lexicon.personPlaces.prepositions, words, 'exact')
  const fillers = findSpans(lexicon.fillers, words, 'exact')
  const endsClause = (at: number): boolean =>
    at >= words.length || fillers.some((filler) => filler.start === at && endsClause(filler.end))
  // A pronoun after its preposition at the clause's end: only then are the cues looked for ("una" is everywhere).
  const closing = pronouns.some(
    (pronoun) => endsClause(pronoun.end) && prepositions.some((preposition) => preposition.end === pronoun.start)
  )
  // A routing cue may stand before the preposition too: "Páseme con él", "put me through to her".
  const cues = closing ? findSpans(lexicon.cues, words, verbTolerance(strictness)) : []
  const afterSpeech = (pronoun: Span) =>
    endsClause(pronoun.end) &&
    prepositions.some(
      (preposition) =>
        preposition.end === pronoun.start &&
        [...speech, ...cues].some((word) => word.end === preposition.start || word.end === preposition.end)
    )
  const pronoun = pronouns.find((span) => speech.some((word) => word.start === span.end) || afterSpeech(span))
  const vocabulary = vocabularyTolerance(strictness)
  return pronoun && namedBefore(earlier, lexicon, vocabulary) ? { ...pronoun, exact: true } : undefined
}

/**
 * "On m'a dit de demander le chef d'agence, alors je le demande : passez-*le*-moi", "Faut que je parle au maître de
 * cérémonie, vous pouvez me *le* passer ?": the object pronoun of a routing frame (`routedPronouns`) stands for the
 * person a clause before named, by the lexicon or by its place after a speech word. The pronoun as a span, or undefined.
 */
const pronounOfRouting = (clause: Clause, earlier: readonly Clause[], lexicon: CompiledLexicon): Span | undefined => {
  const { words } = clause
  const frame = findSpans(lexicon.routedPronouns.frames, words, 'exact')[0]
  if (!frame) return undefined
  const pronoun = findSpans(lexicon.routedPronouns.pronouns, words, 'exact').find(
    (span) => span.start >= frame.start && span.end <= frame.end
  )
  const named =
    namedBefore(earlier, lexicon, 'exact') || earlier.some((other) => peopleByPlace(other.words, lexicon).length > 0)
  return pronoun && named ? { ...pronoun, exact: true } : undefined
}

/**
 * "avant de signer quoi que ce soit je veux parler à un de vos conseillers": a frame of `leadingFrames` that opens the
 * clause (after fillers) with a cue after it only says when the request is made. The frame as a span, or undefined.
 */
const leadingFrame = (words: string[], lexicon: CompiledLexicon, cues: Span[]): Span | undefined => {
  const first = firstWordAfterFillers(words, lexicon)
  const frame = findSpans(lexicon.leadingFrames, words, 'exact').find((span) => span.start === first)
  return frame && cues.some((cue) => cue.start >= frame.end) ? frame : undefined
}

/**
 * "can I speak to Sarah who helped me last week": a word before a relative pronoun that only stands for a person
 * ("who", "quien"), after a marker of whom ("to", "with"), is a person, whatever their name. Reported as written.
 */
const namedPeople = (words: string[], lexicon: CompiledLexicon): Span[] => {
  const relatives = findSpans(lexicon.personRelativePronouns, words, 'exact')
  if (relatives.length === 0) return []
  const markers = findSpans(lexicon.objectMarkers, words, 'exact')
  const fillers = findSpans(lexicon.fillers, words, 'exact')
  return relatives.flatMap((relative) => {
    const name = relative.start - 1
    let before = name
    while (fillers.some((span) => span.end === before && span.start < before)) before--
    if (name < 1 || !markers.some((marker) => marker.end === before)) return []
    return [wordAsPerson(words, name)]
  })
}

/** One word of the message taken as a person, reported as written: a name, a noun found by its place or contact. */
const wordAsPerson = (words: readonly string[], at: number): Span => ({
  pattern: { source: words[at]!, parts: [], wordCount: 1 },
  start: at,
  end: at + 1,
  exact: true,
})

/** "Frau Kaya", "Mrs Patel", "la Sra. Pérez": a title and the name after it, not one's own ("meine Frau"). */
const titledPeople = (words: string[], lexicon: CompiledLexicon): Span[] => {
  const titles = findSpans(lexicon.personTitles, words, 'exact')
  if (titles.length === 0) return []
  const owners = findSpans(lexicon.owners, words, 'exact')
  return titles
    .filter((title) => title.end < words.length && !owners.some((owner) => owner.end === title.start))
    .map((title) => {
      const source = words.slice(title.start, title.end + 1).join(' ')
      const pattern = { source, parts: [], wordCount: title.end + 1 - title.start }
      return { pattern, start: title.start, end: title.end + 1, exact: true }
    })
}

/**
 * "speak to the purser", "parler au commissaire de bord", "mit der Konditorin reden", "den Obermeister sprechen",
 * "hablar con la pastelera": one talks with persons, so the noun of a definite (or "your") phrase after a speech word
 * and its preposition is whom the customer asks for, whatever the lexicon calls it. Where the verb comes last
 * (German) it may follow the phrase, and right after the noun it needs no preposition. Not a known non-person ("the
 * bot"); compounds (`notPersons`), owners and every refusal still apply as to any target. Reported as written.
 */
const peopleByPlace = (words: string[], { personPlaces: places, objectMarkersBeforeCue }: CompiledLexicon): Span[] => {
  const speech = findSpans(places.speechWords, words, 'exact')
  if (speech.length === 0) return []
  const prepositions = findSpans(places.prepositions, words, 'exact')
  // An indefinite article counts only before a noun with a person's ending: "with a mechanic", not "with a question";
  // the noun may follow a modifier ("a funeral director"), which is then read with the article.
  const indefinites = findSpans(places.indefiniteDeterminers, words, 'exact').flatMap((article) => {
    const noun = [article.end, article.end + 1].find(
      (at) => at < words.length && hasPersonEnding(words[at]!, places.personEndings)
    )
    return noun === undefined ? [] : [{ ...article, end: noun }]
  })
  const determiners = [...findSpans(places.determiners, words, 'exact'), ...indefinites]
  const topics = findSpans(places.topicMarkers, words, 'exact')
  const directObjects = findSpans(places.directObjectSpeechWords, words, 'exact')
  // Where a noun phrase starts and its noun: after a preposition and an article, or after a contraction of both.
  const withPreposition = [
    ...prepositions.flatMap((preposition) =>
      determiners
        .filter((determiner) => determiner.start === preposition.end)
        .map((determiner) => ({ start: preposition.start, noun: determiner.end }))
    ),
    ...findSpans(places.contractions, words, 'exact').map((both) => ({ start: both.start, noun: both.end })),
    // "con quien me atendió": the free relative itself stands for the person.
    ...findSpans(places.freeRelatives, words, 'exact').flatMap((relative) =>
      prepositions.some((preposition) => preposition.end === relative.start)
        ? [{ start: relative.start - 1, noun: relative.start }]
        : []
    ),
  ].filter(
    ({ start, noun }) =>
      speech.some((word) => word.end <= start && start - word.end <= SPEECH_TO_PREPOSITION_GAP) ||
      (objectMarkersBeforeCue &&
        speech.some((word) => word.start > noun && word.start - noun - 1 <= NOUN_TO_LAST_VERB_GAP))
  )
  // "den Obermeister sprechen": the article alone, with a verb whose object is whom right after the noun.
  const objectDeterminers = objectMarkersBeforeCue ? findSpans(places.directObjectDeterminers, words, 'exact') : []
  const asObject = objectMarkersBeforeCue
    ? objectDeterminers
        .filter((determiner) => topics.every((topic) => topic.end !== determiner.start))
        .filter((determiner) => directObjects.some((verb) => verb.start === determiner.end + 1))
        .map((determiner) => ({ start: determiner.start, noun: determiner.end }))
    : []
  const notNouns = new Set(
    [...prepositions, ...determiners, ...objectDeterminers, ...speech].flatMap((span) => range(span.start, span.end))
  )
  // The noun, or a compound's head right after it: "the bot", "the fitness app".
  const things = findSpans(places.nonPersons, words, 'exact')
  const isThing = (noun: number) => things.some((thing) => thing.start === noun || thing.start === noun + 1)
  return [...withPreposition, ...asObject]
    .filter(({ noun }) => noun < words.length && !notNouns.has(noun) && !DIGITS.test(words[noun]!) && !isThing(noun))
    .map(({ noun }) => wordAsPerson(words, noun))
}

/** A word longer than its ending by a stem of at least `MIN_STEM_BEFORE_ENDING` letters: "mechanic", not "ic". */
const hasPersonEnding = (word: string, endings: readonly string[]): boolean =>
  endings.some((ending) => word.length >= ending.length + MIN_STEM_BEFORE_ENDING && word.endsWith(ending))

/**
 * "Can one of the seamstresses call me?", "Le gérant du salon peut m'écrire ?", "Kann mich der Meister zurückrufen?",
 * "¿Me puede llamar la encargada?": the subject of a contact verb whose object is the customer is whom the customer
 * asks for, whatever the lexicon calls it. The subject is a determiner and its noun, right before the verb or with only
 * link words ("can") and a complement ("of the salon") between, right after it, or inside its gap (German "mich …
 * zurückrufen"). After a modal that opens a question the noun may have its head after it ("can the game master call
 * me"), and the subject is then the head. A person the lexicon names (`named`) is a subject too: its verb becomes a
 * cue ("quelqu'un de l'équipe peut me recontacter"). Not a known non-person; every refusal still applies as to any
 * target. Reported as written.
 */
const peopleByContact = (
  words: string[],
  named: readonly Span[],
  lexicon: CompiledLexicon
): { subject: Span; verb: Span }[] => {
  const { contactVerbs, lastVerbs, objectsBefore } = lexicon.personContacts
  const found = subjectsOf(words, findSpans(contactVerbs, words, 'exact'), named, lexicon)
  const last = findSpans(lastVerbs, words, 'exact')
  if (last.length === 0) return found
  // A verb last has the customer as its object before the subject: "wenn *mich* mal jemand … zurückruft".
  const objects = findSpans(objectsBefore, words, 'exact')
  const withObject = subjectsOf(words, last, named, lexicon, 'before').filter(({ subject }) =>
    objects.some((object) => object.end <= subject.start)
  )
  return [...found, ...withObject]
}

/**
 * "put me on the phone with the locksmith", "I want the locksmith on call on the phone", "Je veux le serrurier de
 * garde au téléphone", "den Meister ans Telefon", "el encargado al teléfono": the noun in that frame is a person asked
 * for, whatever the lexicon calls it. The frame is no cue: a request still needs one ("I want", "put … on").
 */
const peopleOnTheLine = (words: string[], lexicon: CompiledLexicon): Span[] => {
  const { onTheLine } = lexicon.personContacts
  const frames = findSpans(onTheLine.before, words, 'exact')
  // A bare noun with a trade's ending before the frame needs no article: "Dachdeckermeister ans Telefon bitte".
  const trades = frames.length > 0 ? bareTrades(words, lexicon) : []
  const before = subjectsOf(words, frames, trades, lexicon, 'before')
  const after = subjectsOf(words, findSpans(onTheLine.after, words, 'exact'), [], lexicon, 'after')
  return [...before, ...after].map((found) => found.subject)
}

/**
 * "gib mir einen von euren Tätowierern": the noun after a partitive, with a person's ending in the plural, is whom the
 * customer asks for (`Lexicon.partitives`). Reported as written.
 */
const partitivePeople = (words: string[], { partitives }: CompiledLexicon): Span[] =>
  findSpans(partitives.determiners, words, 'exact')
    .filter((span) => span.end < words.length && hasPersonEnding(words[span.end]!, partitives.personEndings))
    .map((span) => wordAsPerson(words, span.end))

/**
 * "Würde gerne mit einem Bestatter persönlich sprechen": the noun after a preposition and an article (definite or
 * indefinite), right before a word of doing it in person that stands right before a speech word, is whom
 * (`PersonPlaces.inPerson`). Not a known non-person. Reported as written.
 */
const peopleInPerson = (words: string[], { personPlaces: places }: CompiledLexicon): Span[] => {
  const inPerson = findSpans(places.inPerson, words, 'exact')
  if (inPerson.length === 0) return []
  const speech = findSpans(places.speechWords, words, 'exact')
  const prepositions = findSpans(places.prepositions, words, 'exact')
  const articles = [
    ...findSpans(places.determiners, words, 'exact'),
    ...findSpans(places.indefiniteDeterminers, words, 'exact'),
  ]
  const things = findSpans(places.nonPersons, words, 'exact')
  return inPerson
    .filter((adverb) => speech.some((word) => word.start === adverb.end))
    .map((adverb) => adverb.start - 1)
    .filter(
      (noun) =>
        articles.some(
          (article) => article.end === noun && prepositions.some((preposition) => preposition.end === article.start)
        ) && !things.some((thing) => thing.start === noun)
    )
    .map((noun) => wordAsPerson(words, noun))
}

/**
 * "könnt ihr mich mit dem Laden in Ulm verbinden?", "Können Sie mich an die Uhrmacherwerkstatt weitergeben?": a place
 * right after a marker, in a clause that connects the customer, is whom they ask for (`Lexicon.placesToConnect`).
 * Reported as written.
 */
const placesToConnect = (words: string[], { placesToConnect: connect }: CompiledLexicon): Span[] => {
  const verbs = findSpans(connect.verbs, words, 'exact')
  if (verbs.length === 0 || findSpans(connect.objects, words, 'exact').length === 0) return []
  const markers = findSpans(connect.markers, words, 'exact')
  return findSpans(connect.places, words, 'exact')
    .filter((place) => markers.some((marker) => marker.end === place.start))
    .map((place) => wordAsPerson(words, place.start))
}

/** Words with a person's ending (`personPlaces.indefinite`) that are no known non-person. */
const bareTrades = (words: string[], { personPlaces: places }: CompiledLexicon): Span[] => {
  const things = findSpans(places.nonPersons, words, 'exact')
  return words.flatMap((word, at) =>
    hasPersonEnding(word, places.personEndings) && !things.some((thing) => thing.start === at)
      ? [wordAsPerson(words, at)]
      : []
  )
}

/**
 * The subjects of `verbs` (contact verbs, or the frames of `peopleOnTheLine`), placed as `peopleByContact` says;
 * `where` narrows them to a subject before the frame or right after it.
 */
const subjectsOf = (
  words: string[],
  verbs: Span[],
  named: readonly Span[],
  { personContacts: contacts, personPlaces: places, relativePronouns }: CompiledLexicon,
  where?: 'before' | 'after'
): { subject: Span; verb: Span }[] => {
  if (verbs.length === 0) return []
  const relatives = findSpans(relativePronouns, words, 'exact')
  const determiners = findSpans(contacts.determiners, words, 'exact')
  const positions = (spans: Span[]) => new Set(spans.flatMap((span) => range(span.start, span.end)))
  const links = positions(findSpans(contacts.linkWords, words, 'exact'))
  const complements = positions(findSpans(contacts.complementPrepositions, words, 'exact'))
  const markers = findSpans(contacts.verbMarkers, words, 'exact')
  const articles = positions(determiners)
  const grammar = (at: number) => links.has(at) || complements.has(at) || articles.has(at)
  const things = findSpans(places.nonPersons, words, 'exact')
  // "dites à l'accordeur *qui est venu mardi de* me rappeler": a relative clause right after the subject, ended by the
  // marker of a person told to make the contact, within `RELATIVE_CLAUSE_WORDS` words.
  const relativeBeforeMarker = (last: number, verb: Span): boolean =>
    verb.start - (last + 1) <= RELATIVE_CLAUSE_WORDS &&
    relatives.some((relative) => relative.start === last + 1) &&
    markers.some((marker) => marker.end === verb.start && marker.start > last + 1)
  // Only link words and complements (a preposition, perhaps an article, and a noun of one or two words: "de
  // l'équipe garantie") from the subject's last word to the verb.
  const leadsTo = (last: number, verb: Span) => {
    if (relativeBeforeMarker(last, verb)) return true
    // Link words do not count: "peut, s'il vous plaît, me rappeler" is as near as "peut me rappeler".
    if (range(last + 1, verb.start).filter((at) => !links.has(at)).length > SUBJECT_TO_CONTACT_GAP) return false
    let at = last + 1
    while (at < verb.start) {
      if (links.has(at)) at++
      // The marker of a person told to make the contact, right before the verb: "la coordinatrice *de* m'écrire".
      else if (markers.some((marker) => marker.start === at && marker.end === verb.start)) at = verb.start
      else if (complements.has(at)) {
        at += articles.has(at + 1) ? 3 : 2
        if (at < verb.start && !grammar(at)) at++
      } else return false
    }
    return at === verb.start
  }
  // After the verb only where the language puts the subject there ("¿me puede llamar la encargada?"), not "call me a
  // taxi"; inside a verb's gap only where it has one ("kann mich der Meister zurückrufen").
  const placed = (subject: { start: number; last: number }, verb: Span) =>
    where === 'after'
      ? subject.start === verb.end
      : leadsTo(subject.last, verb) ||
        (where === undefined &&
          ((contacts.subjectAfterVerb && subject.start === verb.end) ||
            (verb.pattern.parts.some((part) => part.gap) && subject.start > verb.start && subject.last < verb.end - 1)))
  const found: { subject: Span; verb: Span }[] = []
  for (const person of named) {
    const verb = verbs.find((candidate) => placed({ start: person.start, last: person.end - 1 }, candidate))
    if (verb) found.push({ subject: person, verb })
  }
  const nouns = new Set<number>()
  for (const determiner of determiners) {
    const noun = determiner.end
    if (nouns.has(noun) || noun >= words.length || grammar(noun) || DIGITS.test(words[noun]!)) continue
    if (things.some((thing) => thing.start === noun || thing.start === noun + 1)) continue
    const heads =
      links.has(determiner.start - 1) && noun + 1 < words.length && !grammar(noun + 1) ? [noun, noun + 1] : [noun]
    for (const head of heads) {
      const verb = verbs.find((candidate) => placed({ start: determiner.start, last: head }, candidate))
      if (!verb) continue
      nouns.add(noun)
      found.push({ subject: wordAsPerson(words, head), verb })
      break
    }
  }
  return found
}

/** The later of a cue said twice before whom it asks for: "i dont want a bot *i want* a person". */
const restatedCue = (cues: Span[], target: Span): Span | undefined =>
  cues.find(
    (later) =>
      later.end <= target.start &&
      cues.some((earlier) => earlier.pattern.source === later.pattern.source && earlier.end < later.start)
  )

/** Where the clause's own words start, past fillers and articles ("l", "the", "ok"). */
const firstWordAfterFillers = (words: string[], lexicon: CompiledLexicon): number => {
  const fillers = findSpans(lexicon.fillers, words, 'exact')
  let first = 0
  while (fillers.some((span) => span.start === first)) {
    first = Math.max(...fillers.filter((span) => span.start === first).map((span) => span.end))
  }
  return first
}

/**
 * Where a clause describing the target starts ("the lady *who* handled my case last week", "la chica *que* me atendió
 * ayer"): narration and negation in it describe the person asked for, not the request. Undefined when none follows.
 */
const describedFrom = (
  words: string[],
  target: { start: number; end: number },
  lexicon: CompiledLexicon
): number | undefined =>
  findSpans(lexicon.relativePronouns, words, 'exact').find(
    // A free relative is the target and its clause at once: "con *quien* me atendió ayer"; a person found by its place
    // may hold its relative clause ("the kitchen designer *who* did my plan").
    (span) => span.start >= target.start && span.start <= target.end
  )?.start

/**
 * The words from a description's start to the clause's end, as a match carries them (`Judged`), when a pronoun that
 * only stands for a person opens it ("who", "quien"): after "que" or "that" the words may be the rest of the request
 * ("el contrato de un empleado que se va a Alemania" is about a contract), and the check keeps reading them.
 */
const describedWords = (
  words: string[],
  description: number | undefined,
  lexicon: CompiledLexicon
): { described?: string[] } =>
  description !== undefined &&
  findSpans(lexicon.personRelativePronouns, words, 'exact').some((pronoun) => pronoun.start === description)
    ? { described: words.slice(description) }
    : {}

/**
 * The message as the request check reads it: without the words that describe the person asked for, so that "can I
 * speak to Sarah who helped me last week" is weighed as "can I speak to Sarah". The description is removed where its
 * words stand in the message as written; a description the chat spellings rewrote is left in.
 */
const withoutDescription = (text: string, described: readonly string[] | undefined): string => {
  if (!described?.length) return text
  const words = tokenize(text)
  for (let start = words.length - described.length; start >= 0; start--) {
    if (described.every((word, i) => words[start + i] === word)) {
      return [...words.slice(0, start), ...words.slice(start + described.length)].join(' ')
    }
  }
  return text
}

/**
 * "agent", "a real human please", "human agent": every word is a target or a filler. A marker may lead the target,
 * as when a sentence only adds whom to a request before it: "Ich möchte mich beschweren. Mit einem Mitarbeiter, bitte."
 */
const isOnlyTargets = (
  words: string[],
  targets: Span[],
  lexicon: CompiledLexicon,
  opening: readonly Span[] = []
): boolean => {
  const leading = findSpans(lexicon.objectMarkers, words, 'exact').filter((marker) => marker.end <= targets[0]!.start)
  return onlyFillersBeside(words, [...opening, ...targets, ...leading], lexicon)
}

/**
 * "Tráiganme a la supervisora", "bring me the manager": a fetch (`Lexicon.bareFetches`) that opens the clause, then
 * whom alone, asks as the target alone would. The fetch, or undefined.
 */
const fetchedAlone = (words: string[], targets: Span[], lexicon: CompiledLexicon): Span | undefined => {
  const fetches = findSpans(lexicon.bareFetches, words, 'exact')
  if (fetches.length === 0) return undefined
  const first = firstWordAfterFillers(words, lexicon)
  const fetch = fetches.find((span) => span.start === first)
  if (!fetch || fetch.end > targets[0]!.start) return undefined
  // Its article too: "a *la* supervisora".
  const articles = [lexicon.personPlaces.determiners, lexicon.personPlaces.indefiniteDeterminers].flatMap((patterns) =>
    findSpans(patterns, words, 'exact').filter((article) => article.end <= targets[0]!.start)
  )
  return isOnlyTargets(words, targets, lexicon, [fetch, ...articles]) ? fetch : undefined
}

/**
 * "agent please my order is missing half the items": whom, then a polite word, open the clause, and the reason follows
 * without a pause. Every word up to the polite word is a target or a filler.
 */
const opensWithPoliteTarget = (words: string[], targets: Span[], lexicon: CompiledLexicon): boolean => {
  const polite = findSpans(lexicon.politeness, words, 'exact')[0]
  const before = polite ? targets.filter((span) => span.end <= polite.start) : []
  // The polite word itself need be no filler: "Mensch her!" as "Mensch bitte".
  return before.length > 0 && isOnlyTargets(words.slice(0, polite!.start), before, lexicon)
}

/**
 * "put me through to baggage claims", "verbinden Sie mich mit dem Fundbüro", "páseme con reembolsos": a routing cue
 * says where to go, so the desk that follows it (or that its `…` holds) is whom the customer asks for, whatever it is
 * called; so does someone from a desk asked for politely ("jemanden vom Kundenservice bitte"). Not when that is a thing ("connect me to the wifi"), nor when the clause is negated, narrated or about it.
 */
const routedRequest = (
  { words, polite }: Clause,
  lexicon: CompiledLexicon,
  verbs: Tolerance,
  blockers: { check: Blockers['check'] },
  firstNonPerson?: number
): ClauseVerdict | undefined => {
  const routes = longestSpans([
    ...findSpans(lexicon.routingCues, words, verbs),
    ...(polite ? findSpans(lexicon.politeRoutes, words, 'typo') : []),
  ])
  if (routes.length === 0) return undefined
  const filler = new Set(
    [...findSpans(lexicon.fillers, words, 'exact'), ...findSpans(lexicon.politeness, words, 'exact')].flatMap((span) =>
      range(span.start, span.end)
    )
  )
  const things = findSpans(lexicon.notDestinations, words, 'exact')
  // "die Verbindung zum Mitarbeiter abbrechen": what follows withdraws the request instead of naming a desk.
  const withdrawals = findSpans(lexicon.cancelExpressions, words, 'exact')
  for (const route of routes) {
    if (firstNonPerson !== undefined && firstNonPerson < route.end) continue
    const own = new Set(ownPositions(route, words))
    const destination = range(route.start, words.length).filter((i) => !own.has(i) && !filler.has(i))
    if (destination.length === 0) continue
    // A thing right where the desk would be, past fillers and the cue's own words, or right after the cue's last
    // word when adverbs fill its gap: "connect me to the wifi", "páseme con el enlace", "Leiten Sie mich doch gleich
    // zur Zahlungsseite weiter".
    const near = [
      ...destination.slice(0, DESTINATION_WORDS_LOOKED_AT),
      ...destination.filter((at) => at >= route.end).slice(0, DESTINATION_WORDS_LOOKED_AT),
    ]
    if (things.some((thing) => near.includes(thing.start))) continue
    if (withdrawals.some((span) => span.start >= destination[0]!)) continue
    const where = { start: destination[0]!, end: destination.at(-1)! + 1 }
    const targetTyped = typedWords(words, where)
    // "pass me over to the kitchen designer who did my plan": its relative clause describes whom.
    const description = describedFrom(words, where, lexicon)
    const blocked = blockers.check(
      { start: Math.min(route.start, where.start), end: Math.max(route.end, where.end) },
      targetTyped,
      {
        cue: route,
        // "verbinden Sie mich bitte mit niemandem": the negation may be the destination itself.
        negationAnywhere: true,
        description,
      }
    )
    if (blocked) return { matched: false, ...blocked }
    return {
      matched: true,
      decision: matched('request', lexicon.locale, {
        cue: route.pattern.source,
        cueTyped: typedWords(words, route),
        target: targetTyped,
      }),
      ...describedWords(words, description, lexicon),
    }
  }
  return undefined
}

const range = (start: number, end: number): number[] => Array.from({ length: end - start }, (_, i) => start + i)

/** "weiterverbinden", "transfer me": a cue that asks to be passed on, with no object of its own after it. */
const findStandaloneCue = (words: string[], lexicon: CompiledLexicon, verbs: Tolerance): Span | undefined => {
  const found = longestSpans(findSpans(lexicon.standaloneCues, words, verbs))
  if (found.length === 0) return undefined
  const objects = findSpans(lexicon.objectMarkers, words, 'exact')
  // A place where the cue word is something else, as for any cue: "comuníqueme por correo cuando llegue…".
  const notCues = findSpans(lexicon.notCues, words, 'exact')
  return found.find(
    (cue) =>
      objects.every((object) =>
        lexicon.objectMarkersBeforeCue ? object.start >= cue.start && object.end <= cue.end : object.start < cue.end
      ) && notCues.every((other) => !overlaps(other, cue) || contains(cue, other))
  )
}

/** The grammar that turns words about a person into something other than a request. */
class Blockers {
  private readonly _negators: Span[]
  private readonly _narrative: Span[]
  private readonly _talksAbout: Span[]
  private readonly _schedule: Span[]
  private readonly _futility: Span[]
  private readonly _otherSubject: Span | undefined
  private readonly _requirement: Span | undefined
  private readonly _verbLast: boolean

  public constructor(
    private readonly _words: string[],
    private readonly _lexicon: CompiledLexicon,
    private readonly _cues: Span[],
    question: boolean
  ) {
    const cues = _cues
    const lexicon = _lexicon
    this._verbLast = lexicon.objectMarkersBeforeCue
    const outsideCues = (span: Span) => cues.every((cue) => !overlaps(cue, span))
    // A negation a cue's `…` skipped still negates it: "konnte mir noch nie jemand … erklären".
    const skippedByCue = (span: Span) =>
      cues.some((cue) => overlaps(cue, span) && !ownPositions(cue, _words).includes(span.start))
    // "can't I just talk to someone?": the negation of a question that opens with a negated ask still asks.
    const asks = question
      ? findSpans(lexicon.negatedAsks, _words, 'exact').filter((span) => span.start <= MAX_WORDS_BEFORE_NEGATED_ASK)
      : []
    this._negators = findSpans(lexicon.negators, _words, 'exact').filter(
      (span) => (outsideCues(span) || skippedByCue(span)) && asks.every((ask) => !overlaps(ask, span))
    )
    // A narration that holds the cue narrates it: "…der mich an den Vertrieb *weitergeleitet hat*".
    // …unless it stands in a wish that folding made look past: "Wär nett, wenn …", "Hätten Sie … für mich?".
    const wishes = findSpans(lexicon.presentWishes, _words, 'exact')
    this._narrative = findSpans(lexicon.narrative, _words, 'exact').filter(
      (span) =>
        (outsideCues(span) || cues.some((cue) => contains(span, cue))) &&
        wishes.every((wish) => !(wish.start <= span.start && span.end <= wish.end))
    )
    // A question frame that holds the cue asks about the request rather than making it: "why would I want to…",
    // "do I need to speak…", "warum sollte ich…"; one inside a cue is part of it ("is it" in "is it possible").
    const leading = leadingFrame(_words, lexicon, cues)
    this._talksAbout = findSpans(lexicon.talksAbout, _words, 'exact').filter(
      (span) =>
        (outsideCues(span) || cues.some((cue) => contains(span, cue))) &&
        wishes.every((wish) => !(wish.start <= span.start && span.end <= wish.end)) &&
        !(leading && overlaps(leading, span))
    )
    // "ist der Kundenservice am Samstag erreichbar?" asks when, wherever the time is said; so does a job application.
    // A companion frame may hold the cue it turns: "bring a support person with me".
    this._schedule = findSpans(lexicon.aboutAnywhere, _words, 'exact').filter(
      (span) => outsideCues(span) || cues.some((cue) => contains(span, cue))
    )
    this._futility = findSpans(lexicon.futility, _words, 'exact')
    const fillers = findSpans(lexicon.fillers, _words, 'exact')
    let first = 0
    while (fillers.some((span) => span.start === first && span.end - span.start === 1)) first++
    this._otherSubject = findSpans(lexicon.otherSubjects, _words, 'exact').find((span) => span.start === first)
    // "Brauche ich einen Berater, um …?": whether one is needed, asked with the verb first. Only the clause's very first
    // words: after an adverb the same words state a need ("jetzt brauche ich einen Mitarbeiter").
    this._requirement = findSpans(lexicon.requirementQuestions, _words, 'exact').find((span) => span.start === 0)
  }

  private _isScheduleWord(span: Span): boolean {
    return findSpans(this._lexicon.scheduleWords, this._words, 'exact').some(
      (word) => word.start === span.start && word.end === span.end
    )
  }

  /** The first reason the request at `request` is not one, or undefined. */
  public check(
    request: { start: number; end: number } | PhraseSpan,
    target?: string,
    options: {
      negationAnywhere?: boolean
      cue?: Span
      whom?: Span
      description?: number
      aside?: Span
      spokenTo?: boolean
    } = {}
  ): Refusal | undefined {
    const words = (span: Span) => typedWords(this._words, span)
    // What describes the person asked for ("who helped me yesterday") neither negates nor narrates the request.
    const inRequest = (span: Span) => options.description === undefined || span.start < options.description
    // "i dont want a bot i want a person": the same cue said again after the negated one asks afresh.
    const restated = (span: Span) =>
      options.cue !== undefined &&
      this._cues.some(
        (other) =>
          other !== options.cue &&
          other.pattern.source === options.cue!.pattern.source &&
          // The negation belongs to the first saying: before it, or right after it ("je veux pas le bot").
          (span.end <= other.start || span.start === other.end) &&
          other.end < options.cue!.start
      )
    const negator = this._negators
      .filter((span) => inRequest(span) && !restated(span))
      .find(
        (span) =>
          options.negationAnywhere ||
          (span.start < request.end &&
            request.end - span.start <= NEGATION_REACH &&
            // Between whom and the cue it negates too: "le portail agents ne me laisse pas me connecter".
            (options.whom && options.cue
              ? !overlaps(span, options.whom) && !ownPositions(options.cue, this._words).includes(span.start)
              : !overlaps(span, request))) ||
          // Right before the cue, even after the target: "le support a fermé mon ticket sans répondre".
          span.end === options.cue?.start ||
          // Between whom and the verb that ends the clause: "Ich will den Tierarzt *nicht* sprechen", or that a
          // description follows: "ich will die Person nicht nochmal sprechen, die mich …".
          (this._verbLast &&
            span.start === options.whom?.end &&
            (span.end === this._words.length - 1 ||
              this._cues.some((cue) => cue.start >= span.end && cue.start - span.end <= VERB_LAST_REACH)))
      )
    if (negator) return { reason: 'negated', evidence: words(negator), ...(target ? { target } : {}) }
    // Narration two words or more past a whole request (cue, then whom) starts a story of its own: "connect me to the
    // fraud team my card was charged twice". Closer, it still narrates it: "I wanted to talk to an agent yesterday".
    const storyFrom =
      options.cue && options.cue.end <= request.end && options.cue.start <= request.start
        ? request.end + NARRATION_GAP
        : Infinity
    const aside = options.aside
    const describesWhom = (span: Span) => aside !== undefined && aside.start <= span.start && span.end <= aside.end
    const narrative = this._narrative.find((span) => inRequest(span) && span.start < storyFrom && !describesWhom(span))
    if (narrative) return { reason: 'narrative', evidence: words(narrative), ...(target ? { target } : {}) }
    const about =
      this._talksAbout.find((span) => span.start < request.start) ??
      // A day or a timetable in the description of whom one speaks to says what that person does: "whoever runs the
      // club *on saturdays*", "me passer la personne qui gère *les horaires*". Any other word there still counts.
      this._schedule.find((span) => inRequest(span) || !options.spokenTo || !this._isScheduleWord(span)) ??
      this._requirement ??
      // Right after the request it judges: "parler à un conseiller ça sert à rien", not "this bot is useless".
      this._futility.find((span) => span.start >= request.end && span.start - request.end <= FUTILITY_REACH)
    if (about) return { reason: 'talks-about', evidence: words(about), ...(target ? { target } : {}) }
    if (this._otherSubject) {
      return { reason: 'someone-else', evidence: words(this._otherSubject), ...(target ? { target } : {}) }
    }
    return undefined
  }
}
