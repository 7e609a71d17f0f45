// Precision and recall of the trigger and cancel matchers on the labelled corpus (test/corpus/README.md says how it
// was written). The held-out sets guard against regressions: recall at least 90 % and false positives at most 3 % per
// language. They were used to fix the router after their first run, so they are no longer an unbiased estimate. Every
// earlier blind set has been run, reported (README) and moved into the tuning files. A new blind set, when one is
// added as `<kind>.<locale>.blind.txt`, is scored and printed, not asserted: tuning the router on it would spend it.
import { existsSync, readFileSync } from 'node:fs'
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
type Split = 'heldout' | 'tuning' | 'blind'

const MIN_RECALL = 0.9
const MAX_FALSE_POSITIVE_RATE = 0.03
/** Issue 19: 150/150 trigger sentences per language; issue 12: 60/60 cancel sentences (more than issue 19's 40). */
const MIN_SENTENCES: Record<Kind, number> = { trigger: 150, cancel: 60 }

const fileOf = (kind: Kind, locale: string, split: Split) => new URL(`${kind}.${locale}.${split}.txt`, CORPUS_DIR)

const load = (kind: Kind, locale: string, split: Split): LabelledSentence[] => {
  const text = readFileSync(fileOf(kind, locale, split), 'utf8')
  const { sentences, errors } = parseLabelledList(text)
  expect(errors).toEqual([])
  return sentences
}

/**
 * A blind set less the sentences its writer happened to write like another set's (common short requests recur
 * between writers): those were tuned on and would flatter the estimate.
 */
const blindOnly = (kind: Kind, locale: string): LabelledSentence[] => {
  const elsewhere = new Set(
    (['tuning', 'heldout'] as const).flatMap((split) => load(kind, locale, split)).map((s) => s.text.toLowerCase())
  )
  return load(kind, locale, 'blind').filter((sentence) => !elsewhere.has(sentence.text.toLowerCase()))
}

const sentencesOf = (kind: Kind, locale: string, split: Split): LabelledSentence[] =>
  split === 'blind' ? blindOnly(kind, locale) : load(kind, locale, split)

/** The splits present for a language: the blind one only while someone has written one and not yet spent it. */
const splitsOf = (kind: Kind, locale: string): Split[] =>
  (['tuning', 'heldout', 'blind'] as const).filter(
    (split) => split !== 'blind' || existsSync(fileOf(kind, locale, split))
  )

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

  it.each(LOCALES)('keeps the tuning and held-out sets apart in %s', (locale) => {
    const seen = new Set<string>()
    const shared = (['tuning', 'heldout'] as const)
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
      // Printed, not asserted: the tuning set says little; only a blind set is an honest estimate (corpus/README.md).
      const figures = (s: Scores) => `${percent(s.precision)} / ${percent(s.recall)} / ${percent(s.falsePositiveRate)}`
      const printed = splitsOf(kind, locale)
        .filter((split) => split !== 'heldout')
        .map((split) => {
          const sentences = sentencesOf(kind, locale, split)
          return `${split} (${sentences.length}): ${figures(scoreSentences(sentences, judge(kind, locale)))}`
        })
      report.push(`  ${kind} ${locale} held-out: ${figures(scores)}   (${printed.join('; ')})`)
      const mistakes = scores.mistakes.map((m) => `${m.expected ? 'missed' : 'fired on'} "${m.text}": ${m.explanation}`)
      expect({ recall: scores.recall >= MIN_RECALL, mistakes }).toEqual({ recall: true, mistakes: expect.any(Array) })
      expect({
        falsePositiveRate: scores.falsePositiveRate <= MAX_FALSE_POSITIVE_RATE,
        mistakes,
      }).toEqual({ falsePositiveRate: true, mistakes: expect.any(Array) })
    }
  )
})
