// The request check (src/router/model/): features, deterministic training, scoring and its explanation, the veto and
// what it never touches (refusals, configured phrases, bare targets, never-trigger phrases), the rescue of near misses
// and what it never rescues, and its settings.
import { readFileSync } from 'node:fs'
import { matchTriggerOutputSchema } from '../src/definitions/actions.js'
import { DECISIVE_REASONS } from '../src/router/decision.js'
import {
  buildRouter,
  checkedRouterFor,
  DEFAULT_ROUTER_CONFIG,
  matchTrigger,
  REFUSAL_REASONS,
  validateRouterConfig,
  type RouterConfig,
  type TriggerDecision,
} from '../src/router/index.js'
import { countExamples, countTrainingText, decodeCounts } from '../src/router/model/bundled-counts.js'
import {
  builtInRescue,
  RESCUE_BY_LOCALE,
  type LinearModel,
  type RescueSetting,
  type TrainingExample,
} from '../src/router/model/definitions.js'
import { featuresOf } from '../src/router/model/features.js'
import { logOddsOf, scoreFeatures } from '../src/router/model/linear-model.js'
import { rescueKindOf } from '../src/router/model/request-check-config.js'
import { isNearMiss, RequestCheck, type LocaleCheck } from '../src/router/model/request-check.js'
import { trainLogistic } from '../src/router/model/train-logistic.js'
import { naiveBayesModel, trainNaiveBayes } from '../src/router/model/train-naive-bayes.js'
import {
  builtInTrainingSentences,
  hasBuiltInTraining,
  bundledTrainingCounts,
  trainingFileName,
} from '../src/router/model/training-source.js'

const examples = (lines: string[]): TrainingExample[] =>
  lines.map((line) => ({ text: line.slice(2), expected: line.startsWith('+') }))

/** A toy corpus: requests to talk, remarks about people brought along. */
const TOY = examples([
  '+ talk to an agent',
  '+ I want to talk to a person',
  '+ connect me to a human please',
  '+ can I talk to someone',
  '- I will bring a person with me',
  '- can I bring my husband with me',
  '- a support person comes with me',
  '- my sister will come with me',
])

const readCorpus = (locale: string) =>
  readFileSync(new URL(`corpus/${trainingFileName(locale)}`, import.meta.url), 'utf8')

const configWith = (changes: Partial<RouterConfig>): RouterConfig => ({ ...DEFAULT_ROUTER_CONFIG, ...changes })

/**
 * A question the rules match and the default check refuses: whether the service can be reached at all is a doubt
 * about it, a remark, as the tuning files label the reachability questions that carry no "now". "ist der
 * Kundenservice jetzt erreichbar?" served here until the twenty-sixth and twenty-seventh sets were spent: with "jetzt"
 * it asks for someone now, as "ist gerade ein Berater erreichbar?" in the tuning files, and the check now reads so.
 */
const DOUBTFUL_QUESTION = 'ist der Kundenservice überhaupt erreichbar?'

const toyCheck = () => {
  const calls: string[] = []
  const check = new RequestCheck({
    builtIn: (locale) => {
      calls.push(locale)
      return locale === 'en' ? TOY : []
    },
  })
  return { check, calls }
}

const ruleMatch = (rule: TriggerDecision['rule'], extra: Partial<TriggerDecision> = {}): TriggerDecision => ({
  matched: true,
  locale: 'en',
  rule,
  explanation: 'Match (en): …',
  ...extra,
})

describe('request model features', () => {
  it('reads normalised words and neighbour pairs, with the sentence edges, once each', () => {
    expect(featuresOf('Talk to an AGENT, agent')).toEqual([
      'talk',
      'to',
      'an',
      'agent',
      '_ talk',
      'talk to',
      'to an',
      'an agent',
      'agent agent',
      'agent _',
    ])
  })
})

describe('request model training', () => {
  const labelled = TOY.map(({ text, expected }) => ({ features: featuresOf(text), expected }))

  const vocabulary = [...new Set(labelled.flatMap((example) => example.features))]
  const weightsOf = (model: LinearModel) => vocabulary.map((feature) => model.weights.get(feature))

  it('trains the same naive Bayes weights every time', () => {
    const first = trainNaiveBayes(labelled)
    const second = trainNaiveBayes([...labelled])
    expect(weightsOf(second)).toEqual(weightsOf(first))
    expect(weightsOf(first).every((weight) => typeof weight === 'number')).toBe(true)
    expect(second.bias).toBe(first.bias)
  })

  it('trains the same logistic weights every time (a seeded shuffle)', () => {
    expect(weightsOf(trainLogistic(labelled))).toEqual(weightsOf(trainLogistic(labelled)))
  })

  it('weighs words of requests for a request and words of remarks against one', () => {
    const model = trainNaiveBayes(labelled)
    expect(model.weights.get('talk')).toBeGreaterThan(0)
    expect(model.weights.get('with me')).toBeLessThan(0)
    expect(logOddsOf(model, featuresOf('talk to a person'))).toBeGreaterThan(0)
    expect(logOddsOf(model, featuresOf('I bring a person with me'))).toBeLessThan(0)
    // A word never seen weighs nothing.
    expect(logOddsOf(model, ['zebra'])).toBe(model.bias)
  })

  it('explains a score by the features that weighed most against a request, strongest first', () => {
    const model = {
      bias: 0,
      weights: new Map([
        ['a', -1],
        ['b', -3],
        ['c', 2],
        ['d', -3],
        ['e', -0.5],
      ]),
    }
    const score = scoreFeatures(model, ['a', 'b', 'c', 'd', 'e'], 3)
    expect(score.against).toEqual([
      { feature: 'b', weight: -3 },
      { feature: 'd', weight: -3 },
      { feature: 'a', weight: -1 },
    ])
    expect(score.probability).toBeCloseTo(1 / (1 + Math.exp(5.5)), 10)
  })
})

describe('request model counts', () => {
  const german = builtInTrainingSentences('de')
  /** A designer's examples: words the corpus has and words it has not. */
  const designer = examples([
    '+ ist der Kundenservice gerade erreichbar?',
    '+ Zebrastreifen-Beauftragte bitte',
    '- mein Berater hat angerufen',
  ])
  const featuresOfAll = (sentences: TrainingExample[]) => [...new Set(sentences.flatMap((s) => featuresOf(s.text)))]
  const weightsOf = (model: LinearModel, features: string[]) => features.map((f) => model.weights.get(f))

  it('add up: built-in counts and a designer’s, taken together, weigh as all the sentences counted at once', () => {
    const features = [...featuresOfAll([...german, ...designer]), 'never seen']
    const together = naiveBayesModel([countExamples([...german, ...designer])])
    const added = naiveBayesModel([countExamples(german), countExamples(designer)])
    expect(weightsOf(added, features)).toEqual(weightsOf(together, features))
    expect(added.weights.get('zebrastreifen')).toBeGreaterThan(0)
    expect(added.weights.get('never seen')).toBeUndefined()
  })

  it('read back from the form the bundle carries, give the same model', () => {
    const text = ['# a comment', '+ connect me to a human', '- my human resources agent called', ''].join('\n')
    const decoded = decodeCounts(countTrainingText('trigger.xx.tuning.txt', text))
    expect(decoded).toEqual(countExamples(examples(['+ connect me to a human', '- my human resources agent called'])))
    const counted = countTrainingText(trainingFileName('de'), readCorpus('de'))
    const features = featuresOfAll(german)
    expect(weightsOf(naiveBayesModel([decodeCounts(counted)]), features)).toEqual(
      weightsOf(trainNaiveBayes(german.map((s) => ({ features: featuresOf(s.text), expected: s.expected }))), features)
    )
    expect(() => countTrainingText('trigger.xx.tuning.txt', 'hello human')).toThrow(
      "The router's training file trigger.xx.tuning.txt is malformed: Line 1 has no label"
    )
  })

  it('counted ahead of time stand for the built-in sentences, and a designer’s examples go on top the same way', () => {
    const bundled = decodeCounts(countTrainingText(trainingFileName('de'), readCorpus('de')))
    const locales = new Map([['de', { enabled: true, examples: designer }]])
    const fromSentences = new RequestCheck({ builtIn: () => german, locales })
    const fromCounts = new RequestCheck({
      builtIn: () => {
        throw new Error('the sentences are not read when their counts are given')
      },
      builtInCounts: () => bundled,
      locales,
    })
    const features = [...featuresOfAll([...german, ...designer])]
    const withCounts = weightsOf(fromCounts.modelFor('de')!, features)
    expect(withCounts).toEqual(weightsOf(fromSentences.modelFor('de')!, features))
    // The examples did change the model: without them the weights differ.
    const builtInOnly = new RequestCheck({ builtIn: () => german })
    expect(withCounts).not.toEqual(weightsOf(builtInOnly.modelFor('de')!, features))
  })
})

describe('RequestCheck', () => {
  it('refuses a rule match that reads like a remark, naming the cue, the target and the words against it', () => {
    const { check } = toyCheck()
    const decision = check.review(
      ruleMatch('request', { cue: 'bring', target: 'person' }),
      'can I bring a support person with me'
    )
    expect(decision).toMatchObject({ matched: false, reason: 'unlikely-request', cue: 'bring', target: 'person' })
    expect(decision.weighed).toContain('"with me"')
    expect(decision.evidence).toBe(decision.weighed?.join(', '))
    expect(decision.explanation).toMatch(
      /^No match \(en\): the rules found the cue "bring" and the target "person", but the request check reads a remark rather than a request \((?:\d+\.\d|under 0\.1) % likely\); the words that weighed most against a request: .*"with me"/
    )
  })

  it('keeps a rule match that reads like a request', () => {
    const { check } = toyCheck()
    const match = ruleMatch('request', { cue: 'talk', target: 'agent' })
    expect(check.review(match, 'can I talk to an agent')).toBe(match)
  })

  it('never touches a refusal, a configured phrase or a bare target', () => {
    const { check } = toyCheck()
    const remark = 'I will bring my husband with me'
    const refusal: TriggerDecision = { matched: false, locale: 'en', reason: 'no-cue', explanation: 'No match' }
    expect(check.review(refusal, remark)).toBe(refusal)
    expect(check.review(ruleMatch('phrase', { phrase: remark }), remark)).toMatchObject({ matched: true })
    expect(check.review(ruleMatch('bare-target', { target: 'person' }), 'person with me')).toMatchObject({
      matched: true,
    })
    expect(check.review(ruleMatch('standalone-cue', { cue: 'bring' }), remark)).toMatchObject({ matched: false })
  })

  it('trains a locale once, at its first use, and not at all for a locale without sentences', () => {
    const { check, calls } = toyCheck()
    expect(calls).toEqual([])
    const model = check.modelFor('en')
    expect(check.modelFor('en')).toBe(model)
    expect(check.modelFor('it')).toBeUndefined()
    expect(check.modelFor('it')).toBeUndefined()
    expect(calls).toEqual(['en', 'it'])
  })

  it('learns the designer’s examples with the built-in sentences, and stays off where turned off', () => {
    const withExamples = new RequestCheck({
      builtIn: () => [],
      locales: new Map([['en', { enabled: true, examples: TOY }]]),
    })
    expect(withExamples.modelFor('en')?.weights.get('with me')).toBeLessThan(0)
    const off = new RequestCheck({ builtIn: () => TOY, locales: new Map([['en', { enabled: false, examples: [] }]]) })
    expect(off.modelFor('en')).toBeUndefined()
    const remark = ruleMatch('request', { cue: 'bring', target: 'person' })
    expect(off.review(remark, 'I will bring a person with me')).toBe(remark)
  })
})

describe('the request check in the default router', () => {
  // Corpus-trained: a remark of the tuning set the rules match and the check refuses (the held-out set, trained with
  // the fourteenth blind set, has no refusal left), and bare targets it must never see.
  const VETOED = 'Ni loco vuelvo a hablar con uno de sus agentes, no saben nada.'

  it('refuses a rule match the built-in model reads as a remark, with the new reason', () => {
    expect(matchTrigger(VETOED, { locale: 'es' })).toMatchObject({
      matched: false,
      reason: 'unlikely-request',
      cue: 'hablar',
      target: 'agentes',
    })
  })

  it.each([
    ['agent', 'en'],
    ['human please', 'en'],
    ['un conseiller', 'fr'],
    ['Mitarbeiter bitte', 'de'],
  ])('never refuses the bare target %j', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'bare-target' })
  })

  it('leaves the designer’s phrases and never-trigger phrases as they are', () => {
    const router = buildRouter(
      configWith({
        triggerPhrases: [{ locale: 'es', phrases: [VETOED] }],
        neverTriggerPhrases: [{ locale: 'en', phrases: ['talk to an agent'] }],
      })
    )
    expect(matchTrigger(VETOED, { locale: 'es', router })).toMatchObject({ matched: true, rule: 'phrase' })
    expect(matchTrigger('talk to an agent', { locale: 'en', router })).toMatchObject({
      matched: false,
      reason: 'never-trigger',
    })
  })

  it('is turned off per locale by the configuration', () => {
    const router = buildRouter(configWith({ requestCheck: [{ locale: 'es-MX', enabled: false }] }))
    expect(matchTrigger(VETOED, { locale: 'es', router })).toMatchObject({ matched: true, rule: 'request' })
  })

  it('gives its reason in the action output the bot reads', () => {
    expect(REFUSAL_REASONS).toContain('unlikely-request')
    const output = matchTriggerOutputSchema.safeParse(matchTrigger(VETOED, { locale: 'es' }))
    expect(output.success).toBe(true)
  })

  it('learns a designer’s example', () => {
    const question = DOUBTFUL_QUESTION
    expect(matchTrigger(question, { locale: 'de' })).toMatchObject({ matched: false, reason: 'unlikely-request' })
    const router = buildRouter(
      configWith({ requestCheck: [{ locale: 'de', examples: ['+ ist der Kundenservice gerade erreichbar?'] }] })
    )
    expect(matchTrigger(question, { locale: 'de', router })).toMatchObject({ matched: true, rule: 'request' })
  })
})

describe('the request check’s rescue of near misses', () => {
  const NEAR_MISS = 'Menschlicher Ansprechpartner wäre toll'
  const rescuing = (entry: Partial<NonNullable<RouterConfig['requestCheck']>[number]> = {}) =>
    buildRouter(configWith({ requestCheck: [{ locale: 'de', rescue: true, ...entry }] }))

  it('takes a target without a cue as a request, keeping the target and naming the words for it', () => {
    const decision = matchTrigger(NEAR_MISS, { locale: 'de', router: rescuing() })
    expect(decision).toMatchObject({
      matched: true,
      locale: 'de',
      rule: 'likely-request',
      target: 'menschlicher ansprechpartner',
    })
    expect(decision.explanation).toMatch(
      /^Match \(de\): the rules found the target "menschlicher ansprechpartner" but no cue, and the request check reads a request \(over 99\.9 % likely\); the words that weighed most for a request: /
    )
    // Their order follows weights that move with every spent blind set; which words they are does not.
    for (const word of ['"menschlicher ansprechpartner"', '"ansprechpartner"', '"menschlicher"']) {
      expect(decision.explanation).toContain(word)
      expect(decision.weighed).toContain(word)
    }
  })

  it('takes a cue with an unknown person word as a request, keeping the cue', () => {
    const router = buildRouter(configWith({ requestCheck: [{ locale: 'en', rescue: true }] }))
    const decision = matchTrigger('could I have a quick word with the groundskeeper', { locale: 'en', router })
    expect(decision).toMatchObject({ matched: true, rule: 'likely-request', cue: 'have a quick word with' })
    expect(decision.explanation).toContain('the rules found the cue "have a quick word with" but no target')
    expect(matchTriggerOutputSchema.safeParse(decision).success).toBe(true)
  })

  it('is turned off per locale without turning the veto off, and never rescues where the check is off', () => {
    expect(matchTrigger(NEAR_MISS, { locale: 'de', router: rescuing({ rescue: false }) })).toMatchObject({
      reason: 'no-cue',
    })
    expect(matchTrigger(NEAR_MISS, { locale: 'de', router: rescuing({ enabled: false }) })).toMatchObject({
      reason: 'no-cue',
    })
    const question = DOUBTFUL_QUESTION
    expect(matchTrigger(question, { locale: 'de', router: rescuing({ rescue: false }) })).toMatchObject({
      reason: 'unlikely-request',
    })
  })

  it('is turned off in a locale where it is on by default, by rescue: false', () => {
    expect(matchTrigger(NEAR_MISS, { locale: 'de' })).toMatchObject({ matched: true, rule: 'likely-request' })
    const router = buildRouter(configWith({ requestCheck: [{ locale: 'de', rescue: false }] }))
    expect(matchTrigger(NEAR_MISS, { locale: 'de', router })).toMatchObject({ matched: false, reason: 'no-cue' })
  })

  it('learns from a designer’s examples', () => {
    const router = rescuing({ examples: ['- ein menschlicher Ansprechpartner wäre toll, sagt meine Oma immer'] })
    expect(matchTrigger(NEAR_MISS, { locale: 'de', router })).toMatchObject({ matched: false, reason: 'no-cue' })
  })

  // The toy model reads "talk to an agent" as a request beyond doubt: only the exemptions keep these refusals.
  const rescuer = () =>
    new RequestCheck({ builtIn: (locale) => (locale === 'en' ? TOY : []), rescueByDefault: () => 'any' })
  const refused = (reason: NonNullable<TriggerDecision['reason']>, extra: Partial<TriggerDecision> = {}) =>
    ({ matched: false, locale: 'en', reason, target: 'agent', explanation: 'No match.', ...extra }) as TriggerDecision

  it('takes the toy model’s near miss, so that the exemptions below are the rule’s and not the model’s', () => {
    const text = 'talk to an agent talk to a human please'
    expect(rescuer().review(refused('no-cue'), text)).toMatchObject({ matched: true, rule: 'likely-request' })
  })

  it.each([...DECISIVE_REASONS, 'unlikely-request', 'not-a-person', 'empty'] as const)(
    'never rescues a refusal for %s',
    (reason) => {
      const decision = refused(reason, { evidence: 'talk' })
      expect(rescuer().review(decision, 'talk to an agent talk to a human please')).toBe(decision)
    }
  )

  it('never rescues a message in which nothing person-like was found', () => {
    const decision = refused('no-target', { target: undefined })
    expect(rescuer().review(decision, 'talk to an agent talk to a human please')).toBe(decision)
  })

  it('reads the near miss of the customer’s own language, not a target another language found', () => {
    // "hotline" is a German target; English finds no one, so there is no English near miss to rescue.
    const decision = matchTrigger('I rang your hotline last week about the boiler', { locale: 'en' })
    expect(decision).toMatchObject({ locale: 'en', reason: 'no-target' })
    expect(isNearMiss(decision)).toBe(false)
  })
})

describe('the near-miss rescue by default, per language', () => {
  const GROUNDSKEEPER = 'could I have a quick word with the groundskeeper'
  const TOY_TEXT = 'talk to an agent talk to a human please'
  // The toy model reads TOY_TEXT as a request beyond doubt in every locale, so what is taken is the default's doing.
  const toyIn = (locales?: ReadonlyMap<string, LocaleCheck>) =>
    new RequestCheck({ builtIn: () => TOY, builtInCounts: () => undefined, ...(locales ? { locales } : {}) })
  const nearMiss = (locale: string, reason: 'no-cue' | 'no-target'): TriggerDecision =>
    reason === 'no-cue'
      ? { matched: false, locale, reason, target: 'agent', explanation: 'No match.' }
      : { matched: false, locale, reason, evidence: 'talk to', explanation: 'No match.' }
  const taken = (check: RequestCheck, locale: string, reason: 'no-cue' | 'no-target') =>
    check.review(nearMiss(locale, reason), TOY_TEXT).matched

  it('is a table of the four built-in languages: English and Spanish any near miss, French and German named only', () => {
    expect(Object.fromEntries(RESCUE_BY_LOCALE)).toEqual({ en: 'any', fr: 'named', de: 'named', es: 'any' })
    expect(['en', 'fr', 'de', 'es', 'it'].map(builtInRescue)).toEqual(['any', 'named', 'named', 'any', 'off'])
  })

  it.each([
    ['en', true, true],
    ['es', true, true],
    ['fr', true, false],
    ['de', true, false],
    ['it', false, false],
    ['constructor', false, false],
  ])('in %s takes a person without a cue: %s, a cue without a known person: %s', (locale, named, cueOnly) => {
    const check = toyIn()
    expect(taken(check, locale, 'no-cue')).toBe(named)
    expect(taken(check, locale, 'no-target')).toBe(cueOnly)
  })

  it('takes an English cue with a person word the lexicon lacks, with no setting', () => {
    expect(matchTrigger(GROUNDSKEEPER, { locale: 'en' })).toMatchObject({
      matched: true,
      rule: 'likely-request',
      cue: 'have a quick word with',
    })
  })

  it('takes a German person named without a cue, with no setting', () => {
    expect(matchTrigger('Menschlicher Ansprechpartner wäre toll', { locale: 'de' })).toMatchObject({
      matched: true,
      rule: 'likely-request',
      target: 'menschlicher ansprechpartner',
    })
  })

  it('gives way to a designer’s setting both ways', () => {
    const check = toyIn(
      new Map<string, LocaleCheck>([
        ['en', { enabled: true, rescue: 'off', examples: [] }],
        ['es', { enabled: true, rescue: 'named', examples: [] }],
        ['de', { enabled: true, rescue: 'any', examples: [] }],
        ['it', { enabled: true, rescue: 'named', examples: [] }],
      ])
    )
    expect(taken(check, 'en', 'no-cue')).toBe(false)
    expect([taken(check, 'es', 'no-cue'), taken(check, 'es', 'no-target')]).toEqual([true, false])
    expect([taken(check, 'de', 'no-cue'), taken(check, 'de', 'no-target')]).toEqual([true, true])
    expect([taken(check, 'it', 'no-cue'), taken(check, 'it', 'no-target')]).toEqual([true, false])
  })

  it('reads the configuration: true any near miss, "named" a person named only, false none', () => {
    const routerWith = (rescue: RescueSetting) => buildRouter(configWith({ requestCheck: [{ locale: 'en', rescue }] }))
    const rule = (rescue: RescueSetting) => matchTrigger(GROUNDSKEEPER, { locale: 'en', router: routerWith(rescue) })
    expect(rule(true)).toMatchObject({ matched: true, rule: 'likely-request' })
    expect(rule('named')).toMatchObject({ matched: false, reason: 'no-target' })
    expect(rule(false)).toMatchObject({ matched: false, reason: 'no-target' })
    expect(rescueKindOf(true)).toBe('any')
    expect(rescueKindOf('named')).toBe('named')
    expect(rescueKindOf(false)).toBe('off')
  })
})

describe('request check settings', () => {
  it('accepts a locale turned off, each rescue value and labelled examples', () => {
    const config = configWith({
      requestCheck: [
        { locale: 'en', enabled: false },
        { locale: 'fr', rescue: true },
        { locale: 'es', rescue: 'named' },
        { locale: 'pt', rescue: false },
        { locale: 'de', examples: ['+ einen Menschen bitte', '- mein Berater hat angerufen'] },
        { locale: 'it', examples: ['+ vorrei parlare con un operatore', '- il mio operatore è gentile'] },
      ],
    })
    expect(validateRouterConfig(config)).toEqual([])
  })

  it.each<[string, RouterConfig['requestCheck'], string]>([
    ['a bad language code', [{ locale: 'english!' }], 'Request check: "english!" is not a language code'],
    [
      'a language listed twice',
      [{ locale: 'fr' }, { locale: 'fr-CA', enabled: false }],
      'Request check: fr is listed twice; keep one entry per language.',
    ],
    [
      'an example without a label',
      [{ locale: 'en', examples: ['talk to a human'] }],
      'Request check (en): "talk to a human" is not one labelled sentence: start it with + (asks for a person) or - (does not), then the sentence.',
    ],
    [
      'a label without a sentence',
      [{ locale: 'en', examples: ['+ '] }],
      'Request check (en): "+ " is not one labelled sentence',
    ],
    [
      'examples of one kind in a language without built-in sentences',
      [{ locale: 'it', examples: ['+ vorrei parlare con un operatore'] }],
      'Request check (it): there are no built-in sentences in it, so give at least one + and one - example, or turn the check off.',
    ],
    [
      '"enabled" that is not true or false',
      [{ locale: 'en', enabled: 'no' as unknown as boolean }],
      'Request check (en): "enabled" is true or false, not "no".',
    ],
    [
      '"rescue" that is not true, "named" or false',
      [{ locale: 'en', rescue: 'yes' as unknown as boolean }],
      'Request check (en): "rescue" is true (any near miss), "named" (only when a person is named) or false, not "yes".',
    ],
  ])('rejects %s with a sentence that says what to do', (_, requestCheck, message) => {
    const config = configWith({ requestCheck })
    const errors = validateRouterConfig(config)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(message)
    expect(checkedRouterFor(config)).toEqual({ errors })
  })
})

describe('training source', () => {
  afterEach(() => {
    delete (globalThis as { __ROUTER_TRAINING_TEXTS__?: unknown }).__ROUTER_TRAINING_TEXTS__
    delete (globalThis as { __ROUTER_TRAINING_COUNTS__?: unknown }).__ROUTER_TRAINING_COUNTS__
  })

  it('reads each built-in locale’s labelled tuning sentences, both kinds, and nothing for another locale', () => {
    for (const locale of ['en', 'fr', 'de', 'es']) {
      const sentences = builtInTrainingSentences(locale)
      expect(sentences.some((sentence) => sentence.expected)).toBe(true)
      expect(sentences.some((sentence) => !sentence.expected)).toBe(true)
    }
    expect(builtInTrainingSentences('it')).toEqual([])
  })

  it('reads the texts the bundle inlines, and refuses a malformed one', () => {
    const inlined = { [trainingFileName('en')]: '+ hello human\n- hello world\n' }
    Object.assign(globalThis, { __ROUTER_TRAINING_TEXTS__: inlined })
    expect(builtInTrainingSentences('en')).toEqual([
      { text: 'hello human', expected: true },
      { text: 'hello world', expected: false },
    ])
    expect(builtInTrainingSentences('fr')).toEqual([])
    inlined[trainingFileName('en')] = 'hello human'
    expect(() => builtInTrainingSentences('en')).toThrow(
      "The router's training file trigger.en.tuning.txt is malformed: Line 1 has no label"
    )
  })
  it('reads the counts the bundle inlines, and none outside it', () => {
    expect(bundledTrainingCounts('en')).toBeUndefined()
    const encoded = countTrainingText(trainingFileName('en'), '+ hello human\n- hello world\n')
    Object.assign(globalThis, { __ROUTER_TRAINING_COUNTS__: { [trainingFileName('en')]: encoded } })
    expect(bundledTrainingCounts('en')).toEqual(decodeCounts(encoded))
    expect(bundledTrainingCounts('en')?.sentences).toEqual([1, 1])
    expect(bundledTrainingCounts('fr')).toBeUndefined()
  })

  it('in a bundle that carries counts, reads no sentences from disk and answers from the counts', () => {
    expect(hasBuiltInTraining('en')).toBe(true)
    expect(hasBuiltInTraining('it')).toBe(false)
    const encoded = countTrainingText(trainingFileName('it'), '+ parlare con un operatore\n- ciao\n')
    Object.assign(globalThis, { __ROUTER_TRAINING_COUNTS__: { [trainingFileName('it')]: encoded } })
    expect(builtInTrainingSentences('en')).toEqual([])
    expect(hasBuiltInTraining('en')).toBe(false)
    expect(hasBuiltInTraining('it')).toBe(true)
  })
})
