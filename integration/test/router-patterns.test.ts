// The pattern search's indexes: they only narrow which patterns are tried at a word, never what is found.
import { compilePatterns, findSpans } from '../src/router/patterns.js'

const sourcesOf = (spans: ReturnType<typeof findSpans>) =>
  spans.map((span) => [span.pattern.source, span.start, span.end])

describe('pattern search', () => {
  it('indexes suffix-first patterns by their last letter, in list order', () => {
    const list = compilePatterns(['*berater', '*abteilung', '*leiter', 'agent'])
    expect(list.suffixFirstByLastLetter.get('r')?.map((pattern) => pattern.source)).toEqual(['*berater', '*leiter'])
    expect(list.suffixFirstByLastLetter.get('g')?.map((pattern) => pattern.source)).toEqual(['*abteilung'])
    expect(list.suffixFirstByLastLetter.has('t')).toBe(false)
  })

  it('still finds a suffix in every tolerance, and only at words that end with it', () => {
    const list = compilePatterns(['*berater', '*abteilung', 'kredit*'])
    const words = ['mit', 'einem', 'kreditberater', 'der', 'rechtsabteilung']
    for (const tolerance of ['exact', 'typo', 'typo-keep-ending'] as const) {
      expect(sourcesOf(findSpans(list, words, tolerance))).toEqual([
        ['kredit*', 2, 3],
        ['*berater', 2, 3],
        ['*abteilung', 4, 5],
      ])
    }
  })

  it('matches a short verb typed as written, and still refuses another verb of the same letters count', () => {
    const list = compilePatterns(['talk to'])
    expect(sourcesOf(findSpans(list, ['talk', 'to', 'me'], 'typo-keep-ending'))).toEqual([['talk to', 0, 2]])
    expect(findSpans(list, ['tall', 'to', 'me'], 'typo-keep-ending')).toEqual([])
  })
})
