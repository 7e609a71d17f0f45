// Precision and recall of the trigger and cancel matchers on the labelled corpus (test/corpus/README.md says how it
// was written). The held-out sets guard against regressions: recall at least 90 % and false positives at most 3 % per
// language. They were used to fix the router after their first run, so they are no longer an unbiased estimate; the
// fresh sets (written blind by someone else, never tuned on) are, and their figures are printed, not asserted: they
// miss the targets today (README), and tuning the router on them would spend them.
import { readFileSync } from 'node:fs'
import {
  matchCancel,
  matchTrigger,
  parseLabelledList,
  scoreSentences,
  type LabelledSentence,
  type Scores,
} from '../src/router/index.js'

const CORPUS_DIR = new URL('./corpus/', import.meta.url)
const LOCALES = ['en', 'fr', 'de', 'es'] as const
const KINDS = ['trigger', 'cancel'] as const
type Kind = (typeof KINDS)[number]
type Split = 'heldout' | 'tuning' | 'blind' | 'fresh'

const MIN_RECALL = 0.9
const MAX_FALSE_POSITIVE_RATE = 0.03
/** Issue 19: 150/150 trigger sentences per language; issue 12: 60/60 cancel sentences (more than issue 19's 40). */
const MIN_SENTENCES: Record<Kind, number> = { trigger: 150, cancel: 60 }

const load = (kind: Kind, locale: string, split: Split): LabelledSentence[] => {
  const text = readFileSync(new URL(`${kind}.${locale}.${split}.txt`, CORPUS_DIR), 'utf8')
  const { sentences, errors } = parseLabelledList(text)
  expect(errors).toEqual([])
  return sentences
}

/**
 * The fresh set less the sentences that its writer happened to write like another set's (written in parallel, so
 * common requests recur): those were seen in tuning and would flatter the estimate.
 */
const freshOnly = (kind: Kind, locale: string): LabelledSentence[] => {
  const elsewhere = new Set(
    (['tuning', 'heldout', 'blind'] as const)
      .flatMap((split) => load(kind, locale, split))
      .map((s) => s.text.toLowerCase())
  )
  return load(kind, locale, 'fresh').filter((sentence) => !elsewhere.has(sentence.text.toLowerCase()))
}

const judge = (kind: Kind, locale: string) => (text: string) =>
  kind === 'trigger' ? matchTrigger(text, { locale }) : matchCancel(text, { locale })

const percent = (value: number) => `${(value * 100).toFixed(1)} %`

const report: string[] = []

afterAll(() => {
  // The figures the issue asks for, printed once per run.
  console.log(`Router corpus (precision / recall / false positives):\n${report.join('\n')}`)
})

describe.each(KINDS)('%s corpus', (kind) => {
  it.each(LOCALES)(`has at least ${MIN_SENTENCES[kind]} positive and negative sentences in %s`, (locale) => {
    const all = [...load(kind, locale, 'heldout'), ...load(kind, locale, 'tuning')]
    expect(all.filter((s) => s.expected).length).toBeGreaterThanOrEqual(MIN_SENTENCES[kind])
    expect(all.filter((s) => !s.expected).length).toBeGreaterThanOrEqual(MIN_SENTENCES[kind])
  })

  it.each(LOCALES)('keeps the tuning, held-out and blind sets apart in %s', (locale) => {
    const seen = new Set<string>()
    const shared = (['tuning', 'heldout', 'blind'] as const)
      .flatMap((split) => load(kind, locale, split))
      .filter((sentence) => {
        const key = sentence.text.toLowerCase()
        const repeated = seen.has(key)
        seen.add(key)
        return repeated
      })
    expect(shared).toEqual([])
  })

  it.each(LOCALES)(
    `keeps ${MIN_RECALL * 100} % recall with at most ${MAX_FALSE_POSITIVE_RATE * 100} % false positives on the held-out (regression) set in %s`,
    (locale) => {
      const scores: Scores = scoreSentences(load(kind, locale, 'heldout'), judge(kind, locale))
      // Printed, not asserted: the tuning set says little; blind and fresh are the honest estimates (corpus/README.md).
      const tuning = scoreSentences(load(kind, locale, 'tuning'), judge(kind, locale))
      const blind = scoreSentences(load(kind, locale, 'blind'), judge(kind, locale))
      const fresh = scoreSentences(freshOnly(kind, locale), judge(kind, locale))
      const figures = (s: Scores) => `${percent(s.precision)} / ${percent(s.recall)} / ${percent(s.falsePositiveRate)}`
      report.push(
        `  ${kind} ${locale} held-out: ${figures(scores)}   (tuning: ${figures(tuning)}; blind: ${figures(blind)}; fresh: ${figures(fresh)})`
      )
      const mistakes = scores.mistakes.map((m) => `${m.expected ? 'missed' : 'fired on'} "${m.text}": ${m.explanation}`)
      expect({ recall: scores.recall >= MIN_RECALL, mistakes }).toEqual({ recall: true, mistakes: expect.any(Array) })
      expect({
        falsePositiveRate: scores.falsePositiveRate <= MAX_FALSE_POSITIVE_RATE,
        mistakes,
      }).toEqual({ falsePositiveRate: true, mistakes: expect.any(Array) })
    }
  )
})
