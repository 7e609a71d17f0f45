// A lexicon compiled for matching: the built-in one of its language (if any) plus what the configuration adds.
import type { Lexicon } from './lexicon.js'
import { BUILT_IN_LEXICONS } from './lexicons/index.js'
import { compilePatterns, type Pattern } from './patterns.js'

/** What a bot builder adds to one locale. */
export type LocaleAdditions = {
  cues?: readonly string[]
  targets?: readonly string[]
  phrases?: readonly string[]
  neverTrigger?: readonly string[]
  cancelPhrases?: readonly string[]
}

export type CompiledLexicon = {
  locale: string
  cues: Pattern[]
  standaloneCues: Pattern[]
  notCues: Pattern[]
  targets: Pattern[]
  objectMarkers: Pattern[]
  notPersons: Pattern[]
  owners: Pattern[]
  negators: Pattern[]
  narrative: Pattern[]
  talksAbout: Pattern[]
  otherSubjects: Pattern[]
  clauseBreaks: Pattern[]
  dependentClauseMarkers: Pattern[]
  fillers: Pattern[]
  /** Single-word fillers, for the phrase matcher. */
  fillerWords: Set<string>
  phrases: readonly string[]
  neverTrigger: readonly string[]
  cancelExpressions: Pattern[]
  cancelObjects: Pattern[]
  cancelFillers: Pattern[]
}

const EMPTY_LEXICON: Lexicon = {
  cues: [],
  standaloneCues: [],
  notCues: [],
  targets: [],
  objectMarkers: [],
  notPersons: [],
  owners: [],
  negators: [],
  narrative: [],
  talksAbout: [],
  otherSubjects: [],
  clauseBreaks: [],
  dependentClauseMarkers: [],
  fillers: [],
  cancel: { expressions: [], objects: [], fillers: [] },
}

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
    cues: compilePatterns([...vocabulary.cues, ...(additions.cues ?? [])]),
    standaloneCues: compilePatterns(vocabulary.standaloneCues),
    notCues: compilePatterns(builtIn.notCues),
    targets: compilePatterns([...vocabulary.targets, ...(additions.targets ?? [])]),
    objectMarkers: compilePatterns(builtIn.objectMarkers),
    notPersons: compilePatterns(builtIn.notPersons),
    owners: compilePatterns(builtIn.owners),
    negators: compilePatterns(builtIn.negators),
    narrative: compilePatterns(builtIn.narrative),
    talksAbout: compilePatterns(builtIn.talksAbout),
    otherSubjects: compilePatterns(builtIn.otherSubjects),
    clauseBreaks: compilePatterns(builtIn.clauseBreaks),
    dependentClauseMarkers: compilePatterns(builtIn.dependentClauseMarkers),
    fillers,
    fillerWords: singleWords(fillers),
    phrases: additions.phrases ?? [],
    neverTrigger: additions.neverTrigger ?? [],
    cancelExpressions: compilePatterns([
      ...(useBuiltInVocabulary ? builtIn.cancel.expressions : []),
      ...(additions.cancelPhrases ?? []),
    ]),
    cancelObjects: compilePatterns(builtIn.cancel.objects),
    cancelFillers: compilePatterns([...builtIn.cancel.fillers, ...builtIn.fillers]),
  }
}

const singleWords = (patterns: readonly Pattern[]): Set<string> =>
  new Set(patterns.flatMap((p) => (p.parts.length === 1 && !p.parts[0]!.gap ? [p.parts[0]!.word] : [])))

const EMPTY_VOCABULARY = { cues: [], standaloneCues: [], targets: [] } satisfies Partial<Lexicon>
