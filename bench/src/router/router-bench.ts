// Cost of the trigger and cancel router per message: every sentence of the labelled corpus (integration/test/corpus),
// in its own locale and with no locale (the worst case: every language is tried before a refusal), timed one call
// at a time after a warm-up. The target: under 0.1 ms per message.
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { buildRouter, DEFAULT_ROUTER_CONFIG, parseLabelledList, type Router } from '@liveagent-hop/integration'

const CORPUS_DIR = new URL('../../../integration/test/corpus/', import.meta.url)
const TARGET_MS = 0.1
const WARM_UP_ROUNDS = 20
const MEASURED_ROUNDS = 50

type Sample = { kind: 'trigger' | 'cancel'; locale: string; text: string }

const loadCorpus = (): Sample[] =>
  readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.txt'))
    .flatMap((file) => {
      const [kind, locale] = file.split('.') as ['trigger' | 'cancel', string]
      const { sentences } = parseLabelledList(readFileSync(new URL(file, CORPUS_DIR), 'utf8'))
      return sentences.map((sentence) => ({ kind, locale, text: sentence.text }))
    })

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

/**
 * Times whole rounds over the samples (the cost per message of a round is its time divided by its size) and, in a
 * separate pass, single calls for the spread. The machine is shared: a round hit by preemption shows in the worst
 * round and the call maximum, and the median round is the figure that says what a message costs.
 */
const measure = (name: string, samples: Sample[], call: (sample: Sample) => unknown) => {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const sample of samples) call(sample)
  const rounds: number[] = []
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    const start = performance.now()
    for (const sample of samples) call(sample)
    rounds.push((performance.now() - start) / samples.length)
  }
  const calls: number[] = []
  for (const sample of samples) {
    const start = performance.now()
    call(sample)
    calls.push(performance.now() - start)
  }
  rounds.sort((a, b) => a - b)
  calls.sort((a, b) => a - b)
  return {
    name,
    messages: samples.length * MEASURED_ROUNDS,
    median: percentile(rounds, 50),
    best: rounds[0]!,
    worst: rounds.at(-1)!,
    p99: percentile(calls, 99),
    max: calls.at(-1)!,
  }
}

const format = (ms: number) => `${(ms * 1000).toFixed(1)} µs`

const main = () => {
  const corpus = loadCorpus()
  const triggers = corpus.filter((s) => s.kind === 'trigger')
  const cancels = corpus.filter((s) => s.kind === 'cancel')
  const builtIn: Router = buildRouter(DEFAULT_ROUTER_CONFIG)
  // A designer's configuration: a few phrases, words and never-trigger phrases on top of the built-ins.
  const configured: Router = buildRouter({
    ...DEFAULT_ROUTER_CONFIG,
    triggerPhrases: [{ locale: 'en', phrases: ['ring the front desk', 'talk to the travel expert'] }],
    triggerCues: [{ locale: 'en', words: ['page', 'ring'] }],
    triggerTargets: [{ locale: 'en', words: ['concierge', 'travel expert'] }],
    neverTriggerPhrases: [{ locale: 'en', phrases: ['agent portal', 'human resources'] }],
  })
  const rows = [
    measure('matchTrigger, customer locale', triggers, (s) =>
      builtIn.triggers.match(s.text, { locale: s.locale, fallbackLocale: 'en' })
    ),
    measure('matchTrigger, no locale (all tried)', triggers, (s) =>
      builtIn.triggers.match(s.text, { fallbackLocale: 'en' })
    ),
    measure('matchTrigger, configured additions', triggers, (s) =>
      configured.triggers.match(s.text, { locale: s.locale, fallbackLocale: 'en' })
    ),
    measure('matchCancel, customer locale', cancels, (s) =>
      builtIn.cancels.match(s.text, { locale: s.locale, fallbackLocale: 'en' })
    ),
  ]
  console.log(
    `Router cost per message (${corpus.length} corpus sentences, ${MEASURED_ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up)`
  )
  console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`)
  console.log('')
  console.log(
    '| case | messages | per message, median round | best round | worst round | one call p99 | one call max |'
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.messages} | ${format(row.median)} | ${format(row.best)} | ${format(row.worst)} | ${format(row.p99)} | ${format(row.max)} |`
    )
  }
  const worst = Math.max(...rows.map((row) => row.median))
  console.log('')
  console.log(
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs.`
  )
  console.log(
    `Target: under ${format(TARGET_MS)} per message (median round) — ${worst < TARGET_MS ? 'met' : 'MISSED'} (slowest case ${format(worst)}).`
  )
  if (worst >= TARGET_MS) process.exitCode = 1
}

main()
