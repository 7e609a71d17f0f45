// A lexicon compiled for matching: the built-in one of its language (if any) plus what the configuration adds.
import type { FetchVerbs, Lexicon } from './lexicon.js'
import { BUILT_IN_LEXICONS } from './lexicons/index.js'
import { foldText, tokenize } from './normalize.js'
import { compilePatterns, type PatternList } from './patterns.js'

/** What a bot builder adds to one locale. */
export type LocaleAdditions = {
  cues?: readonly string[]
  targets?: readonly string[]
  phrases?: readonly string[]
  neverTrigger?: readonly string[]
  cancelPhrases?: readonly string[]
}

/** `PersonPlaces`, compiled. */
export type CompiledPersonPlaces = {
  speechWords: PatternList
  prepositions: PatternList
  determiners: PatternList
  indefiniteDeterminers: PatternList
  personEndings: readonly string[]
  contractions: PatternList
  freeRelatives: PatternList
  directObjectSpeechWords: PatternList
  directObjectDeterminers: PatternList
  topicMarkers: PatternList
  inPerson: PatternList
  nonPersons: PatternList
}

/** `PersonContacts`, compiled. */
export type CompiledPlacesToConnect = {
  verbs: PatternList
  objects: PatternList
  markers: PatternList
  places: PatternList
}

export type CompiledPersonContacts = {
  contactVerbs: PatternList
  determiners: PatternList
  linkWords: PatternList
  complementPrepositions: PatternList
  verbMarkers: PatternList
  subjectAfterVerb: boolean
  onTheLine: { before: PatternList; after: PatternList }
  lastVerbs: PatternList
  objectsBefore: PatternList
}

/**
 * A word as written → the words it stands for; and, for any other word, its ending as written (one expression: the
 * stem, then the ending) → as meant.
 */
export type ChatSpellings = {
  words: ReadonlyMap<string, readonly string[]>
  /** Undefined where the language has none. */
  endings?: RegExp
  meant: ReadonlyMap<string, string>
}

export type CompiledLexicon = {
  locale: string
  cues: PatternList
  standaloneCues: PatternList
  /** Cues that count only in a question. */
  presenceQuestions: PatternList
  notCues: PatternList
  routingCues: PatternList
  politeRoutes: PatternList
  notDestinations: PatternList
  targets: PatternList
  personNouns: PatternList
  relativePronouns: PatternList
  personRelativePronouns: PatternList
  personTitles: PatternList
  personPlaces: CompiledPersonPlaces
  personContacts: CompiledPersonContacts
  placesToConnect: CompiledPlacesToConnect
  partitives: { determiners: PatternList; personEndings: readonly string[] }
  /** `Lexicon.chatSpellings` and `chatEndings`, folded. */
  chatSpellings: ChatSpellings
  objectMarkers: PatternList
  machines: PatternList
  objectMarkersBeforeCue: boolean
  notPersons: PatternList
  owners: PatternList
  ownOrganisations: PatternList
  staffQuestions: PatternList
  relativeOpeners: PatternList
  backReferences: PatternList
  speechObjectPronouns: PatternList
  routedPronouns: { frames: PatternList; pronouns: PatternList }
  callBacks: PatternList
  negators: PatternList
  narrative: PatternList
  presentWishes: PatternList
  talksAbout: PatternList
  /**
   * Schedule, job-seeking, companion, other-channel, choice, price and hand-over words: a clause with one talks about
   * a person, wherever it stands.
   */
  aboutAnywhere: PatternList
  leadingFrames: PatternList
  /** `Lexicon.prices` alone: a question of its own after a request asks what the request costs. */
  prices: PatternList
  /** Number words: a target right after one counts people. */
  quantities: PatternList
  /** A clause of a first thought alone: the request in the clause after it was thought, not asked. */
  firstThoughts: PatternList
  futility: PatternList
  /** Asking whether a person is needed, at the opening of a clause. */
  requirementQuestions: PatternList
  /** Question openings whose own negation still asks. */
  negatedAsks: PatternList
  otherSubjects: PatternList
  clauseBreaks: PatternList
  dependentClauseMarkers: PatternList
  clauseSubjects: PatternList
  reasonOpeners: PatternList
  fillers: PatternList
  politeness: PatternList
  /** Single-word fillers, for the phrase matcher. */
  fillerWords: Set<string>
  phrases: readonly string[]
  neverTrigger: readonly string[]
  cancelExpressions: PatternList
  cancelObjects: PatternList
  cancelFillers: PatternList
  keepWaiting: PatternList
  waitingQuestions: PatternList
  politeOrders: PatternList
  conditions: PatternList
  sentenceStarts: PatternList
  indifference: PatternList
  bookings: PatternList
  cancelBackReferences: PatternList
  cancelledForms: PatternList
  /** `Lexicon.bareFetches`: a fetch that opens a clause of whom alone. */
  bareFetches: PatternList
  /** `Lexicon.providedRoles`: trades the business provides, asked for even when owned. */
  providedRoles: PatternList
  /** `Lexicon.schedule` alone: in the description of whom, it says what the person does, not when one asks. */
  scheduleWords: PatternList
  /** `cancel.ownAbilityQuestions`: "can I …", which asks only inside a question. */
  ownAbilityQuestions: PatternList
}

const EMPTY_LEXICON: Lexicon = {
  cues: [],
  standaloneCues: [],
  notCues: [],
  targets: [],
  objectMarkers: [],
  notPersons: [],
  owners: [],
  backReferences: [],
  callBacks: [],
  negators: [],
  narrative: [],
  presentWishes: [],
  talksAbout: [],
  otherSubjects: [],
  clauseBreaks: [],
  dependentClauseMarkers: [],
  fillers: [],
  cancel: { expressions: [], objects: [], fillers: [] },
}

/** The cues of a fetch or send verb: with the customer as its object ("schickt mir"), or closed by its particle ("hol … her"). */
const fetchCuesOf = (fetch: FetchVerbs | undefined): string[] =>
  fetch
    ? fetch.verbs.flatMap((verb) => [
        ...fetch.objects.map((object) => `${verb} ${object}`),
        ...(fetch.particles ?? []).map((particle) => `${verb} … ${particle}`),
      ])
    : []

/** Each spelling's word folded as a message's words are, mapped to the words it stands for. */
/** The stem a dialect ending may follow: "redn" is "reden", but a two-letter word is left as it is. */
const MIN_RESPELLED_STEM = 2
/** Longest ending first, so that "chn" is tried before "hn" would be. */
const compileEndings = (endings: Readonly<Record<string, string>>): Pick<ChatSpellings, 'endings' | 'meant'> => {
  const folded = Object.entries(endings).map(([written, meant]) => [foldText(written), foldText(meant)] as const)
  if (folded.length === 0) return { meant: new Map() }
  const alternatives = folded.map(([written]) => written).sort((a, b) => b.length - a.length)
  return {
    endings: new RegExp(`^(.{${MIN_RESPELLED_STEM},}?)(${alternatives.join('|')})$`),
    meant: new Map(folded),
  }
}

const compileSpellings = (spellings: Readonly<Record<string, string>>): ReadonlyMap<string, readonly string[]> =>
  new Map(Object.entries(spellings).map(([written, meant]) => [tokenize(written).join(' '), tokenize(meant)]))

/**
 * `useBuiltInVocabulary: false` drops the built-in cues, targets and cancel expressions but keeps the grammar
 * (negation, narration, fillers…), so a bot builder's own words are still refused when negated.
 */
export const compileLexicon = (
  locale: string,
  additions: LocaleAdditions = {},
  useBuiltInVocabulary = true
): CompiledLexicon => {
  const builtIn = BUILT_IN_LEXICONS[locale] ?? EMPTY_LEXICON
  const vocabulary = useBuiltInVocabulary ? builtIn : { ...builtIn, ...EMPTY_VOCABULARY }
  const fillers = compilePatterns(builtIn.fillers)
  return {
    locale,
    cues: compilePatterns([
      ...vocabulary.cues,
      ...fetchCuesOf(vocabulary.fetchVerbs),
      ...(builtIn.routedPronouns?.frames ?? []),
      ...(additions.cues ?? []),
    ]),
    standaloneCues: compilePatterns(vocabulary.standaloneCues),
    presenceQuestions: compilePatterns(vocabulary.presenceQuestions ?? []),
    notCues: compilePatterns(builtIn.notCues),
    routingCues: compilePatterns(vocabulary.routingCues ?? []),
    politeRoutes: compilePatterns(vocabulary.politeRoutes ?? []),
    notDestinations: compilePatterns(builtIn.notDestinations ?? []),
    targets: compilePatterns([...vocabulary.targets, ...(additions.targets ?? [])]),
    personNouns: compilePatterns(vocabulary.personNouns ?? []),
    relativePronouns: compilePatterns(builtIn.relativePronouns ?? []),
    personRelativePronouns: compilePatterns(builtIn.personRelativePronouns ?? []),
    personTitles: compilePatterns(builtIn.personTitles ?? []),
    personPlaces: {
      speechWords: compilePatterns(builtIn.personPlaces?.speechWords ?? []),
      prepositions: compilePatterns(builtIn.personPlaces?.prepositions ?? []),
      determiners: compilePatterns(builtIn.personPlaces?.determiners ?? []),
      indefiniteDeterminers: compilePatterns(builtIn.personPlaces?.indefinite?.determiners ?? []),
      personEndings: builtIn.personPlaces?.indefinite?.personEndings ?? [],
      contractions: compilePatterns(builtIn.personPlaces?.contractions ?? []),
      freeRelatives: compilePatterns(builtIn.personPlaces?.freeRelatives ?? []),
      directObjectSpeechWords: compilePatterns(builtIn.personPlaces?.directObject?.speechWords ?? []),
      directObjectDeterminers: compilePatterns(builtIn.personPlaces?.directObject?.determiners ?? []),
      topicMarkers: compilePatterns(builtIn.personPlaces?.topicMarkers ?? []),
      inPerson: compilePatterns(builtIn.personPlaces?.inPerson ?? []),
      nonPersons: compilePatterns(builtIn.personPlaces?.nonPersons ?? []),
    },
    chatSpellings: {
      words: compileSpellings(builtIn.chatSpellings ?? {}),
      ...compileEndings(builtIn.chatEndings ?? {}),
    },
    personContacts: {
      contactVerbs: compilePatterns(builtIn.personContacts?.contactVerbs ?? []),
      determiners: compilePatterns(builtIn.personContacts?.determiners ?? []),
      linkWords: compilePatterns(builtIn.personContacts?.linkWords ?? []),
      complementPrepositions: compilePatterns(builtIn.personContacts?.complementPrepositions ?? []),
      verbMarkers: compilePatterns(builtIn.personContacts?.verbMarkers ?? []),
      subjectAfterVerb: builtIn.personContacts?.subjectAfterVerb ?? false,
      lastVerbs: compilePatterns(builtIn.personContacts?.verbLast?.verbs ?? []),
      objectsBefore: compilePatterns(builtIn.personContacts?.verbLast?.objects ?? []),
      onTheLine: {
        before: compilePatterns(builtIn.personContacts?.onTheLine?.before ?? []),
        after: compilePatterns(builtIn.personContacts?.onTheLine?.after ?? []),
      },
    },
    partitives: {
      determiners: compilePatterns(builtIn.partitives?.determiners ?? []),
      personEndings: builtIn.partitives?.personEndings ?? [],
    },
    placesToConnect: {
      verbs: compilePatterns(builtIn.placesToConnect?.verbs ?? []),
      objects: compilePatterns(builtIn.placesToConnect?.objects ?? []),
      markers: compilePatterns(builtIn.placesToConnect?.markers ?? []),
      places: compilePatterns(builtIn.placesToConnect?.places ?? []),
    },
    objectMarkers: compilePatterns(builtIn.objectMarkers),
    machines: compilePatterns(builtIn.machines ?? []),
    objectMarkersBeforeCue: builtIn.objectMarkersBeforeCue ?? false,
    notPersons: compilePatterns(builtIn.notPersons),
    // A beneficiary stands before a person as an owner does: either way the person is not asked for.
    owners: compilePatterns([...builtIn.owners, ...(builtIn.beneficiaries ?? [])]),
    ownOrganisations: compilePatterns(builtIn.ownOrganisations ?? []),
    staffQuestions: compilePatterns(builtIn.staffQuestions ?? []),
    relativeOpeners: compilePatterns(builtIn.relativeOpeners ?? []),
    backReferences: compilePatterns(builtIn.backReferences ?? []),
    speechObjectPronouns: compilePatterns(builtIn.speechObjectPronouns ?? []),
    routedPronouns: {
      frames: compilePatterns(builtIn.routedPronouns?.frames ?? []),
      pronouns: compilePatterns(builtIn.routedPronouns?.pronouns ?? []),
    },
    callBacks: compilePatterns(builtIn.callBacks ?? []),
    negators: compilePatterns(builtIn.negators),
    narrative: compilePatterns(builtIn.narrative),
    presentWishes: compilePatterns(builtIn.presentWishes ?? []),
    talksAbout: compilePatterns(builtIn.talksAbout),
    leadingFrames: compilePatterns(builtIn.leadingFrames ?? []),
    aboutAnywhere: compilePatterns([
      ...(builtIn.schedule ?? []),
      ...(builtIn.jobSeeking ?? []),
      ...(builtIn.companions ?? []),
      ...(builtIn.otherChannels ?? []),
      ...(builtIn.choices ?? []),
      ...(builtIn.prices ?? []),
      ...(builtIn.handOvers ?? []),
    ]),
    prices: compilePatterns(builtIn.prices ?? []),
    quantities: compilePatterns(builtIn.quantities ?? []),
    firstThoughts: compilePatterns(builtIn.firstThoughts ?? []),
    futility: compilePatterns(builtIn.futility ?? []),
    requirementQuestions: compilePatterns(builtIn.requirementQuestions ?? []),
    negatedAsks: compilePatterns(builtIn.negatedAsks ?? []),
    otherSubjects: compilePatterns(builtIn.otherSubjects),
    clauseBreaks: compilePatterns(builtIn.clauseBreaks),
    dependentClauseMarkers: compilePatterns(builtIn.dependentClauseMarkers),
    clauseSubjects: compilePatterns(builtIn.clauseSubjects ?? []),
    reasonOpeners: compilePatterns(builtIn.reasonOpeners ?? []),
    fillers,
    politeness: compilePatterns(builtIn.politeness ?? []),
    fillerWords: singleWords(fillers),
    phrases: additions.phrases ?? [],
    neverTrigger: additions.neverTrigger ?? [],
    cancelExpressions: compilePatterns([
      ...(useBuiltInVocabulary ? builtIn.cancel.expressions : []),
      ...(additions.cancelPhrases ?? []),
    ]),
    cancelObjects: compilePatterns(builtIn.cancel.objects),
    cancelFillers: compilePatterns([...builtIn.cancel.fillers, ...builtIn.fillers]),
    keepWaiting: compilePatterns(builtIn.cancel.keepWaiting ?? []),
    waitingQuestions: compilePatterns(builtIn.cancel.waitingQuestions ?? []),
    politeOrders: compilePatterns(builtIn.cancel.politeOrders ?? []),
    conditions: compilePatterns(builtIn.cancel.conditions ?? []),
    sentenceStarts: compilePatterns(builtIn.cancel.sentenceStarts ?? []),
    indifference: compilePatterns(builtIn.cancel.indifference ?? []),
    bookings: compilePatterns(builtIn.cancel.bookings ?? []),
    cancelBackReferences: compilePatterns(builtIn.cancel.withdrawnBackReferences ?? []),
    cancelledForms: compilePatterns(builtIn.cancel.cancelledForms ?? []),
    bareFetches: compilePatterns(vocabulary.bareFetches ?? []),
    providedRoles: compilePatterns(builtIn.providedRoles ?? []),
    scheduleWords: compilePatterns(builtIn.schedule ?? []),
    ownAbilityQuestions: compilePatterns(builtIn.cancel.ownAbilityQuestions ?? []),
  }
}

const singleWords = (list: PatternList): Set<string> =>
  new Set(list.patterns.flatMap((p) => (p.parts.length === 1 && !p.parts[0]!.gap ? [p.parts[0]!.word] : [])))

const EMPTY_VOCABULARY = {
  cues: [],
  standaloneCues: [],
  presenceQuestions: [],
  routingCues: [],
  politeRoutes: [],
  targets: [],
  personNouns: [],
  fetchVerbs: undefined,
  bareFetches: undefined,
} satisfies Partial<Lexicon>
