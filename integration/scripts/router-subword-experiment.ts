// An experiment, nothing shipped (the corpus README, "A classifier with sub-word features: an experiment"): would a
// classifier that also reads character n-grams generalise better than the rules and their naive Bayes veto? Run with
//   npx tsx scripts/router-subword-experiment.ts DIR...
// each DIR one blind set's commit (git archive <commit> integration/src integration/test/corpus | tar -x -C DIR).
// Per commit: its own rules (its own request check turned off), models trained on its own tuning files only, the
// thresholds chosen by 5-fold cross-validation on those files alone, then its blind set scored as the corpus test does.
import { resolve } from 'node:path'
import type { TriggerDecision } from '../src/router/index.js'
import type { LabelledFeatures, LinearModel } from '../src/router/model/definitions.js'
import { RESCUE_THRESHOLD, VETO_THRESHOLD } from '../src/router/model/definitions.js'
import { featuresOf } from '../src/router/model/features.js'
import { logOddsOf } from '../src/router/model/linear-model.js'
import { isNearMiss } from '../src/router/model/request-check.js'
import { subwordFeaturesOf } from '../src/router/model/subword-features.js'
import { trainLogistic } from '../src/router/model/train-logistic.js'
import { trainNaiveBayes } from '../src/router/model/train-naive-bayes.js'
import { triggerSetsOf, type Sentence, rulesAloneOf } from './old-checkout.js'

const LOCALES = ['en', 'fr', 'de', 'es'] as const
type Locale = (typeof LOCALES)[number]
const FOLDS = 5
/** The thresholds tried, as log-odds: −40 to 40 in steps of 0.25. */
const GRID = Array.from({ length: 321 }, (_, i) => -40 + i / 4)
/** Written down before the run (the README): the most a veto may refuse of the tuning positives the rules match. */
const VETO_LOSS = 0.005
/** The most that messages a model adds to the rules may be false, as a share of each language's negatives. */
const ADDED_FP = 0.005
/** The most false positives a classifier alone may have, in every language. */
const ALONE_FP = 0.03
const logit = (p: number) => Math.log(p / (1 - p))

type Judge = (text: string, locale: string) => TriggerDecision
type Extract = (text: string) => string[]
type Trainer = (examples: LabelledFeatures[]) => LinearModel
/** A model kind: its features and its trainer. */
type Kind = { name: string; extract: Extract; train: Trainer }
const KINDS = {
  nbWords: { name: 'NB words+pairs (shipped)', extract: featuresOf, train: (e) => trainNaiveBayes(e) },
  nbSub: { name: 'NB words+pairs+char 3-5', extract: subwordFeaturesOf, train: (e) => trainNaiveBayes(e) },
  lrSub: { name: 'LR words+pairs+char 3-5', extract: subwordFeaturesOf, train: (e) => trainLogistic(e) },
} satisfies Record<string, Kind>
type KindName = keyof typeof KINDS

/** One sentence as every variant reads it: the rules' decision and each model's log-odds. */
type Scored = { expected: boolean; decision: TriggerDecision; odds: Record<KindName, number> }
/** A variant: whether it takes a sentence, given the commit's thresholds. */
type Thresholds = Record<string, number>
type Variant = { name: string; takes: (s: Scored, t: Thresholds) => boolean }

const vetoable = (d: TriggerDecision) => d.matched && d.rule !== 'phrase' && d.rule !== 'bare-target'
const kept = (s: Scored, kind: KindName, veto: number) =>
  s.decision.matched && !(vetoable(s.decision) && s.odds[kind] < veto)

const SHIPPED_VETO = logit(VETO_THRESHOLD)
const SHIPPED_RESCUE = logit(RESCUE_THRESHOLD)
const VARIANTS: Variant[] = [
  { name: 'rules alone', takes: (s) => s.decision.matched },
  { name: '(a) rules + veto (shipped)', takes: (s) => kept(s, 'nbWords', SHIPPED_VETO) },
  {
    name: '(b) rules + veto + rescue',
    takes: (s) => kept(s, 'nbWords', SHIPPED_VETO) || (isNearMiss(s.decision) && s.odds.nbWords >= SHIPPED_RESCUE),
  },
  { name: '(c) rules + char-NB veto', takes: (s, t) => kept(s, 'nbSub', t.nbSubVeto!) },
  {
    name: '(c) rules + char-NB veto + rescue',
    takes: (s, t) => kept(s, 'nbSub', t.nbSubVeto!) || (isNearMiss(s.decision) && s.odds.nbSub >= t.nbSubRescue!),
  },
  { name: '(d) LR alone', takes: (s, t) => s.odds.lrSub >= t.lrSubAlone! },
  { name: '(d) NB alone (aside)', takes: (s, t) => s.odds.nbSub >= t.nbSubAlone! },
  { name: '(e) rules + LR veto OR LR', takes: (s, t) => kept(s, 'lrSub', t.lrSubVeto!) || s.odds.lrSub >= t.lrSubOr! },
]

/** The commit's rules alone: from the thirteenth set's commit on, its router's own request check turned off. */
const loadRules = rulesAloneOf

const timing = new Map<KindName, { trainMs: number; trainings: number; scoreMs: number; scored: number }>()
const timed = <T>(kind: KindName, field: 'train' | 'score', count: number, run: () => T): T => {
  const started = performance.now()
  const result = run()
  const entry = timing.get(kind) ?? { trainMs: 0, trainings: 0, scoreMs: 0, scored: 0 }
  if (field === 'train') {
    entry.trainMs += performance.now() - started
    entry.trainings += count
  } else {
    entry.scoreMs += performance.now() - started
    entry.scored += count
  }
  timing.set(kind, entry)
  return result
}

/** Each kind's log-odds for the tuning sentences out of fold, and for the blind sentences from all the tuning ones. */
const scoreLocale = (tuning: Sentence[], blind: Sentence[], judge: Judge, locale: Locale) => {
  const outOfFold = tuning.map((s) => ({ expected: s.expected, decision: judge(s.text, locale), odds: {} }) as Scored)
  const unseen = blind.map((s) => ({ expected: s.expected, decision: judge(s.text, locale), odds: {} }) as Scored)
  for (const name of Object.keys(KINDS) as KindName[]) {
    const kind: Kind = KINDS[name]
    const examples = tuning.map((s) => ({ features: kind.extract(s.text), expected: s.expected }))
    for (let fold = 0; fold < FOLDS; fold++) {
      const model = kind.train(examples.filter((_, i) => i % FOLDS !== fold))
      examples.forEach((e, i) => {
        if (i % FOLDS === fold) outOfFold[i]!.odds[name] = logOddsOf(model, e.features)
      })
    }
    const model = timed(name, 'train', 1, () => kind.train(examples))
    timed(name, 'score', blind.length, () =>
      blind.forEach((s, i) => (unseen[i]!.odds[name] = logOddsOf(model, kind.extract(s.text))))
    )
  }
  return { outOfFold, unseen }
}

/** The highest log-odds at which the veto refuses at most VETO_LOSS of the matched positives, pooled. */
const vetoThreshold = (byLocale: Scored[][], kind: KindName) => {
  const matched = byLocale.flat().filter((s) => s.expected && vetoable(s.decision))
  const ok = GRID.filter((t) => matched.filter((s) => s.odds[kind] < t).length <= VETO_LOSS * matched.length)
  return ok.at(-1) ?? GRID[0]!
}

/** The lowest log-odds at which `added` negatives stay within `share` of each language's negatives. */
const lowestWithin = (byLocale: Scored[][], share: number, added: (s: Scored, t: number) => boolean) =>
  GRID.find((t) =>
    byLocale.every((sentences) => {
      const negatives = sentences.filter((s) => !s.expected)
      return negatives.filter((s) => added(s, t)).length <= share * negatives.length
    })
  ) ?? GRID.at(-1)!

const thresholdsOf = (byLocale: Scored[][]): Thresholds => {
  const nbSubVeto = vetoThreshold(byLocale, 'nbSub')
  const lrSubVeto = vetoThreshold(byLocale, 'lrSub')
  return {
    nbSubVeto,
    nbSubRescue: lowestWithin(byLocale, ADDED_FP, (s, t) => isNearMiss(s.decision) && s.odds.nbSub >= t),
    lrSubAlone: lowestWithin(byLocale, ALONE_FP, (s, t) => s.odds.lrSub >= t),
    nbSubAlone: lowestWithin(byLocale, ALONE_FP, (s, t) => s.odds.nbSub >= t),
    lrSubVeto,
    lrSubOr: lowestWithin(byLocale, ADDED_FP, (s, t) => !kept(s, 'lrSub', lrSubVeto) && s.odds.lrSub >= t),
  }
}

type Tally = { pos: number; neg: number; tp: number; fp: number }
const tallyOf = (sentences: Scored[], variant: Variant, t: Thresholds): Tally => {
  const tally = { pos: 0, neg: 0, tp: 0, fp: 0 }
  for (const s of sentences) {
    const taken = variant.takes(s, t)
    if (s.expected) {
      tally.pos++
      if (taken) tally.tp++
    } else {
      tally.neg++
      if (taken) tally.fp++
    }
  }
  return tally
}
const plus = (a: Tally, b: Tally): Tally => ({
  pos: a.pos + b.pos,
  neg: a.neg + b.neg,
  tp: a.tp + b.tp,
  fp: a.fp + b.fp,
})
const pct = (part: number, whole: number) => (whole === 0 ? '–' : ((100 * part) / whole).toFixed(1))
const cell = (t: Tally) => `${pct(t.tp, t.pos)} / ${pct(t.fp, t.neg)}`
const empty = (): Tally => ({ pos: 0, neg: 0, tp: 0, fp: 0 })

const main = async (roots: string[]) => {
  const pooled = VARIANTS.map(() => new Map(LOCALES.map((locale) => [locale, empty()])))
  for (const root of roots.map((dir) => resolve(dir))) {
    const judge = await loadRules(root)
    const outOfFold: Scored[][] = []
    const unseen: Scored[][] = []
    for (const locale of LOCALES) {
      const { tuning, blind } = triggerSetsOf(root, locale)
      const scored = scoreLocale(tuning, blind, judge, locale)
      outOfFold.push(scored.outOfFold)
      unseen.push(scored.unseen)
    }
    const thresholds = thresholdsOf(outOfFold)
    const shown = Object.entries(thresholds).map(([name, value]) => `${name} ${value}`)
    console.log(`${root}  thresholds (log-odds): ${shown.join(', ')}`)
    VARIANTS.forEach((variant, v) => {
      const tallies = unseen.map((sentences) => tallyOf(sentences, variant, thresholds))
      tallies.forEach((tally, l) => pooled[v]!.set(LOCALES[l]!, plus(pooled[v]!.get(LOCALES[l]!)!, tally)))
      const row = tallies.map((tally, l) => `${LOCALES[l]} ${cell(tally)}`).join(' | ')
      console.log(`  ${variant.name.padEnd(34)} ${row} | all ${cell(tallies.reduce(plus))}`)
    })
  }
  console.log('POOLED recall / FP % per language (positives+negatives)')
  VARIANTS.forEach((variant, v) => {
    const byLocale = [...pooled[v]!.entries()]
    const row = byLocale.map(([locale, t]) => `${locale} ${cell(t)} (${t.tp}/${t.pos}, ${t.fp}/${t.neg})`).join(' | ')
    console.log(`  ${variant.name.padEnd(34)} ${row} | all ${cell(byLocale.map(([, t]) => t).reduce(plus))}`)
  })
  for (const [kind, t] of timing) {
    console.log(
      `COST ${KINDS[kind].name}: training on one full tuning file ${(t.trainMs / t.trainings).toFixed(0)} ms, ` +
        `features and scoring ${((1000 * t.scoreMs) / t.scored).toFixed(1)} µs a message`
    )
  }
}

if (process.argv.length > 2) await main(process.argv.slice(2))
else {
  console.error('Usage: router-subword-experiment.ts DIR...')
  process.exitCode = 2
}
