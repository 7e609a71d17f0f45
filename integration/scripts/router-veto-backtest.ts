// The numbers behind the router's request check (src/router/model/), run with tsx:
//   npx tsx scripts/router-veto-backtest.ts cv                 5-fold cross-validation on this checkout's tuning files
//   npx tsx scripts/router-veto-backtest.ts backtest DIR...    each DIR an old commit's `integration/src` and corpus
//                                                             (git archive <commit> integration/src integration/test/corpus | tar -x -C DIR)
//   npx tsx scripts/router-veto-backtest.ts cold [RUNS]         a cold start's first message per locale, in fresh Node
//                                                             processes, bundled with the training counts and without
// The backtest takes each old commit's own rules and trains the model on that commit's tuning files only, then scores
// its blind set as the corpus test does (without the sentences that also stand in another set). Options:
// --model lr|nb, --threshold P, --rescue P (the probability from which a near miss is taken as a request; in `cv`,
// the thresholds tried instead), --rescue-from target|cue|both (which near misses the rescue may take). Variants of the veto, tried against the fresh writers (the corpus README, "The request
// check against fresh writers: an analysis"): --cap C (no feature weighs more than C in log-odds either way),
// --features words (words alone, no pairs), --temperature T|cv (the log-odds divided by T, or by the T that fits the
// tuning file's out-of-fold log-odds best). Keyed to what the rules found (the corpus README, "The request check keyed
// to the rules' findings"): --features rules (the rules' cue, target and rule, markers, and the uncommon words within
// --window N places of the cue and target, 3 unless said, `all` for the whole message; --reading off leaves the rule, cue
// and target features out).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { segmentMessage } from '../src/router/clauses.js'
import type { TriggerDecision } from '../src/router/index.js'
import type { LinearModel } from '../src/router/model/definitions.js'
import { RESCUE_THRESHOLD, VETO_THRESHOLD } from '../src/router/model/definitions.js'
import { isNearMiss } from '../src/router/model/request-check.js'
import { featuresOf } from '../src/router/model/features.js'
import { tokenize } from '../src/router/normalize.js'
import { logOddsOf } from '../src/router/model/linear-model.js'
import type { LabelledFeatures } from '../src/router/model/definitions.js'
import { trainLogistic } from '../src/router/model/train-logistic.js'
import { trainNaiveBayes } from '../src/router/model/train-naive-bayes.js'
import { corpusOf, triggerSetsOf, type Sentence, rulesAloneOf } from './old-checkout.js'

const LOCALES = ['en', 'fr', 'de', 'es'] as const
const FOLDS = 5
type Judge = (text: string, options: { locale: string }) => TriggerDecision

const args = process.argv.slice(2)
const option = (name: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args.splice(at, 2)[1] : undefined
}
const modelName = option('model') ?? 'lr'
const threshold = Number(option('threshold') ?? VETO_THRESHOLD)
const rescueOption = option('rescue')
const rescueThreshold = Number(rescueOption ?? RESCUE_THRESHOLD)
/** `--rescue-from target` (a person found, no cue), `cue` (a cue, no known person) or `both` (as shipped). */
const rescueFrom = option('rescue-from') ?? 'both'
if (!['both', 'target', 'cue'].includes(rescueFrom)) throw new Error(`--rescue-from must be both, target or cue`)
/** Whether a near miss is of the kind `--rescue-from` lets the rescue take. */
const isRescuable = (decision: TriggerDecision): boolean =>
  isNearMiss(decision) && (rescueFrom === 'both' || (decision.reason === 'no-cue') === (rescueFrom === 'target'))
/** The rescue thresholds cross-validation tries (`--rescue P` tries that one alone). */
const RESCUE_THRESHOLDS =
  rescueOption === undefined ? [0.5, 0.7, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999] : [rescueThreshold]
/** What the check reads: the whole message (as shipped), or only the pieces the rules match on their own. */
const scored = option('score') ?? 'message'
const capOption = option('cap')
/** The most one feature may weigh in log-odds, either way (no cap: as shipped). */
const weightCap = capOption === undefined ? Infinity : Number(capOption)
const featureKind = option('features') ?? 'words+pairs'
const temperatureOption = option('temperature') ?? '1'
/** `--features rules`: how far either side of the cue and target words are read (a number, or `all`). */
const windowOption = option('window')
/** `--features rules --reading off` (after the fact): the rule, cue and target features left out, the rest kept. */
const readsRules = option('reading') !== 'off'
const [mode, ...dirs] = args

/** A sentence's features, given what the rules decided on it (only `--features rules` reads the decision). */
type Featurize = (text: string, decision: TriggerDecision) => string[]
/** Words alone: the shipped features less the word pairs (a pair holds a space). */
const wordFeatures: Featurize = (text) =>
  featureKind === 'words' ? featuresOf(text).filter((feature) => !feature.includes(' ')) : featuresOf(text)

/** `--features rules`: a word in more of the locale's tuning sentences than this share is a function word, dropped. */
const COMMON_WORD_SHARE = 0.05
/** `--features rules`: the words read are those this many places either side of the cue's and target's words. */
const WINDOW = windowOption === 'all' ? Infinity : Number(windowOption ?? 3)
/** A cue or target word typed or inflected otherwise is found by this many first letters. */
const SAME_STEM_LETTERS = 4

/** The words in more than COMMON_WORD_SHARE of the sentences. */
const commonWordsOf = (sentences: Sentence[]): Set<string> => {
  const sentencesHolding = new Map<string, number>()
  for (const { text } of sentences) {
    for (const word of new Set(tokenize(text))) sentencesHolding.set(word, (sentencesHolding.get(word) ?? 0) + 1)
  }
  const limit = COMMON_WORD_SHARE * sentences.length
  return new Set([...sentencesHolding].filter(([, count]) => count > limit).map(([word]) => word))
}

/** Where the words of a cue or target stand in the message: as written, or failing that by their stem. */
const placesOf = (found: string, words: string[]): number[] => {
  const wanted = tokenize(found)
  const exact = words.flatMap((word, at) => (wanted.includes(word) ? [at] : []))
  if (exact.length > 0) return exact
  const stem = (word: string) => (word.length >= SAME_STEM_LETTERS ? word.slice(0, SAME_STEM_LETTERS) : undefined)
  const stems = new Set(wanted.flatMap((word) => stem(word) ?? []))
  return words.flatMap((word, at) => (stems.has(stem(word) ?? '') ? [at] : []))
}

/** The rules' reading, language-neutral markers and the uncommon words around the cue and target (corpus README). */
const ruleFeaturesWith =
  (common: Set<string>): Featurize =>
  (text, decision) => {
    const features = new Set<string>()
    if (readsRules) {
      features.add(decision.matched ? `rule:${decision.rule}` : `reason:${decision.reason}`)
      if (decision.cue) features.add(`cue:${decision.cue}`)
      if (decision.target) features.add(`target:${decision.target}`)
      if (decision.explanation.includes('a person by its place')) features.add('target:by-place')
    }
    const sentences = segmentMessage(text)
    if (sentences.some((sentence) => sentence.question)) features.add('mark:question')
    if (sentences.length > 1) features.add('mark:sentences')
    if (sentences.some((sentence) => sentence.pieces.length > 1)) features.add('mark:clauses')
    const words = tokenize(text)
    for (const found of [decision.cue, decision.target]) {
      if (!found) continue
      for (const at of placesOf(found, words)) {
        const near = words.slice(Math.max(0, at - WINDOW), at + WINDOW + 1)
        for (const word of near) if (!common.has(word)) features.add(word)
      }
    }
    return [...features]
  }

/** How one commit's sentences in one locale are read: `tuning` gives the common words of `--features rules`. */
const featurizerFor = (tuning: Sentence[]): Featurize =>
  featureKind === 'rules' ? ruleFeaturesWith(commonWordsOf(tuning)) : wordFeatures
const capped = (model: LinearModel): LinearModel =>
  weightCap === Infinity
    ? model
    : {
        bias: model.bias,
        weights: {
          get: (feature) => {
            const weight = model.weights.get(feature)
            return weight === undefined ? undefined : Math.max(-weightCap, Math.min(weightCap, weight))
          },
        },
      }
/** A trained model and the temperature its log-odds are divided by. */
type Check = { model: LinearModel; temperature: number; featurize: Featurize }
const trainModel = (examples: LabelledFeatures[]): LinearModel =>
  capped(modelName === 'nb' ? trainNaiveBayes(examples) : trainLogistic(examples))
/** The check of these sentences, each with the rules' decision on it. */
const train = (sentences: Sentence[], judged: Judged, tuning: Sentence[] = sentences): Check => {
  const featurize = featurizerFor(tuning)
  const examples = sentences.map((s) => ({ features: featurize(s.text, judged(s.text)), expected: s.expected }))
  return {
    model: trainModel(examples),
    temperature: temperatureOption === 'cv' ? fittedTemperature(examples) : Number(temperatureOption),
    featurize,
  }
}
const probability = ({ model, temperature, featurize }: Check, text: string, decision: TriggerDecision) =>
  1 / (1 + Math.exp(-logOddsOf(model, featurize(text, decision)) / temperature))

/** The temperatures `--temperature cv` tries: 1 to 30. */
const TEMPERATURES = Array.from({ length: 59 }, (_, i) => 1 + i / 2)
/** The temperature with the least log loss on the examples' out-of-fold log-odds (folds by position, as in `cv`). */
const fittedTemperature = (examples: LabelledFeatures[]): number => {
  const odds: number[] = []
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = trainModel(examples.filter((_, i) => i % FOLDS !== fold))
    examples.forEach((e, i) => {
      if (i % FOLDS === fold) odds[i] = logOddsOf(model, e.features)
    })
  }
  // log(1 + e^x), without overflow for the large log-odds naive Bayes gives.
  const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)))
  const loss = (t: number) =>
    examples.reduce((total, e, i) => total + softplus((e.expected ? -1 : 1) * (odds[i]! / t)), 0)
  return TEMPERATURES.reduce((best, t) => (loss(t) < loss(best) ? t : best))
}
const vetoable = (decision: TriggerDecision) =>
  decision.matched && decision.rule !== 'phrase' && decision.rule !== 'bare-target'

/** The rules' decision on a sentence of one locale. */
type Judged = (text: string) => TriggerDecision
const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}`)

type Tally = {
  pos: number
  neg: number
  tpRules: number
  fpRules: number
  tpVeto: number
  fpVeto: number
  tpRescue: number
  fpRescue: number
}
const emptyTally = (): Tally => ({
  pos: 0,
  neg: 0,
  tpRules: 0,
  fpRules: 0,
  tpVeto: 0,
  fpVeto: 0,
  tpRescue: 0,
  fpRescue: 0,
})
const add = (total: Tally, tally: Tally) => {
  for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key]
}
const row = (t: Tally) =>
  `${pct(t.tpRules, t.pos)} / ${pct(t.fpRules, t.neg)} → ${pct(t.tpVeto, t.pos)} / ${pct(t.fpVeto, t.neg)} → ${pct(t.tpRescue, t.pos)} / ${pct(t.fpRescue, t.neg)} (${t.pos}+${t.neg}) [veto: lost ${t.tpRules - t.tpVeto}, stopped ${t.fpRules - t.fpVeto}]`

/**
 * `--score pieces` (tried, see the corpus README): the message's pieces (sentences cut at pauses) that the rules match
 * on their own, so that a story told after the request does not outweigh it; the whole message when none does.
 */
const scoredText = (text: string, judge: Judge, locale: string): string => {
  if (scored === 'message') return text
  const pieces = segmentMessage(text).flatMap((sentence) => sentence.pieces.map((words) => words.join(' ')))
  const matched = pieces.filter((piece) => judge(piece, { locale }).matched)
  return pieces.length > 1 && matched.length > 0 ? matched.join(' ') : text
}

type Changed = { vetoed: string[]; rescued: string[] }

const tallyOf = (sentences: Sentence[], judge: Judge, locale: string, check: Check, changed: Changed) => {
  const tally = emptyTally()
  for (const sentence of sentences) {
    const decision = judge(sentence.text, { locale })
    const labelled = `${sentence.expected ? '+' : '-'} ${sentence.text}`
    const kept =
      decision.matched &&
      !(vetoable(decision) && probability(check, scoredText(sentence.text, judge, locale), decision) < threshold)
    if (decision.matched && !kept) changed.vetoed.push(labelled)
    // The rescue reads the whole message, as shipped; only the two near-miss refusals are scored.
    const rescued = isRescuable(decision) && probability(check, sentence.text, decision) >= rescueThreshold
    if (rescued) changed.rescued.push(labelled)
    const taken = kept || rescued
    if (sentence.expected) {
      tally.pos++
      if (decision.matched) tally.tpRules++
      if (kept) tally.tpVeto++
      if (taken) tally.tpRescue++
    } else {
      tally.neg++
      if (decision.matched) tally.fpRules++
      if (kept) tally.fpVeto++
      if (taken) tally.fpRescue++
    }
  }
  return tally
}

/**
 * The commit's rules alone: from the thirteenth set's commit on, its router carries its own request check, which is
 * turned off here so that the first column is the rules alone and the veto is the one trained below.
 */
const loadRules = async (root: string): Promise<Judge> => {
  const rulesAlone = await rulesAloneOf(root)
  return (text, { locale }) => rulesAlone(text, locale)
}

const backtest = async (roots: string[]) => {
  const grand = emptyTally()
  const byLocale = new Map(LOCALES.map((locale) => [locale, emptyTally()]))
  console.log(
    `model ${modelName}, features ${featureKind}${featureKind === 'rules' ? ` (window ${WINDOW})` : ''}, cap ${weightCap}, temperature ${temperatureOption}, threshold ${threshold}, rescue from ${rescueThreshold} (${rescueFrom} near misses), scoring the ${scored}; recall / FP %: rules only → rules + veto → rules + veto + rescue (positives+negatives)`
  )
  for (const root of roots.map((dir) => resolve(dir))) {
    const judge = await loadRules(root)
    const setTotal = emptyTally()
    const cells: string[] = []
    const changed: Changed = { vetoed: [], rescued: [] }
    for (const locale of LOCALES) {
      const { tuning, blind } = triggerSetsOf(root, locale)
      const started = performance.now()
      const check = train(tuning, (text) => judge(text, { locale }))
      const trainedIn = performance.now() - started
      const tally = tallyOf(blind, judge, locale, check, changed)
      add(setTotal, tally)
      add(byLocale.get(locale)!, tally)
      const trained = `train ${tuning.length} in ${trainedIn.toFixed(0)} ms, temperature ${check.temperature}`
      cells.push(`${locale} ${row(tally)} [${trained}]`)
    }
    add(grand, setTotal)
    console.log(
      `${root}\n  ${cells.join('\n  ')}\n  all ${row(setTotal)}\n  vetoed: ${changed.vetoed.join(' | ')}\n  rescued: ${changed.rescued.join(' | ')}`
    )
  }
  for (const [locale, tally] of byLocale) console.log(`TOTAL ${locale} ${row(tally)}`)
  console.log(`TOTAL ${row(grand)}`)
  const count = (t: Tally) =>
    `positives ${t.pos}: ${t.tpRules} → ${t.tpVeto} → ${t.tpRescue} found; negatives ${t.neg}: ${t.fpRules} → ${t.fpVeto} → ${t.fpRescue} fired`
  console.log(`COUNTS ${count(grand)}`)
}

/** Folds by position: sentence i is in fold i mod 5. */
const crossValidate = async () => {
  const root = resolve(new URL('../..', import.meta.url).pathname)
  const judge = await loadRules(root)
  const thresholds = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5]
  for (const locale of LOCALES) {
    const tuning = corpusOf(root, 'trigger', locale, 'tuning')
    const decisions = tuning.map((s) => judge(s.text, { locale }))
    const decided = new Map(tuning.map((s, i) => [s.text, decisions[i]!]))
    const judged = (text: string) => decided.get(text) ?? judge(text, { locale })
    const held: { p: number; sentence: Sentence; decision: TriggerDecision }[] = []
    for (let fold = 0; fold < FOLDS; fold++) {
      const check = train(
        tuning.filter((_, i) => i % FOLDS !== fold),
        judged
      )
      tuning.forEach((sentence, i) => {
        const decision = decisions[i]!
        if (i % FOLDS === fold) held.push({ p: probability(check, sentence.text, decision), sentence, decision })
      })
    }
    const matchedPositives = held.filter((h) => h.sentence.expected && vetoable(h.decision))
    // Negatives with a person's word in them (the rules found a target): the remarks a veto is for.
    const hardNegatives = held.filter((h) => !h.sentence.expected && (h.decision.matched || h.decision.target))
    const cells = thresholds.map((t) => {
      const lost = matchedPositives.filter((h) => h.p < t).length
      const caught = hardNegatives.filter((h) => h.p < t).length
      return `${t}: lost ${pct(lost, matchedPositives.length)} caught ${pct(caught, hardNegatives.length)}`
    })
    console.log(
      `${locale} (${matchedPositives.length} matched +, ${hardNegatives.length} negatives with a target)\n  ${cells.join('\n  ')}`
    )
    // The rescue: the share of the rules' near-miss requests taken, and false rescues as a share of all remarks.
    const nearMissPositives = held.filter((h) => h.sentence.expected && isNearMiss(h.decision))
    const nearMissNegatives = held.filter((h) => !h.sentence.expected && isNearMiss(h.decision))
    const negatives = held.filter((h) => !h.sentence.expected).length
    const rescues = RESCUE_THRESHOLDS.map((t) => {
      const rescued = nearMissPositives.filter((h) => h.p >= t).length
      const falseRescues = nearMissNegatives.filter((h) => h.p >= t).length
      return `${t}: rescued ${pct(rescued, nearMissPositives.length)} false ${falseRescues} = ${pct(falseRescues, negatives)} % of negatives`
    })
    console.log(
      `${locale} rescue (${nearMissPositives.length} near-miss +, ${nearMissNegatives.length} near-miss -, ${negatives} negatives)\n  ${rescues.join('\n  ')}`
    )
  }
}

/** One request per locale that the rules match, so that its first message trains that locale's check. */
const FIRST_MESSAGES: Record<(typeof LOCALES)[number], string> = {
  en: 'can I talk to an agent',
  fr: 'je voudrais parler à un conseiller',
  de: 'ich möchte mit einem Mitarbeiter sprechen',
  es: 'quiero hablar con un agente',
}

/** Run in a fresh process: the router is compiled first, so that the timed message costs the check's training. */
const COLD_PROBE = `
const { buildRouter, matchCancel, matchTrigger, DEFAULT_ROUTER_CONFIG } = require(process.argv[1]);
const [locale, text, checked] = process.argv.slice(2);
const router = buildRouter({ ...DEFAULT_ROUTER_CONFIG, requestCheck: [{ locale, enabled: checked === 'on' }] });
matchCancel('hello', { locale, router });
const started = performance.now();
const decision = matchTrigger(text, { locale, router });
const firstMs = performance.now() - started;
const again = performance.now();
matchTrigger(text, { locale, router });
console.log(JSON.stringify({ firstMs, nextMs: performance.now() - again, matched: decision.matched }));
`

type ColdProbe = { firstMs: number; nextMs: number; matched: boolean }

/**
 * The router bundled as scripts/bundle.js bundles the integration (same training globals), once with the counts and
 * once with the sentences instead (the form before the counts), each message in its own Node process.
 */
const coldStart = async (runs: number) => {
  const bundleScript = pathToFileURL(fileURLToPath(new URL('bundle.js', import.meta.url))).href
  const { trainingDefines, trainingTextDefines, bundleRouter } = (await import(bundleScript)) as {
    trainingDefines: () => Promise<Record<string, string>>
    trainingTextDefines: () => Record<string, string>
    bundleRouter: (outfile: string, define?: Record<string, string>) => Promise<string>
  }
  const defines = await trainingDefines()
  const textsOnly = trainingTextDefines()
  const workDir = mkdtempSync(join(tmpdir(), 'router-cold-'))
  try {
    for (const [form, define] of [
      ['counted in the bundle', defines],
      ['texts only, counted at first use', textsOnly],
    ] as const) {
      const outfile = await bundleRouter(join(workDir, `${form.split(' ')[0]}.cjs`), define)
      for (const locale of LOCALES) {
        const probe = (checked: 'on' | 'off') => {
          const args = ['-e', COLD_PROBE, outfile, locale, FIRST_MESSAGES[locale], checked]
          const result = JSON.parse(execFileSync(process.execPath, args).toString()) as ColdProbe
          if (!result.matched) throw new Error(`${FIRST_MESSAGES[locale]} no longer matches in ${locale}`)
          return result
        }
        const on: ColdProbe[] = []
        const off: ColdProbe[] = []
        // Alternately, so that a change in the machine's load falls on both.
        for (let run = 0; run < runs; run++) {
          on.push(probe('on'))
          off.push(probe('off'))
        }
        const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(1)
        console.log(
          `${form}: ${locale} first message ${median(on.map((p) => p.firstMs))} ms with the check, ` +
            `${median(off.map((p) => p.firstMs))} ms without; the next ${median(on.map((p) => p.nextMs))} ms (medians of ${runs})`
        )
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

if (mode === 'cv') await crossValidate()
else if (mode === 'backtest' && dirs.length > 0) await backtest(dirs)
else if (mode === 'cold') await coldStart(Number(dirs[0] ?? 9))
else {
  console.error(
    'Usage: router-veto-backtest.ts cv | backtest DIR... | cold [RUNS] [--model lr|nb] [--threshold P] [--rescue P] ' +
      '[--cap C] [--features words|rules] [--window N|all] [--reading off] [--temperature T|cv]'
  )
  process.exitCode = 2
}
