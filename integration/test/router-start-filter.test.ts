// The start filter and the typo candidates by length: they only narrow which patterns are tried at a word, never what
// is found.
import { compilePatterns, findSpans } from '../src/router/patterns.js'
import { addFirstLetterOf, addLastLetterOf, addWord, emptyStartFilter, mayStart } from '../src/router/start-filter.js'

const sourcesOf = (spans: ReturnType<typeof findSpans>) =>
  spans.map((span) => [span.pattern.source, span.start, span.end])

describe('start filter', () => {
  it('lets through every word added, and turns away words of another length or letters', () => {
    const filter = emptyStartFilter()
    for (const word of ['agent', 'human', 'someone']) addWord(filter, word)
    for (const word of ['agent', 'human', 'someone']) expect(mayStart(filter, word)).toBe(true)
    for (const word of ['agents', 'the', 'bot', 'refund']) expect(mayStart(filter, word)).toBe(false)
  })

  it('lets through any word with a first or last letter added', () => {
    const filter = emptyStartFilter()
    addFirstLetterOf(filter, 'kredit')
    addLastLetterOf(filter, 'berater')
    expect(mayStart(filter, 'kundenservice')).toBe(true)
    expect(mayStart(filter, 'steuerberater')).toBe(true)
    expect(mayStart(filter, 'agent')).toBe(false)
  })

  it('knows nothing until told', () => {
    expect(mayStart(emptyStartFilter(), 'agent')).toBe(false)
  })
})

describe('pattern lists', () => {
  it('turn away, in exact search, the words no pattern starts with', () => {
    const list = compilePatterns(['customer service', 'agent', 'kredit*', '*berater'])
    expect(mayStart(list.exactStarts, 'customer')).toBe(true)
    expect(mayStart(list.exactStarts, 'kreditkarte')).toBe(true)
    expect(mayStart(list.exactStarts, 'steuerberater')).toBe(true)
    expect(mayStart(list.exactStarts, 'bot')).toBe(false)
    // A typo of "agent" (a letter left out) is no exact start, but may start a typo-tolerant search.
    expect(mayStart(list.exactStarts, 'agnt')).toBe(false)
    expect(mayStart(list.typoStarts, 'agnt')).toBe(true)
  })

  it('try at a typed word only the patterns whose first word a typo of that length can be, in list order', () => {
    const list = compilePatterns(['representative', 'rep', 'real person', 'reps*', 'receptionist'])
    // "real" (4 letters) allows one edit: 3 to 5 letters; "rep" none; "representative" two; "reps*" at least 4.
    const forLength = (word: string) =>
      findSpans(list, [word, 'person'], 'typo') && list.typoByLetterAndLength.get('r')?.[word.length]
    expect(forLength('rel')?.map((pattern) => pattern.source)).toEqual(['rep', 'real person'])
    expect(forLength('reall')?.map((pattern) => pattern.source)).toEqual(['real person', 'reps*'])
    expect(forLength('representatve')?.map((pattern) => pattern.source)).toEqual([
      'representative',
      'reps*',
      'receptionist',
    ])
    expect(sourcesOf(findSpans(list, ['reall', 'person'], 'typo'))).toEqual([['real person', 0, 2]])
    expect(sourcesOf(findSpans(list, ['represntative'], 'typo'))).toEqual([['representative', 0, 1]])
  })
})
