import { DEFAULT_CANCEL_PHRASES, DEFAULT_TRIGGER_PHRASES } from '../src/definitions/locales.js'
import {
  boundedEditDistance,
  BUILT_IN_LEXICONS,
  buildRouter,
  DEFAULT_ROUTER_CONFIG,
  matchCancel,
  matchTrigger,
  normalizeText,
  parseLabelledList,
  scoreSentences,
  validateRouterConfig,
  wordsMatch,
  type RouterConfig,
} from '../src/router/index.js'

/** The router with the request check off: the rules alone, as the corpus README reports them. */
const RULES_ALONE = buildRouter({
  ...DEFAULT_ROUTER_CONFIG,
  requestCheck: ['en', 'fr', 'de', 'es'].map((code) => ({ locale: code, enabled: false })),
})

describe('normalizeText', () => {
  it.each([
    ['Parler à un CONSEILLER !', 'parler a un conseiller'],
    ['  chat   with\tan agent?? ', 'chat with an agent'],
    ["quelqu'un", 'quelqu un'],
    ['Hablar con alguién, ¿por favor?', 'hablar con alguien por favor'],
    ['Straße', 'strasse'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected)
  })
})

describe('typo tolerance', () => {
  it('counts a swap of adjacent letters as one edit and stops past the limit', () => {
    expect(boundedEditDistance('agent', 'agnet', 2)).toBe(1)
    expect(boundedEditDistance('representative', 'xyz', 2)).toBe(3)
  })

  it.each([
    ['agent', 'agnet', true],
    ['representative', 'represantativ', true],
    ['to', 'go', false],
    ['talk', 'walk', false],
    ['human', 'woman', false],
  ])('%s vs %s → %s', (phraseWord, typed, expected) => {
    expect(wordsMatch(phraseWord, typed)).toBe(expected)
  })
})

describe('matchTrigger: requests for a person', () => {
  it.each([
    ['hook me up with a live person', 'en', 'hook me up', 'live person'],
    ["I'd rather chat with a real agent", 'en', 'rather', 'agent'],
    ['route me to support', 'en', 'route me', 'support'],
    ['any humans around?', 'en', 'around', 'human'],
    ['je préfère un vrai conseiller', 'fr', 'je prefere', 'conseiller'],
    ['ich hätte gern einen Ansprechpartner', 'de', 'ich hatte gern', 'ansprechpartner'],
    ['quiero que me atienda una persona', 'es', 'quiero', 'persona'],
    ['comuníqueme con soporte', 'es', 'comuniqueme', 'soporte'],
  ])('%j: cue and target (%s)', (text, locale, cue, target) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'request', locale, cue, target })
  })

  it('tolerates typos, word order and filler, and says what the customer wrote', () => {
    const decision = matchTrigger('is an agnet available please?', { locale: 'en' })
    expect(decision).toMatchObject({ matched: true, cue: 'available', target: 'agent' })
    expect(decision.explanation).toBe('Match (en): request cue "available" with target "agent" (written "agnet").')
  })

  it.each([
    ['agent', 'en'],
    ['human please', 'en'],
    ['ugh... human', 'en'],
    ['Conseiller !', 'fr'],
    ['Mitarbeiter bitte', 'de'],
    ['asesor', 'es'],
  ])('%j is a bare target (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'bare-target' })
  })

  it.each([
    ['representative please, the bot keeps looping', 'en'],
    ['Una persona real, por favor, este chat no me ayuda', 'es'],
    ['bitte einen Menschen, ich drehe mich seit 20 Minuten im Kreis', 'de'],
  ])('takes a bare target with a polite word as a request even when more follows: %j (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'bare-target' })
  })

  it('keeps a bare target without a polite word to the end of its sentence', () => {
    expect(matchTrigger('the person, who delivered, was nice', { locale: 'en' }).matched).toBe(false)
  })

  it('reads a cue that holds a word which alone is no cue ("transfer this chat" holds "this chat")', () => {
    expect(matchTrigger('Please transfer this chat to an agent.', { locale: 'en' })).toMatchObject({
      matched: true,
      cue: 'transfer this chat',
      target: 'agent',
    })
  })

  it('takes "könnten Sie mich weiterverbinden?" as a request by itself, but not with a negation', () => {
    expect(matchTrigger('könnten Sie mich weiterverbinden?', { locale: 'de' })).toMatchObject({
      matched: true,
      rule: 'standalone-cue',
      cue: 'weiterverbinden',
    })
    expect(matchTrigger('verbinden Sie mich nicht', { locale: 'de' })).toMatchObject({
      matched: false,
      reason: 'negated',
      evidence: 'nicht',
    })
  })

  it('finds an English request for a French customer', () => {
    expect(matchTrigger('can I talk to a human', { locale: 'fr-CA' })).toMatchObject({ matched: true, locale: 'en' })
  })

  it('still matches every phrase of the former built-in list', () => {
    for (const [locale, phrases] of Object.entries(DEFAULT_TRIGGER_PHRASES)) {
      for (const phrase of phrases) {
        expect({ phrase, matched: matchTrigger(phrase, { locale }).matched }).toEqual({ phrase, matched: true })
      }
    }
  })
})

describe('matchTrigger: desks named by what they handle', () => {
  it.each([
    ['en', 'put me through to baggage claims', 'put me through to', 'baggage claims'],
    ['de', 'verbinden Sie mich bitte mit der Gepäckermittlung', 'verbinden sie mich … mit', 'gepackermittlung'],
    ['es', 'páseme con reembolsos', 'paseme con', 'reembolsos'],
    ['fr', 'passez-moi le service litiges', 'passez moi le service', 'litiges'],
  ])('takes the desk after a routing cue as whom the customer asks for (%s: "%s")', (locale, text, cue, target) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: true, rule: 'request', cue, target })
    expect(decision.explanation).toContain(target)
  })

  it('does not route to a thing, through a negation, or into a withdrawal', () => {
    expect(matchTrigger('can you connect me to the wifi', { locale: 'en' }).matched).toBe(false)
    expect(matchTrigger('pásame con el enlace', { locale: 'es' }).matched).toBe(false)
    expect(matchTrigger("don't transfer me to claims", { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'negated',
    })
    expect(matchTrigger('verbinden Sie mich bitte mit niemandem', { locale: 'de' }).matched).toBe(false)
    expect(matchTrigger('Sie können die Verbindung zum Mitarbeiter abbrechen', { locale: 'de' }).matched).toBe(false)
  })

  it('takes someone from a desk as a request only when asked politely', () => {
    expect(matchTrigger('jemanden von der Abrechnung bitte', { locale: 'de' })).toMatchObject({
      matched: true,
      cue: 'jemand* von der',
      target: 'abrechnung',
    })
    expect(matchTrigger('jemand von der Bank hat mich angerufen', { locale: 'de' }).matched).toBe(false)
  })
})

describe('matchTrigger: remarks that asking is pointless', () => {
  it.each([
    ['fr', 'parler à un conseiller ça sert à rien', 'ca sert a rien'],
    ['de', 'mit einem Mitarbeiter reden bringt nichts', 'bringt nichts'],
    ['es', 'hablar con un asesor no sirve de nada', 'no sirve de nada'],
  ])('refuses a request judged pointless right after it (%s)', (locale, text, evidence) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false, reason: 'talks-about', evidence })
  })

  it('still takes a request after which the customer complains about the bot', () => {
    expect(matchTrigger('I need a human this bot is useless', { locale: 'en' }).matched).toBe(true)
  })
})

describe('matchTrigger: people named by what they are, and described', () => {
  it.each([
    ['en', 'Could I speak to a claims adjuster about my claim?', 'speak', 'claims adjuster*'],
    ['de', 'Kann ich kurz mit einem Apotheker sprechen?', 'kann ich', 'apotheker*'],
    ['es', '¿Puedo hablar con el veterinario de guardia?', 'puedo', 'veterinario*'],
  ])('takes a trade as whom a cue asks for (%s)', (locale, text, cue, target) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'request', cue, target })
  })

  it('takes a trade alone only when asked politely, never one that is the customer’s own', () => {
    expect(matchTrigger('pharmacist', { locale: 'en' })).toMatchObject({ matched: false, reason: 'no-cue' })
    expect(matchTrigger('Apotheker bitte', { locale: 'de' })).toMatchObject({ matched: true, rule: 'bare-target' })
    expect(matchTrigger("I'll talk to my lawyer if this isn't fixed", { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'not-a-person',
      evidence: 'my lawyer',
    })
  })

  it('reads narration in a description of whom as part of the person, not of the request', () => {
    expect(matchTrigger('can I chat with the lady who handled my case last week', { locale: 'en' })).toMatchObject({
      matched: true,
      target: 'lady',
    })
    // "who" stands only for a person, so the word before it is one, whatever the name.
    expect(matchTrigger('can I speak to Sarah who helped me last week', { locale: 'en' })).toMatchObject({
      matched: true,
      target: 'sarah',
    })
    // A described subject still narrates.
    expect(matchTrigger("Le conseiller que j'ai eu lundi devait me rappeler.", { locale: 'fr' }).matched).toBe(false)
  })

  it('lets the request check weigh the request without the description of whom', () => {
    // Without "quien me atendió la semana pasada" the check reads no past week against the request.
    expect(
      matchTrigger('quiero hablar con la señora quien me atendió la semana pasada', { locale: 'es' })
    ).toMatchObject({ matched: true, rule: 'request', target: 'la senora' })
    expect(
      matchTrigger('puedo hablar con el chico quien me llamó ayer por lo de la factura', { locale: 'es' })
    ).toMatchObject({ matched: true, rule: 'request' })
  })

  it('reads elongated letters once, and a comparison as a remark', () => {
    expect(normalizeText('humaaan pleeease')).toBe('human please')
    expect(matchTrigger('humaaan please', { locale: 'en' })).toMatchObject({ matched: true, target: 'human' })
    expect(matchTrigger('my cat is more human than your bot', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'talks-about',
    })
  })

  it('takes a job application as talk about a role', () => {
    expect(matchTrigger('wie kann ich mich bei euch als kundenberater bewerben?', { locale: 'de' })).toMatchObject({
      matched: false,
      reason: 'talks-about',
      evidence: 'bewerben',
    })
  })

  it('keeps a set phrase whole and takes a bare target followed by its reason as a request', () => {
    expect(matchTrigger('una persona de carne y hueso', { locale: 'es' })).toMatchObject({ matched: true })
    expect(matchTrigger('un agente, que esto es muy complicado', { locale: 'es' })).toMatchObject({
      matched: true,
      rule: 'bare-target',
    })
  })
})

describe('matchTrigger: German word order and questions about times', () => {
  it('reads a standalone German verb as a request only when the clause gives it no object of its own', () => {
    expect(matchTrigger('können Sie mich weiterleiten?', { locale: 'de' })).toMatchObject({
      matched: true,
      rule: 'standalone-cue',
    })
    // German puts the object before the verb: the mail is forwarded, not the customer.
    expect(matchTrigger('können Sie die Mail an meine Frau weiterleiten?', { locale: 'de' }).matched).toBe(false)
  })

  it('reads a compound by its last part ("Kreditberater", "Kreditkartenabteilung") and says what was written', () => {
    const decision = matchTrigger('können Sie mich mit einem Kreditberater verbinden?', { locale: 'de' })
    expect(decision).toMatchObject({ matched: true, rule: 'request', target: '*berater' })
    expect(decision.explanation).toContain('(written "kreditberater")')
    expect(matchTrigger('Ich möchte mit der Kreditkartenabteilung verbunden werden.', { locale: 'de' }).matched).toBe(
      true
    )
  })

  it("takes one's own person after a marker as the one asked for, but not as the subject", () => {
    expect(matchTrigger('Verbinden Sie mich bitte mit meinem Kundenbetreuer', { locale: 'de' })).toMatchObject({
      matched: true,
      target: 'kundenbetreuer',
    })
    expect(matchTrigger('je voudrais parler à mon gestionnaire de compte', { locale: 'fr' }).matched).toBe(true)
    expect(matchTrigger('mon conseiller m’a dit de vous écrire ici', { locale: 'fr' }).matched).toBe(false)
    // Someone of the customer's own life stays theirs, even after a marker.
    expect(matchTrigger('I need to talk to my manager before I decide', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'not-a-person',
      evidence: 'my manager',
    })
    expect(matchTrigger('ich muss erst mit meinem Chef sprechen', { locale: 'de' }).matched).toBe(false)
  })

  it('takes a sentence that only adds whom, after a marker, as a bare target', () => {
    expect(matchTrigger('Ich möchte mich beschweren. Mit einem Mitarbeiter, bitte.', { locale: 'de' })).toMatchObject({
      matched: true,
      rule: 'bare-target',
      target: 'mitarbeiter',
    })
  })

  it('keeps a "dass" clause with the request before it', () => {
    expect(matchTrigger('ich will, dass sich ein Mensch darum kümmert', { locale: 'de' })).toMatchObject({
      matched: true,
      rule: 'request',
      target: 'mensch',
    })
  })

  it('takes a question about when someone is there as a question, wherever the time is said', () => {
    const decision = matchTrigger('ist der Kundenservice am Samstag erreichbar?', { locale: 'de' })
    expect(decision).toMatchObject({ matched: false, reason: 'talks-about', evidence: 'am samstag' })
    // The rules' own reading, with the request check off: "jetzt" is no schedule, and the question asks.
    const rulesOnly = buildRouter({ ...DEFAULT_ROUTER_CONFIG, requestCheck: [{ locale: 'de', enabled: false }] })
    expect(matchTrigger('ist der Kundenservice jetzt erreichbar?', { locale: 'de', router: rulesOnly }).matched).toBe(
      true
    )
  })
})

describe("matchTrigger: remarks that only hold a request's words", () => {
  it.each([
    ['can I bring my carer with me to the appointment?', 'en', 'talks-about', 'bring my carer with me'],
    ['wie erreiche ich den Kundenservice schriftlich?', 'de', 'talks-about', 'schriftlich'],
    ['je veux écrire au service client par courrier', 'fr', 'talks-about', 'par courrier'],
    ['¿cuánto cuesta hablar con un asesor?', 'es', 'talks-about', 'cuesta'],
    ['a table for 6 people please', 'en', 'not-a-person', '6 people'],
    ['una mesa para 6 personas', 'es', 'not-a-person', '6 personas'],
    ['the agent hung up on me', 'en', 'narrative', 'hung up'],
    ['ich will den Berater nicht mehr sprechen, der mich angelogen hat', 'de', 'negated', 'nicht'],
  ])('%j is no request (%s): %s, "%s"', (text, locale, reason, evidence) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false, reason, evidence })
  })

  it('still reads a digit after a cue as a word, and a passive routing cue as a request', () => {
    expect(matchTrigger('talk 2 someone please', { locale: 'en' })).toMatchObject({ matched: true, target: 'someone' })
    expect(matchTrigger('puis-je être mis en contact avec le service juridique ?', { locale: 'fr' }).matched).toBe(true)
  })
})

describe('matchTrigger: desks, roles and trades named as the customer names them', () => {
  it.each([
    ['Kann ich mit der Pflegeleitung sprechen?', 'de', '*leitung'],
    ['Ich möchte mit der Mitgliederbetreuung sprechen', 'de', '*betreuung'],
    ['Bitte verbinden Sie mich mit der Kontaktperson für Firmenkunden', 'de', '*person'],
    ['Können Sie mich mit dem Datenschutzbeauftragten verbinden?', 'de', '*beauftragten'],
    ['hol mir mal jemanden echten', 'de', 'jemanden echt*'],
    ['Ich will mich beschweren, und zwar bei einer Person', 'de', 'person'],
    ['Ich möchte mit der Kosmetikerin sprechen', 'de', 'kosmetiker*'],
    ['could I talk to a hairdresser please', 'en', 'hairdresser*'],
    ['je voudrais parler au formateur', 'fr', 'formateur*'],
    ['quiero hablar con la peluquera', 'es', 'peluquer*'],
    ['que llamen a una tutora', 'es', 'tutora'],
  ])('%j asks for a person (%s): %s', (text, locale, target) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, target })
  })

  it('reads "atiéndame" as a cue, and a need stated after an adverb as a request', () => {
    expect(matchTrigger('atiéndame un supervisor, por favor', { locale: 'es' })).toMatchObject({ cue: 'atiendame' })
    expect(matchTrigger('Jetzt brauche ich einen Mitarbeiter, um das zu klären', { locale: 'de' }).matched).toBe(true)
  })

  it.each([
    ['Brauche ich einen Anwalt, um den Vertrag zu kündigen?', 'de', 'talks-about', 'brauche ich'],
    ['do I need to have an advisor to open an account?', 'en', 'talks-about', 'do i need'],
    ["Ai-je besoin d'un conseiller pour résilier ?", 'fr', 'talks-about', 'ai je besoin'],
    ['Kann ich meinen Berater selbst aussuchen?', 'de', 'talks-about', 'aussuchen'],
    ['can I choose which agent handles my claim?', 'en', 'talks-about', 'choose'],
    ['je peux choisir mon conseiller ?', 'fr', 'talks-about', 'choisir'],
    [
      'ich möchte die Ansprechperson in meinem Vertrag ändern',
      'de',
      'not-a-person',
      'ansprechperson in meinem vertrag andern',
    ],
    ['Können Sie die Umleitung einrichten?', 'de', 'not-a-person', 'umleitung'],
  ])('%j is no request (%s): %s, "%s"', (text, locale, reason, evidence) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false, reason, evidence })
  })
})

describe('matchTrigger: refusals say why', () => {
  it.each([
    ['I never asked to talk to a human', 'en', 'negated', 'never'],
    ['il ne faut pas parler à un conseiller', 'fr', 'negated', 'ne'],
    ['ich will nicht mit einem Menschen sprechen', 'de', 'negated', 'nicht'],
    ['nunca pedí hablar con un agente', 'es', 'negated', 'nunca'],
    ['I talked to an agent yesterday', 'en', 'narrative', 'talked'],
    ['are you a human?', 'en', 'talks-about', 'are you'],
    ['she wants to talk to a person first', 'en', 'someone-else', 'she'],
    ['my travel agent booked the flight', 'en', 'not-a-person', 'travel agent'],
    ['mon conseiller bancaire est malade', 'fr', 'not-a-person', 'mon conseiller'],
    ['je dois être présent en personne pour le retrait ?', 'fr', 'not-a-person', 'en personne'],
    ['est-ce que je dois appeler quelqu’un pour ajouter un conducteur ?', 'fr', 'talks-about', 'est ce que je dois'],
    ['Ich wurde an die Technik verbunden, dann an den Vertrieb.', 'de', 'narrative', 'verbunden'],
    ['¿Puedo poner la cuenta a nombre de otra persona?', 'es', 'not-a-person', 'otra persona'],
    ['How do I transfer money to a person without their IBAN?', 'en', 'talks-about', 'money'],
    ['If I need an agent later, will I have to explain everything again?', 'en', 'talks-about', 'if i need'],
    ['Ich möchte einen Mitarbeiter loben, Frau Schulz war super.', 'de', 'talks-about', 'loben'],
    ['Der Mitarbeiter vom Montag wollte mich zurückrufen.', 'de', 'narrative', 'wollte'],
    ['Soporte cerró mi ticket sin responder.', 'es', 'negated', 'sin'],
    [
      'Is it possible to speak to someone in another country using wifi calling?',
      'en',
      'not-a-person',
      'someone in another country',
    ],
  ])('%j (%s) → %s because of %j', (text, locale, reason, evidence) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: false, reason, evidence })
    expect(decision.explanation).toContain(`"${evidence}"`)
  })

  it('takes a question frame that holds the cue as a question about the request, not one ("para qué quiero…")', () => {
    expect(
      matchTrigger('¿Para qué quiero hablar con un humano si tú puedes responder?', { locale: 'es' })
    ).toMatchObject({ matched: false, reason: 'talks-about', evidence: 'para que quiero' })
    expect(matchTrigger('stop asking if I want an agent', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'talks-about',
    })
    // A question word inside a longer cue stays part of the cue.
    expect(matchTrigger('is it possible to talk to a person?', { locale: 'en' })).toMatchObject({
      matched: true,
      cue: 'is it possible',
    })
  })

  it('says when a target has no cue, and when a cue has no target', () => {
    expect(matchTrigger('the agent of my order shipped', { locale: 'en' })).toMatchObject({
      reason: 'no-cue',
      target: 'agent',
    })
    expect(matchTrigger('talk to me about pricing', { locale: 'en' })).toMatchObject({
      reason: 'no-target',
      evidence: 'talk',
    })
    expect(matchTrigger('', { locale: 'de' })).toMatchObject({ matched: false, reason: 'empty', locale: 'de' })
  })

  it('answers the requested locale, reduced to its language, when nothing matches', () => {
    expect(matchTrigger('bonjour', { locale: 'fr-FR' })).toMatchObject({ matched: false, locale: 'fr' })
    expect(matchTrigger('bonjour', { defaultLocale: 'de' })).toMatchObject({ matched: false, locale: 'de' })
  })
})

const configured = (overrides: Partial<RouterConfig>) => buildRouter({ ...DEFAULT_ROUTER_CONFIG, ...overrides })

describe('matchTrigger: a request taken back later in the message', () => {
  it.each([
    ['I wanted to speak to someone... actually never mind, what is my balance', 'en', 'never mind'],
    ['je voulais parler à un conseiller... non en fait laissez tomber', 'fr', 'laissez tomber'],
    ['Iba a pedir hablar con alguien pero ya me ayudaste tú, gracias', 'es', 'ya me ayudaste tu'],
  ])('%j (%s) is withdrawn by %j', (text, locale, evidence) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: false, reason: 'withdrawn', evidence })
    expect(decision.explanation).toContain('taken back')
  })

  it('keeps a request that comes after the cancel, or after words that only do not mind how', () => {
    expect(matchTrigger('forget the FAQ, I want a human', { locale: 'en' }).matched).toBe(true)
    expect(matchTrigger('never mind. actually yes, talk to an agent please', { locale: 'en' }).matched).toBe(true)
    expect(matchTrigger('Quisiera un asesor por teléfono o por chat, me da igual.', { locale: 'es' }).matched).toBe(
      true
    )
  })
})

describe('matchTrigger: bare targets and inclusive writing', () => {
  it('takes whom followed by a polite word as a request even when the reason follows without a pause', () => {
    expect(matchTrigger('agent please my order is missing half the items', { locale: 'en' })).toMatchObject({
      matched: true,
      rule: 'bare-target',
      target: 'agent',
    })
    expect(matchTrigger('vite un humain, la caisse m’a débité deux fois', { locale: 'fr' }).matched).toBe(true)
    expect(matchTrigger('the agent was rude please do something about it', { locale: 'en' }).matched).toBe(false)
  })

  it('lets a cue said again after the negated one ask afresh, but not a negation of the second saying', () => {
    expect(matchTrigger('i dont want a bot i want a person', { locale: 'en' })).toMatchObject({
      matched: true,
      cue: 'want',
      target: 'person',
    })
    expect(matchTrigger('je veux pas le bot je veux un humain', { locale: 'fr' }).matched).toBe(true)
    expect(matchTrigger('i want the bot i dont want a human', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'negated',
    })
    expect(matchTrigger("I don't want to talk to a human", { locale: 'en' }).matched).toBe(false)
  })

  it('reads inclusive endings as the word itself', () => {
    for (const [text, locale] of [
      ['un(e) conseiller(ère) svp', 'fr'],
      ['Bitte eine*n Mitarbeiter*in', 'de'],
      ['un asesor/a por favor', 'es'],
    ] as const) {
      expect(matchTrigger(text, { locale }).matched).toBe(true)
    }
  })
})

describe('matchTrigger: quotations', () => {
  it('refuses a request that only quotation marks hold, and says what they quote', () => {
    const decision = matchTrigger('the app says "please speak to an advisor before cancelling", why?', { locale: 'en' })
    expect(decision).toMatchObject({
      matched: false,
      reason: 'quoted',
      evidence: 'please speak to an advisor before cancelling',
    })
    expect(decision.explanation).toContain('quotation marks')
    expect(
      matchTrigger('Fehlermeldung: „Bitte kontaktieren Sie Ihren Ansprechpartner.“ Was soll ich tun?', { locale: 'de' })
    ).toMatchObject({ matched: false, reason: 'quoted' })
  })

  it("still takes the customer's own request beside a quotation, and a message that is only a quotation", () => {
    expect(matchTrigger('it says "error 502", can I talk to a human?', { locale: 'en' }).matched).toBe(true)
    expect(matchTrigger('« un conseiller svp »', { locale: 'fr' }).matched).toBe(true)
  })
})

describe('what a designer configures', () => {
  it('adds cue and target words to a locale', () => {
    const router = configured({
      triggerCues: [{ locale: 'en', words: ['page'] }],
      triggerTargets: [{ locale: 'en', words: ['concierge'] }],
    })
    const decision = router.triggers.match('please page the concierge', { fallbackLocale: 'en' })
    expect(decision).toMatchObject({ matched: true, rule: 'request', cue: 'page', target: 'concierge' })
    expect(router.triggers.match('concierge', { fallbackLocale: 'en' })).toMatchObject({ rule: 'bare-target' })
  })

  it('matches a phrase that is the whole message exactly, even one the rules would refuse', () => {
    const router = configured({ triggerPhrases: [{ locale: 'en', phrases: ['no bot'] }] })
    expect(router.triggers.match('No bot!', { fallbackLocale: 'en' })).toMatchObject({
      matched: true,
      rule: 'phrase',
      phrase: 'no bot',
      explanation: 'Match (en): the configured phrase "no bot".',
    })
  })

  it('finds a phrase inside a sentence unless the sentence negates it', () => {
    const router = configured({ triggerPhrases: [{ locale: 'it', phrases: ['parlare con un operatore'] }] })
    expect(router.triggers.match('vorrei parlare con un operatore', { fallbackLocale: 'it' })).toMatchObject({
      matched: true,
      phrase: 'parlare con un operatore',
      locale: 'it',
    })
    const english = configured({ triggerPhrases: [{ locale: 'en', phrases: ['ring the front desk'] }] })
    expect(english.triggers.match("don't ring the front desk", { fallbackLocale: 'en' })).toMatchObject({
      matched: false,
      reason: 'negated',
    })
  })

  it('never triggers on a never-trigger phrase, and says which', () => {
    const router = configured({ neverTriggerPhrases: [{ locale: 'en', phrases: ['agent portal'] }] })
    expect(router.triggers.match('I need the agent portal', { fallbackLocale: 'en' })).toMatchObject({
      matched: false,
      reason: 'never-trigger',
      evidence: 'agent portal',
    })
    expect(router.triggers.match('I need an agent', { fallbackLocale: 'en' }).matched).toBe(true)
  })

  it('keeps only the configured words when the built-in vocabulary is off, but still understands negation', () => {
    const router = configured({
      useBuiltInVocabulary: false,
      triggerTargets: [{ locale: 'en', words: ['concierge'] }],
      triggerCues: [{ locale: 'en', words: ['ring'] }],
    })
    expect(router.triggers.match('talk to a human', { fallbackLocale: 'en' }).matched).toBe(false)
    expect(router.triggers.match('ring the concierge', { fallbackLocale: 'en' }).matched).toBe(true)
    expect(router.triggers.match("don't ring the concierge", { fallbackLocale: 'en' })).toMatchObject({
      reason: 'negated',
    })
  })

  it('cancels with a configured cancel phrase only when it is the whole message', () => {
    const router = configured({ cancelPhrases: [{ locale: 'en', phrases: ['scrap that'] }] })
    expect(router.cancels.match('ok scrap that', { fallbackLocale: 'en' })).toMatchObject({
      matched: true,
      expression: 'scrap that',
    })
    expect(router.cancels.match('scrap that order of mine', { fallbackLocale: 'en' })).toMatchObject({
      matched: false,
      reason: 'not-alone',
    })
  })
})

describe('validateRouterConfig', () => {
  const check = (overrides: Partial<RouterConfig>) => validateRouterConfig({ ...DEFAULT_ROUTER_CONFIG, ...overrides })

  it('accepts the defaults and sensible additions', () => {
    expect(check({})).toEqual([])
    expect(check({ triggerTargets: [{ locale: 'fr-CA', words: ['concierge'] }] })).toEqual([])
  })

  it.each([
    [{ triggerCues: [{ locale: 'english', words: ['ring'] }] }, 'Trigger cue words: "english" is not a language code'],
    [{ triggerPhrases: [{ locale: 'en', phrases: ['?!'] }] }, 'Trigger phrases (en): "?!" has no letters or digits'],
    [{ triggerTargets: [{ locale: 'en', words: ['the'] }] }, '"the" is only filler words'],
    [
      { triggerCues: [{ locale: 'en', words: ['please put me through to someone now'] }] },
      'has more than 6 words; add it as a trigger phrase instead',
    ],
    [
      {
        triggerPhrases: [{ locale: 'en', phrases: ['talk to a human'] }],
        neverTriggerPhrases: [{ locale: 'en', phrases: ['Talk to a human!'] }],
      },
      '"talk to a human" (en) is both a trigger phrase and a never-trigger phrase',
    ],
    [
      {
        triggerPhrases: [{ locale: 'en', phrases: ['chat with the agent portal'] }],
        neverTriggerPhrases: [{ locale: 'en', phrases: ['agent portal'] }],
      },
      'contains the never-trigger phrase "agent portal", so it could never match',
    ],
    [
      {
        triggerCues: [{ locale: 'en', words: ['support'] }],
        triggerTargets: [{ locale: 'en', words: ['Support'] }],
      },
      '"support" (en) is both a cue and a target word',
    ],
    [
      {
        triggerPhrases: [{ locale: 'en', phrases: ['stop'] }],
        cancelPhrases: [{ locale: 'en', phrases: ['stop'] }],
      },
      'is both a trigger phrase and a cancel phrase',
    ],
  ])('refuses %j with a sentence', (overrides, sentence) => {
    const errors = check(overrides as Partial<RouterConfig>)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(sentence)
    expect(errors[0]).toMatch(/\.$/)
  })
})

describe('matchTrigger: words that name no one to talk to now', () => {
  it.each([
    ['fr', 'non j ai besoin de personne merci'],
    ['fr', 'qui je peux mettre comme personne à prévenir ?'],
    ['fr', "je voudrais ajouter un contact d'urgence"],
    ['fr', "l'appli propose de parler à des humains, c'est payant ?"],
    ['fr', "l'agent du chat a fermé la conversation"],
    ['fr', "j'ai dû parler à trois conseillers"],
    ['fr', 'parler à vos conseillers c est une perte de temps'],
    ['en', 'can I chat with a person who liked my profile?'],
    ['de', 'Wie kann ich einen Termin bei Dr. Weber buchen?'],
    ['es', 'dejen de llamarme, sus agentes me llaman cada día'],
  ])('refuses "%s: %s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(false)
  })

  it.each([
    ['fr', 'je peux parler avec le mécano ?'],
    ['en', 'can you get someone from billing to ping me'],
    ['de', 'jmd vom kundendienst pls'],
    ['de', 'kann mich bitte wer anrufen?'],
    ['es', '¿me pueden pasar con enfermería?'],
  ])('still asks in "%s: %s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })
})

describe('matchCancel', () => {
  it.each([
    ['Mein Zahnarzttermin morgen. Bitte absagen', 'de', 'zahnarzttermin'],
    ['the viewing on friday, cancel it please', 'en', 'viewing'],
    ['le rendez-vous de jeudi, annulez-le svp', 'fr', 'rendez vous'],
  ])('%j cancels a booking named before it, not the hand-off (%s): "%s"', (text, locale, evidence) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: false, reason: 'not-alone', evidence })
  })

  it('still cancels when a booking named after the cancel is the reason', () => {
    expect(matchCancel('never mind, my appointment shows up now', { locale: 'en' }).matched).toBe(true)
  })

  it.each([
    ['ok ich bleib dann doch lieber beim bot', 'de', 'bleib* … beim bot'],
    ['keine fragen mehr, danke', 'de', 'keine fragen mehr'],
    ['no more questions, thanks', 'en', 'no more questions'],
    ['finalement je préfère ne pas donner suite', 'fr', 'ne pas donner suite'],
    ['ya no tengo preguntas, gracias', 'es', 'ya no tengo preguntas'],
  ])('%j cancels (%s): "%s"', (text, locale, expression) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true, expression })
  })

  it('cancels with waiting words that the cancel itself holds ("no espero más"), not with a plain wait', () => {
    expect(matchCancel('no espero más, lo dejamos', { locale: 'es' })).toMatchObject({ matched: true })
    expect(matchCancel("don't worry about transferring me, found it", { locale: 'en' }).matched).toBe(true)
    expect(matchCancel('lo dejamos, espero al agente', { locale: 'es' })).toMatchObject({
      matched: false,
      reason: 'keeps-waiting',
    })
  })

  it.each([
    ['never mind that, what about my refund?', 'en', 'never mind'],
    ['annulez tout', 'fr', 'annulez'],
    ['lassen Sie es', 'de', 'lassen sie es'],
    ['ya no, gracias', 'es', 'ya no'],
    ['ok forget it', 'en', 'forget it'],
    ["I'll just stay with the bot.", 'en', 'stay with the bot'],
    ['bon ben laisse tomber merci', 'fr', 'laisse tomber'],
    ['wird nicht mehr gebraucht, danke', 'de', 'wird nicht mehr gebraucht'],
    ['Vergessen Sie meine Frage. Wie lautet die Rücksendeadresse?', 'de', 'vergessen sie meine frage'],
    ['ya no se necesita, muchas gracias', 'es', 'ya no se necesita'],
  ])('%j is a cancellation (%s)', (text, locale, expression) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true, locale, expression })
  })

  it.each([
    ['I need to cancel the order I made yesterday', 'en', 'cancel'],
    ['never mind the previous question', 'en', 'never mind'],
    ['cancelar mi pedido', 'es', 'cancelar'],
  ])('%j talks about cancelling something else (%s)', (text, locale, expression) => {
    const decision = matchCancel(text, { locale })
    expect(decision).toMatchObject({ matched: false, reason: 'not-alone', expression })
    expect(decision.explanation).toContain('is about something else here')
  })

  it('does not cancel on a negated cancel word or on nothing at all', () => {
    expect(matchCancel('no canceles', { locale: 'es' }).matched).toBe(false)
    // Neither a negation nor another object inside the words a `…` of the expression skipped.
    expect(matchCancel('brechen Sie den Auftrag nicht ab', { locale: 'de' }).matched).toBe(false)
    expect(matchCancel('brechen Sie den Auftrag ab', { locale: 'de' })).toMatchObject({
      matched: false,
      reason: 'not-alone',
    })
    expect(matchCancel('brechen Sie das bitte ab', { locale: 'de' }).matched).toBe(true)
    expect(matchCancel('please hurry', { locale: 'en' })).toMatchObject({ matched: false, reason: 'no-cancel' })
  })

  it.each([
    ["don't transfer me after all", 'en', 'don t … transfer me'],
    ['plus besoin de parler à quelqu’un', 'fr', 'plus besoin'],
    ['doch nicht weiterleiten', 'de', 'doch nicht'],
    ['ya no hace falta hablar con nadie', 'es', 'ya no hace falta'],
  ])('takes a withdrawn request for a person as a cancellation: %j (%s)', (text, locale, expression) => {
    const decision = matchCancel(text, { locale })
    expect(decision).toMatchObject({ matched: true, locale, expression })
    expect(decision.explanation).toContain(expression)
  })

  it('does not cancel when the message also says it keeps waiting for the person, but does when it waits for something else', () => {
    const decision = matchCancel("don't worry, I'll wait for the agent", { locale: 'en' })
    expect(decision).toMatchObject({ matched: false, reason: 'keeps-waiting', evidence: 'i ll wait' })
    expect(decision.explanation).toContain('keeps waiting')
    expect(matchCancel('alles gut, ich warte', { locale: 'de' }).matched).toBe(false)
    expect(matchCancel("forget it, I'll wait for the email", { locale: 'en' }).matched).toBe(true)
    expect(matchCancel('déjelo, espero el correo', { locale: 'es' }).matched).toBe(true)
  })

  it('does not cancel on "X, not the transfer", but does on a withdrawn request after a new topic', () => {
    expect(
      matchCancel('Ich will meinen Mietwagen stornieren, nicht die Weiterleitung.', { locale: 'de' }).matched
    ).toBe(false)
    expect(matchCancel('Quiero cancelar el coche de alquiler, no la transferencia.', { locale: 'es' }).matched).toBe(
      false
    )
    expect(matchCancel("I've changed my mind, I don't want to talk to anyone", { locale: 'en' }).matched).toBe(true)
    expect(matchCancel('this is taking forever', { locale: 'en' }).matched).toBe(false)
  })

  it('cuts a leading cancel from the new sentence that follows it without a pause', () => {
    expect(matchCancel("nevermind i'll just call tomorrow", { locale: 'en' })).toMatchObject({
      matched: true,
      expression: 'nevermind',
    })
    expect(matchCancel('forget it I want a human', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'keeps-waiting',
    })
  })

  it('takes staying on the line as waiting, and no word of the request as a typo of a cancel word', () => {
    expect(matchCancel('brauch keinen rückruf, ich bleib im chat', { locale: 'de' })).toMatchObject({
      matched: false,
      reason: 'keeps-waiting',
    })
    // "sprechen" is not "streichen".
    expect(matchCancel('egal wie lange es dauert, ich will mit jemandem sprechen', { locale: 'de' }).matched).toBe(
      false
    )
  })

  it('does not cancel when another clause still asks for the person, and says which words', () => {
    const decision = matchCancel("No thanks, I don't need a new plan, just the agent.", { locale: 'en' })
    expect(decision).toMatchObject({ matched: false, reason: 'keeps-waiting', evidence: 'agent' })
    // Someone's own, a negated or a narrated person is no one the customer still waits for.
    expect(matchCancel('forget it, my colleague found it', { locale: 'en' }).matched).toBe(true)
    expect(matchCancel('never mind, no agent needed', { locale: 'en' }).matched).toBe(true)
    // A remark about the person asks for no one.
    expect(matchCancel('cancel, the agent is too slow', { locale: 'en' }).matched).toBe(true)
  })

  it('cancels with a question that is a polite order, not with one that only asks', () => {
    expect(matchCancel('Können Sie die Weiterleitung bitte abbrechen?', { locale: 'de' })).toMatchObject({
      matched: true,
      expression: 'abbrechen',
    })
    expect(matchCancel('can you cancel it?', { locale: 'en' }).matched).toBe(true)
    expect(matchCancel('forget it? no way', { locale: 'en' }).matched).toBe(false)
    expect(matchCancel('¿puedo cancelar la solicitud de asesor?', { locale: 'es' }).matched).toBe(false)
  })

  it.each([
    ['en', "ok actually let's just continue with the chatbot"],
    ['fr', "je quitte la file d'attente"],
    ['de', 'ich mach mit dem Bot weiter'],
    ['es', 'salir de la cola'],
  ])('cancels by leaving the queue or carrying on with the bot (%s: "%s")', (locale, text) => {
    expect(matchCancel(text, { locale }).matched).toBe(true)
  })

  it('does not cancel when the customer asks to stay in the queue or says they will wait as long as it takes', () => {
    expect(matchCancel('no me saquen de la cola, ya vuelvo', { locale: 'es' }).matched).toBe(false)
    expect(matchCancel('no pasa nada, espero lo que haga falta', { locale: 'es' })).toMatchObject({
      matched: false,
      reason: 'keeps-waiting',
    })
  })

  it('does not cancel in a clause that only sets a condition, but still does after "sí"', () => {
    expect(matchCancel('si no me atienden ya, borro mi cuenta', { locale: 'es' }).matched).toBe(false)
    expect(matchCancel('si no gracias', { locale: 'es' }).matched).toBe(true)
    expect(matchCancel('ok if nobody comes, never mind', { locale: 'en' }).matched).toBe(true)
  })

  it('does not cancel when the customer says they do not want to cancel', () => {
    expect(matchCancel('no quiero cancelar', { locale: 'es' }).matched).toBe(false)
    expect(matchCancel("I don't want to cancel", { locale: 'en' }).matched).toBe(false)
    expect(matchCancel('je ne veux pas annuler', { locale: 'fr' }).matched).toBe(false)
  })

  it('still cancels with every phrase of the former built-in list', () => {
    for (const [locale, phrases] of Object.entries(DEFAULT_CANCEL_PHRASES)) {
      for (const phrase of phrases) {
        expect({ phrase, matched: matchCancel(phrase, { locale }).matched }).toEqual({ phrase, matched: true })
      }
    }
  })
})

describe('labelled lists', () => {
  it('parses + and - lines, skips comments and names unlabelled lines', () => {
    const { sentences, errors } = parseLabelledList('# a comment\n+ talk to a human\n\n- hello\nagent\n+ ')
    expect(sentences).toEqual([
      { text: 'talk to a human', expected: true, line: 2 },
      { text: 'hello', expected: false, line: 4 },
    ])
    expect(errors).toEqual([
      'Line 5 has no label: start it with + (should match) or - (should not match).',
      'Line 6 has a label but no sentence.',
    ])
  })

  it('scores precision, recall and false positives with the explanation of each mistake', () => {
    const { sentences } = parseLabelledList('+ agent\n+ hello\n- I talked to an agent\n- where is my order')
    const scores = scoreSentences(sentences, (text) => matchTrigger(text, { locale: 'en' }))
    expect(scores).toMatchObject({
      truePositives: 1,
      falseNegatives: 1,
      falsePositives: 0,
      trueNegatives: 2,
      precision: 1,
      recall: 0.5,
      falsePositiveRate: 0,
    })
    expect(scores.mistakes).toEqual([
      { text: 'hello', line: 2, expected: true, explanation: 'No match (en): no request for a person.' },
    ])
  })
})

describe('the fourteenth blind set: word classes and rules', () => {
  it.each([
    ['de', 'Ich möchte mit einem Zahntechniker sprechen'],
    ['de', 'Kann ich mit der Küchenplanerin sprechen?'],
    ['es', 'Quiero hablar con la fisioterapeuta'],
    ['es', '¿Puedo hablar con un neumólogo?'],
    ['fr', "Je peux parler à l'administratrice du camping ?"],
    ['fr', "Je voudrais parler à l'animatrice du club"],
  ])('takes a trade named by its suffix as whom a cue asks for (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['de', 'Ich möchte den Routenplaner benutzen'],
    ['es', 'Quiero ver la lista de precios'],
    ['es', 'Quiero la revista de este mes'],
    ['fr', 'Je veux un ordinateur neuf'],
    ['fr', 'Je voudrais un inhalateur neuf'],
    ['de', 'Ich will den Schichtplaner sehen'],
  ])('does not take a thing with a trade suffix for a person (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(false)
  })

  it.each([
    ['en', 'Could I have a word with the campsite warden?'],
    ['en', 'get me in touch with the editor please'],
    ['en', 'pass me on to the returns desk'],
    ['en', 'pass it on to a human please'],
    ['en', 'arrange a callback from an engineer'],
    ['fr', "Pouvez-vous me transférer, s'il vous plaît ?"],
    ['fr', "Je voudrais être transféré, s'il vous plaît"],
    ['de', 'Ein echter Mitarbeiter erwünscht.'],
    ['de', 'Bittschön einen Menschen'],
    ['de', 'schalt mal nen Menschen dazu'],
    ['de', 'Sagen Sie einer Mitarbeiterin Bescheid, sie soll mich anrufen'],
    ['es', 'Por favor, una persona del departamento de ventas'],
    ['es', 'Con un agente de ustedes, por favor'],
  ])('takes a request without the usual cue (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['en', "can't I just talk to a person?"],
    ['de', 'Kann mir nicht jemand vom Support helfen?'],
    ['es', '¿no hay un agente con quien pueda hablar?'],
    ['fr', "il n'y a pas un conseiller à qui parler ?"],
  ])('reads a question that opens with a negated ask as a request (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  // About the rules' refusal: English's near-miss rescue, on by default, takes "a word with my wife" (a cue, no known
  // person) as a request.
  const rulesWithoutRescue = configured({
    requestCheck: ['en', 'fr', 'de', 'es'].map((code) => ({ locale: code, rescue: false })),
  })

  it.each([
    ['en', "can't I cancel without talking to an agent?"],
    ['de', 'Kann ich nicht ohne Mitarbeiter kündigen?'],
    ['en', 'can I have a word with my wife first'],
    ['de', 'Sagen Sie mir Bescheid, wenn der Techniker kommt'],
    ['fr', 'Envoyez-moi le devis du plombier svp'],
    ['es', 'Comuníqueme por correo cuando esté lista la receta'],
    ['de', 'Ich möchte den Vertrag auf einen Mitarbeiter überschreiben'],
    ['en', "I'd like to apply for the warden job you advertised"],
  ])(
    'does not take a refusal, one’s own person, a thing sent, told or handed over, or a job for a request (%s): "%s"',
    (locale, text) => {
      expect(matchTrigger(text, { locale, router: rulesWithoutRescue }).matched).toBe(false)
    }
  )

  it.each([
    ['en', 'no need to worry about finding someone, thanks'],
    ['en', "don't worry about getting me someone"],
    ['fr', "Pas besoin de me chercher quelqu'un, merci"],
    ['fr', 'Ne tenez pas compte de mon message pour avoir un conseiller, merci'],
    ['fr', 'oubliez le conseiller au téléphone, merci'],
    ['de', 'Kann storniert werden, danke.'],
    ['de', 'Ich nehme die Anfrage nach einem Rückruf zurück.'],
    ['de', 'Hab die Lösung gefunden, danke'],
    ['de', 'Du brauchst niemanden mehr zu suchen.'],
    ['de', "ha's gfunde, danke"],
    ['es', 'Ya no me interesa, gracias'],
    ['es', 'Mejor no me comuniques con nadie, gracias'],
  ])('cancels (%s): "%s"', (locale, text) => {
    expect(matchCancel(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['es', '¿Y si anulo la petición, tengo que empezar de nuevo?'],
    ['es', 'Olvídalo, yo espero a que se desocupe un asesor'],
    ['es', 'Olvídate del recibo, no importa. ¿Ya vienen los agentes?'],
  ])('does not cancel on a condition, or while still waiting for the person (%s): "%s"', (locale, text) => {
    expect(matchCancel(text, { locale }).matched).toBe(false)
  })
})

describe('the fifteenth blind set: word classes and rules', () => {
  it.each([
    ['de', 'Oida, gib ma an Mitarbeiter, die Rechnung passt ned'],
    ['de', 'Ick will ma mit eenem von euch quatschen'],
    ['de', 'lass mal ne echte Mitarbeiterin ran'],
    ['de', 'Hätten Sie vielleicht jemanden, der sich mit Garantien auskennt?'],
    ['de', 'Schalten Sie bitte eine Fachkraft für Heizungen dazu.'],
    ['de', 'Ich bitte darum, dass ein Mitarbeiter das prüft.'],
    ['de', 'kann mir ein richtiger mitarbeiter das mal erklären?'],
    ['de', 'koennt ihr mir einen Menschen schicken, bitte'],
  ])('takes dialect, colloquial and subjunctive forms of known cues as requests (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['de', 'Schalten Sie bitte das Licht im Flur ab.'],
    ['fr', 'Rappelez-moi la date limite de paiement'],
    ['es', 'Llamadme loca, pero prefiero la versión en papel.'],
  ])('takes no real word or idiom for a target or a cue (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(false)
  })

  it('takes a user of an app for no staff in -atrice, by the rules alone', () => {
    const rulesOnly = configured({ requestCheck: [{ locale: 'fr', enabled: false }] })
    const text = 'Je veux inscrire ma fille comme utilisatrice du compte'
    expect(matchTrigger(text, { locale: 'fr', router: rulesOnly }).matched).toBe(false)
  })

  it.each([
    ['de', 'Wer ist bei Ihnen für Garantiefälle zuständig? Den möchte ich sprechen.'],
    ['de', 'Habt ihr einen Elektriker im Team? Dann bitte den.'],
  ])('takes a pronoun for the person named just before (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['de', 'Ich hatte einen Monteur da, aber die Dichtung tropft noch.'],
    ['de', 'Der Berater war nett, danke an die'],
  ])('takes no article or thanks for such a pronoun (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(false)
  })

  it.each([
    ['de', 'Ich hätte gern einen Rückruf von meiner Steuerberaterin.'],
    ['es', 'Quiero que me llame mi asesora fiscal, por favor.'],
  ])('takes one’s own professional asked to call back as a request (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it('still takes one’s own family asked to call back for no request', () => {
    expect(matchTrigger('Necesito que me llame mi esposo', { locale: 'es' }).matched).toBe(false)
  })

  it.each([
    ['de', 'Kann ich mit einem Tischler sprechen?'],
    ['de', 'Ich möchte bitte mit dem Meister der Werkstatt reden'],
    ['en', 'can I talk to the luthier about my violin'],
    ['en', 'could the reservations desk give me a call'],
    ['es', 'Quiero hablar con el carpintero, por favor'],
    ['es', 'Quisiera hablar con quien esté a cargo de la instalación'],
  ])('knows the trades and roles of this set (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['en', 'please get a manager, the booking failed twice'],
    ['en', 'go get a human'],
    ['fr', 'donne-moi un conseiller'],
    ['fr', 'connecte-moi avec un conseiller'],
    ['fr', 'va chercher un responsable'],
    ['fr', "Le technicien pourrait-il m'appeler demain ?"],
    ['fr', 'Un technicien peut me recontacter ?'],
    ['es', '¿Me contactan con un asesor?'],
    ['es', 'un agente, urgente, no me llega el código'],
  ])('takes a request without the usual cue (%s): "%s"', (locale, text) => {
    expect(matchTrigger(text, { locale }).matched).toBe(true)
  })

  it.each([
    ['en', 'dont bother with the agent, thanks'],
    ['en', "I'll no bother wi the person"],
    ['fr', "Oubliez l'histoire de l'agent, merci"],
    ['fr', 'Retirez ma demande de rappel'],
    ['fr', 'Ignorez mon dernier message, merci'],
    ['de', 'nee lass ma'],
    ['de', 'Lassen Sie das mit der Vermittlung, danke'],
    ['es', 'borra lo del asesor'],
  ])('cancels (%s): "%s"', (locale, text) => {
    expect(matchCancel(text, { locale }).matched).toBe(true)
  })
})

describe('matchTrigger: a person by its place (one talks with persons)', () => {
  it.each([
    ['can I talk to the harbourmaster please', 'en', 'harbourmaster'],
    ['je voudrais parler au capitaine du port', 'fr', 'capitaine'],
    ['Ich möchte mit der Hafenmeisterin sprechen', 'de', 'hafenmeisterin'],
    ['Ich will den Platzwart sprechen', 'de', 'platzwart'],
    ['quiero hablar con el guardabosques', 'es', 'guardabosques'],
    ['¿puedo conversar con la jardinera?', 'es', 'jardinera'],
  ])('%j asks for the noun the lexicon does not know (%s): %s', (text, locale, target) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: true, rule: 'request', target })
    expect(decision.explanation).toContain(`with target "${target}" (a person by its place)`)
  })

  it.each([
    // A thing after the noun heads the compound: no person.
    ['can I talk to the weather app instead?', 'en'],
    // The topic, not whom: no speech word's object after "über".
    ['können wir über den Termin sprechen?', 'de'],
    // People in general (plural), not someone asked for.
    ['ich muss mit den Nachbarn reden', 'de'],
    ['je n aime pas parler aux voisins', 'fr'],
  ])('%j names no one by its place (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false })
  })

  it('leaves every other refusal to apply as to any target', () => {
    expect(matchTrigger("I don't want to speak to the harbourmaster", { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'negated',
      target: 'harbourmaster',
    })
  })
})

describe('matchTrigger: a person by the contact they make', () => {
  it.each([
    ['Could one of the upholsterers ring me back?', 'en', 'upholsterers'],
    ['can the ferryman text me about the crossing', 'en', 'ferryman'],
    // After a modal that opens the question, the noun's head: "tour guide".
    ['Could the tour guide ring me back?', 'en', 'guide'],
    // The subject's pronoun of an inverted question.
    ["Votre ébéniste pourrait-il m'appeler ?", 'fr', 'ebeniste'],
    // A polite word between subject and verb, in its chat form.
    ['Le régisseur du théâtre peut svp me rappeler ?', 'fr', 'regisseur'],
    ['Le régisseur du théâtre peut me rappeler ?', 'fr', 'regisseur'],
    ["J'aimerais que l'accordeur m'appelle demain", 'fr', 'accordeur'],
    ['Kann mich die Imkerin zurückrufen?', 'de', 'imkerin'],
    ['¿Me puede llamar el sastre?', 'es', 'sastre'],
    ['Que me escriba la bibliotecaria, por favor', 'es', 'bibliotecaria'],
  ])('%j asks for the subject the lexicon does not know (%s): %s', (text, locale, target) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: true, rule: 'request', target })
    expect(decision.explanation).toContain(`with target "${target}" (a person by the contact they make)`)
  })

  it.each([
    // The contact verb is the cue even for a subject the lexicon knows.
    ["Qu'un conseiller de l'agence me recontacte", 'fr'],
    ["Quelqu'un du magasin peut m'écrire ?", 'fr'],
    ['Que me devuelva la llamada un asesor', 'es'],
  ])('%j asks with a contact verb alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true, rule: 'request' })
  })

  it.each([
    // Narration, negation, someone's object after the verb in English, a subject that does something else first.
    ['the upholsterer rang me yesterday', 'en'],
    ["the upholsterer didn't call me back", 'en'],
    ['call me a taxi', 'en'],
    ['the parcel arrived, call me', 'en'],
    ["Le fromager il m'appelle jamais", 'fr'],
    ["Le régisseur ne m'a jamais rappelé", 'fr'],
    ['Die Imkerin soll mich nicht anrufen', 'de'],
    ['No quiero que me llame el sastre', 'es'],
  ])('%j asks for no one (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false })
  })
})

describe('matchTrigger: a person on the line', () => {
  it.each([
    ['can you put me on the phone with the ferryman', 'en', 'ferryman'],
    ['I need the upholsterer on the line, the sofa is ripped', 'en', 'upholsterer'],
    ["J'exige l'accordeur au téléphone", 'fr', 'accordeur'],
    ['Ich brauche die Imkerin am Telefon', 'de', 'imkerin'],
    ['Quiero el sastre al teléfono', 'es', 'sastre'],
  ])('%j asks for the noun in that frame (%s): %s', (text, locale, target) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: true, rule: 'request', target })
    expect(decision.explanation).toContain(`with target "${target}" (a person on the line)`)
  })

  it.each([
    // Narration, and "en ligne" (online) is no line.
    ['I was on the phone with the ferryman for an hour', 'en'],
    ['je veux payer la facture en ligne', 'fr'],
    ['Ich hatte die Imkerin gestern am Telefon', 'de'],
  ])('%j asks for no one (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: false })
  })
})

describe('chat spellings, read as the words they stand for', () => {
  it.each([
    ['can sum1 ring me back', 'en'],
    ['cn i get a human', 'en'],
    ['je pe parlé a qqn du magasin', 'fr'],
    ['m puede llamar un asesor?', 'es'],
  ])('%j asks for a person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true })
  })

  it('keeps each table to its own language, and every refusal still applies', () => {
    expect(matchTrigger('i dont wanna talk to sum1', { locale: 'en' })).toMatchObject({ matched: false })
    expect(BUILT_IN_LEXICONS.es!.chatSpellings).toMatchObject({ q: 'que' })
    expect(BUILT_IN_LEXICONS.en!.chatSpellings).not.toHaveProperty('q')
  })
})

describe('the German subjunctive behind a folded umlaut', () => {
  it.each([
    'Wär lieb, wenn mich mal jemand aus der Werkstatt zurückruft',
    'Wär klasse, wenn sich ein Berater bei mir melden würde',
    'Hätten Sie mal einen Techniker für mich?',
  ])('%j wishes now, and asks', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it.each([
    // Past with "als", waiting with "bis", a wish about something else.
    'Der Berater war nett, als er mich anrief',
    'Ich warte, bis mich der Techniker anruft',
    'Wär gut, wenn der Techniker pünktlich kommt',
  ])('%j asks for no one', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: false })
  })
})

describe('false triggers by kind: habits, steps of a flow, beneficiaries, Swiss negation', () => {
  it.each([
    // Whether someone is usually there.
    ['is there usually somebody at the gate when the last ferry comes in', 'en'],
    ["Il y a normalement quelqu'un au guichet quand le dernier bus arrive ?", 'fr'],
    ['Ist da normalerweise jemand an der Rezeption, wenn der letzte Zug ankommt?', 'de'],
    // A transfer cue whose object is a step or a page.
    ['please transfer me to the checkout, the basket is full', 'en'],
    ['Leiten Sie mich bitte zur Anmeldeseite weiter', 'de'],
    // …past the adverbs in the cue's gap.
    ['Leiten Sie mich doch gleich zur Bestellseite weiter', 'de'],
    // A person who is given something.
    ['Ich brauche eine Karte für eine Mitarbeiterin, die Geburtstag hat', 'de'],
    // Swiss "nöd" and "z".
    ['Nöd nötig, mit emne Berater z rede', 'de'],
  ])('%j asks for no one (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })

  it('still asks when someone is wanted now, or passed on to a desk', () => {
    expect(matchTrigger('Is there someone I can talk to now?', { locale: 'en' })).toMatchObject({ matched: true })
    expect(matchTrigger('Leiten Sie mich an die Buchhaltung weiter', { locale: 'de' })).toMatchObject({ matched: true })
  })
})

describe('cancels in regional forms', () => {
  it.each([
    ['no need the agent again', 'en'],
    ['no need already', 'en'],
    ['nuh need fi di agent, mi find it', 'en'],
    ['Oubliez le membre du service client, merci', 'fr'],
    ['Hett sik erledigt, danke', 'de'],
  ])('%j withdraws the request (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('a request taken back with the thing as a pronoun (es)', () => {
  it('reads "ya me lo resolviste" as withdrawing the request before it, and as a cancel alone', () => {
    expect(
      matchTrigger('Quería hablar con un asesor, pero ya me lo resolviste, gracias', { locale: 'es' })
    ).toMatchObject({ matched: false, reason: 'withdrawn' })
    expect(matchCancel('ya me lo resolviste, gracias', { locale: 'es' })).toMatchObject({ matched: true })
  })
})

describe('fetching or sending a person (one class of verbs, objects and particles per language)', () => {
  it.each([
    ['get us a person who knows the tariffs, the bot is useless', 'en'],
    ['give us somebody from billing, would you', 'en'],
    ['Ramenez-moi un conseiller, le robot tourne en rond', 'fr'],
    ['bon, faut quelqu’un du service technique', 'fr'],
    ['Schickts uns endlich an Menschen, der sich auskennt', 'de'],
    ['Bringen Sie mir einen Kollegen aus der Buchhaltung', 'de'],
    ['Jetzt schafft halt den Meister her', 'de'],
  ])('%j asks for someone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it.each([
    ["send me the plumber's quote please", 'en'],
    ['Schickt mir bitte die Rechnung vom Techniker', 'de'],
  ])('%j sends a thing, not a person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('a person told or asked to make the contact (the contact rule, widened to whom the customer tells)', () => {
  it.each([
    ['Pouvez-vous demander à la fleuriste de me rappeler avant midi ?', 'fr'],
    ["Demandez au carrossier de m'appeler", 'fr'],
    ['Pídale a la veterinaria que me escriba hoy', 'es'],
    ['Richten Sie dem Dachdecker aus, er soll mich heute noch anrufen', 'de'],
    ['Sagen Sie der Floristin, sie soll mich kurz zurückrufen', 'de'],
  ])('%j asks for that person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it.each([
    ["J'ai demandé à la fleuriste de me rappeler", 'fr'],
    ['Le pedí a la veterinaria que me escriba', 'es'],
    ['Der Dachdecker war da, er soll mich morgen anrufen, hat er gesagt', 'de'],
  ])('%j tells what was asked before (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('the noun after a speech word: an indefinite trade by its ending, the noun right after the preposition', () => {
  it.each([
    ['could I talk to a chiropractor today', 'en'],
    ["i'd like to speak with a wedding photographer", 'en'],
    ['Je voudrais parler avec une fleuriste', 'fr'],
    // The noun after the preposition, not "date" (read as "dame") further on; an adverb before the preposition.
    ["Je voudrais discuter directement avec l'ébéniste au sujet de notre date de livraison", 'fr'],
    ['Ich würde gern mit einer Physiotherapeutin sprechen', 'de'],
    ['Quiero hablar con un cerrajero, por favor', 'es'],
  ])('%j asks for that person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it.each([
    ['i want to talk to a computer that works', 'en'],
    ['Je voudrais parler avec un ordinateur', 'fr'],
    ['Ich möchte mit einem Rechner sprechen', 'de'],
    ['Quiero hablar con un ordenador', 'es'],
  ])('%j names a thing, not a trade (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('German and Spanish kinds: a cue alone after whom, help from a human, joining the chat, a free relative', () => {
  it.each([
    // A cue and fillers alone complete the person named just before without a cue.
    ['Ich suche jemanden aus der Buchhaltung. Verbinden bitte.', 'de'],
    ['Kann mir wer von Ihnen bei der Kündigung helfen?', 'de'],
    ['Ich brauch menschliche Unterstützung', 'de'],
    ['¿Puede entrar un asesor al chat, por favor?', 'es'],
    ['Un conseiller pourrait venir sur le chat ?', 'fr'],
    ['Quiero hablar con quien firmó mi contrato', 'es'],
  ])('%j asks for someone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it.each([
    ['Ich hab nicht mit einem Mitarbeiter gesprochen. Bitte verbinden.', 'de'],
    ['Wer von euch ist für Rechnungen zuständig?', 'de'],
    ['¿Puedo entrar al chat desde el móvil?', 'es'],
    ['Ayer quise hablar con quien me atendió pero no estaba', 'es'],
  ])('%j asks for no one now (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('cancels: the request itself withdrawn, and cancel words of another language written as they are', () => {
  it.each([
    ['please withdraw my request to speak with the harbour master', 'en'],
    ["j'annule ma demande pour discuter avec la sommelière", 'fr'],
    ['Annullieren Sie bitte meine Anfrage, danke', 'de'],
  ])('%j withdraws the request (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it('does not read English "also" as Spanish "alto" one letter away', () => {
    expect(matchCancel('ok thanks. also, is the shop open on Sunday?', { locale: 'en' })).toMatchObject({
      matched: false,
    })
  })

  it('still reads a typo of a cancel word in the customer’s own language', () => {
    expect(matchCancel('cancle', { locale: 'en' })).toMatchObject({ matched: true })
  })
})

describe('cancels of the eighteenth set’s kinds: Bavarian negation, help withdrawn, still waiting', () => {
  it.each([
    ['Brauchts ned mehr, danke', 'de'],
    ['i brauch die Beraterin ned mehr', 'de'],
    ['Ya no necesito ayuda de ningún asesor', 'es'],
  ])('%j withdraws the request (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it('keeps waiting when a question asks how much longer the person takes', () => {
    expect(matchCancel('forget it. how much longer will the technician be?', { locale: 'en' })).toMatchObject({
      matched: false,
      reason: 'keeps-waiting',
    })
    expect(matchCancel('never mind. how long is the warranty?', { locale: 'en' })).toMatchObject({ matched: true })
  })
})

describe('German dialect spellings: each group’s regular forms, read through the chat table', () => {
  it.each([
    // Rhenish and Cologne: isch, well, met, em, redde, bidde, Meeschder; gebb mer, mol.
    'Isch well met em Meeschder redde, bidde',
    'Gebb mer mol de Meeschder, bidde',
    // Saxon: gann, isch, deim, Scheff, and the dropped "e" of "-en" (redn, schwatzn).
    'Gann isch ma mit deim Scheff redn?',
    'Isch will mit dor Scheffin schwatzn',
    // Swiss: chöit, mi, em.
    'Chöit Dir mi mit em Scheff verbinde?',
    // Northern: ik, wull, geern, Minschen, snacken.
    'Ik wull geern mit een Minschen ut de Warkstatt snacken',
  ])('%j asks for a person', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it('reads Swiss "ke" as the negation it is, by the rules alone', () => {
    const router = buildRouter({ ...DEFAULT_ROUTER_CONFIG, requestCheck: [{ locale: 'de', enabled: false }] })
    expect(matchTrigger('I bruuch ke Mitarbeiter, nume d Adresse vom Lade', { locale: 'de', router })).toMatchObject({
      matched: false,
      reason: 'negated',
    })
  })

  it('leaves out a form that is also a typo of a standard word ("kan" is "kann" as often as "kein")', () => {
    expect(matchTrigger('kan ich mit nem Berater reden', { locale: 'de' })).toMatchObject({ matched: true })
    expect(BUILT_IN_LEXICONS.de!.chatSpellings).not.toHaveProperty('kan')
  })

  it.each(['Mir bruuche niemer meh, es het sech erlediget', 'Loss joot sin, isch bruch kein Minsch mih'])(
    '%j withdraws the request',
    (text) => {
      expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: true })
    }
  )
})

describe('German kinds of the nineteenth set: the staff, writing back, a trade on the line, a title and a name', () => {
  it.each([
    // A collective staff noun as a bare target.
    'Fachpersonal bitte, dringend',
    // Writing back to the customer, a separable verb.
    'Schreibt mir bitte jemand zurück?',
    // A bare compound trade in the on-the-line frame.
    'Malermeister ans Telefon bitte',
    // A title and a name as a person.
    'Kann ich bitte Frau Albers sprechen?',
  ])('%j asks for a person', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it.each([
    ['Je voudrais parler à Mme Roux', 'fr'],
    ['Necesito a la Sra. Pérez, por favor', 'es'],
  ])('%j asks for a person named with a title, its abbreviation ending no sentence (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true })
  })

  it.each([
    // A personal trainer is a service, not the staff; one's own wife is no title.
    'Gibt es bei euch Personal Trainer?',
    'Meine Frau möchte wissen, ob ihr Montag offen habt',
    // Whether an appointment with staff is needed: a requirement question, also in dialect.
    'Brucht ma für d Rückgab an Termin mit am Berater?',
  ])('%j asks for no one, by the rules alone', (text) => {
    const router = buildRouter({ ...DEFAULT_ROUTER_CONFIG, requestCheck: [{ locale: 'de', enabled: false }] })
    expect(matchTrigger(text, { locale: 'de', router })).toMatchObject({ matched: false })
  })

  it.each([
    'Es muss mich keiner mehr zurückrufen, danke',
    'Muss niemand mehr in den Chat kommen, danke',
    // A clause with its own subject is no infinitive of the clause before.
    'Ich hab alles gefunden, Sie brauchen mich mit keinem Berater mehr zu verbinden',
    // No one of a kind, and where or of whom.
    'Brauchst keinen Kollegen mehr, hab alles',
    'Ich brauche keinen Menschen im Chat mehr, danke',
    'Ich brauch doch keinen mehr von euch',
  ])('%j withdraws the request (nobody needed any more)', (text) => {
    expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it('still reads a thing no longer needed as something else', () => {
    expect(matchCancel('Du brauchst keinen Helm mehr mitbringen', { locale: 'de' })).toMatchObject({ matched: false })
  })
})

describe('English, French and Spanish kinds of the nineteenth set', () => {
  it.each([
    // "got" with the addressee as subject is the present "have got".
    ['you got anyone in billing I can talk to?', 'en'],
    // A relative clause's past describes the person a routing cue names.
    ['could you pass me over to the kitchen fitter who did my plan', 'en'],
    ['please transfer me to the garden designer who did our patio', 'en'],
    // Putting the customer with someone is speaking with them.
    ['Mettez-moi avec la fleuriste qui a fait mon bouquet', 'fr'],
    ['can you link me up with someone in sales', 'en'],
  ])('%j asks for a person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true })
  })

  it.each([
    // The habit adverbs as one class in each language.
    ["Il y a généralement quelqu'un au comptoir après 19h ?", 'fr'],
    // A machine connecting to the customer's own device.
    ['Can the printer connect to my laptop?', 'en'],
  ])('%j asks for no one, by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })

  it.each([
    ['Je retire ma demande de contact avec le service client', 'fr'],
    ['Merci de ne pas tenir compte de ma demande de rappel', 'fr'],
    ['tell the agent not to bother please', 'en'],
    ['Suspenda la transferencia, por favor', 'es'],
  ])('%j withdraws the request (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('the refusal reported when no language matches', () => {
  it('is the customer’s own language’s, not another language’s reason under the customer’s locale', () => {
    // "hotline" is a German target, not an English one: English found no request, not a target without a cue.
    expect(matchTrigger('I rang your hotline last week about the boiler', { locale: 'en' })).toMatchObject({
      matched: false,
      locale: 'en',
      reason: 'no-target',
      explanation: 'No match (en): no request for a person.',
    })
  })

  it('still reports a decisive refusal under the language that gave it', () => {
    expect(matchTrigger('ich will keinen Mitarbeiter sprechen', { locale: 'en' })).toMatchObject({
      matched: false,
      locale: 'de',
      reason: 'negated',
    })
  })
})

describe('German requests of the twentieth and twenty-first sets: by telephone, by giving, by place, by presence', () => {
  it.each([
    // A pattern's prefix word written out in full is as written, so a fetching verb's gap may hold it.
    'schaff mal wen echtes her, bitte',
    // Fetched to the telephone: the direction asks for the person before it.
    'Bitte die Vorarbeiterin an den Apparat',
    // A call with someone, by video too, asks for them; the noun after "mit der" is whom.
    'Können wir ein Videotelefonat mit dem Bauleiter machen?',
    // Swabian "sch" before a consonant and infinitive in "-a"; "Sie" written onto the verb.
    'Kascht mi mit em Meischter verbinda?',
    'Gebense mir mal jemand vom Kundendienst',
    // Whether someone is there or free, asked with no other verb.
    'Hallo, Person da?',
    'Hat wer von euch grad Zeit für mich?',
    // "her mit …", and "her damit" after a negated question that named whom.
    'Der Bot ist doof. Her mit einem Menschen!',
    'Habt ihr überhaupt keinen Techniker? Dann her damit.',
    // A direction to whom, with "bitte" as the request.
    'Zur Filialleitung bitte.',
    // A shop, branch or workshop the customer is to be put through to.
    'Können Sie uns bitte mit der Filiale in Essen verbinden?',
    'Könnt ihr mich an die Fahrradwerkstatt weitergeben?',
    // A cue alone, after the machine was refused earlier in the message.
    'Egal wer, nur keine Maschine. Bitte verbinden.',
    'Hauptsache nicht der Bot! Verbinden bitte.',
    // One of the staff by a partitive, a trade in the plural; colloquial "wen" on the line.
    'Gebt mir einen von euren Floristen',
    'Hätten Sie wen am Apparat, der sich mit Heizungen auskennt?',
    // Called by someone the customer asks to have call: "mich … von … anrufen (lassen)".
    'Lassen Sie mich bitte von einem Techniker anrufen',
  ])('%j asks for a person', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
  })
})

describe('German refusals of the twentieth and twenty-first sets', () => {
  it.each([
    // A call narrated, or where someone is, asks for no one.
    'Ich hatte gestern einen Videocall mit der Notarin',
    'Der Videocall mit dem Berater war hilfreich',
    // Someone there, said as a statement, describes.
    'Jemand hier hat mein Paket vertauscht',
    'Mensch da hab ich was verwechselt',
    // "wer" there asks who, not for someone.
    'Wer hier ist zuständig?',
    // A verb and "'s" alone is "es", not the Bavarian "S'" (Sie).
    "Die Kollegen vom Laden können's bestätigen",
    // A request taken back with the polite "lassen Sie" after a dash.
    'Bitte verbinden Sie mich mit einer Beraterin – ach, lassen Sie, ich rufe selbst an.',
    // A place connected with a thing, not with the customer.
    'Verbinden Sie mein Konto mit der Filiale',
    'Kann ich mein Handy mit dem Laden verbinden?',
    // A cue alone after something else, or negated.
    'Das Handy ist kaputt. Bitte verbinden.',
    'Kein Bot mehr nötig. Bitte nicht verbinden.',
    // A partitive of things.
    'Gib mir einen von euren Gutscheinen',
  ])('%j asks for no one, by the rules alone', (text) => {
    const router = buildRouter({ ...DEFAULT_ROUTER_CONFIG, requestCheck: [{ locale: 'de', enabled: false }] })
    expect(matchTrigger(text, { locale: 'de', router })).toMatchObject({ matched: false })
  })
})

describe('German cancels of the twentieth and twenty-first sets', () => {
  it.each([
    // Westphalian "et" (es), Bavarian "S'" (Sie) and "neamd" (niemand).
    'Lass et halt, ich ruf morgen an',
    "Lassen S' es bitte, danke",
    'Na, i brauch doch neamd',
    // Nobody needed any more, after a booking named in the sentence before: the cancel names whom, not the booking.
    'Passt, der Termin steht schon. Dann brauche ich keinen Berater mehr.',
    // The request itself as the object of a delete verb.
    'Meine Anfrage an die Technik können Sie löschen, danke.',
  ])('%j withdraws the request', (text) => {
    expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it.each([
    // Still waiting a while.
    'Ich wart noch ein Weilchen, passt schon',
    // A visit called off.
    'Die Gärtnerin soll am Freitag nicht kommen, bitte absagen.',
    // Something else deleted.
    'Löschen Sie bitte mein Kundenkonto',
    // "Let me talk to …" asks: its "lass" cancels nothing.
    'Lass mich doch mit einem Menschen sprechen',
    'Lassen Sie mich mit einem Menschen sprechen',
  ])('%j withdraws nothing', (text) => {
    expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: false })
  })
})

describe('cancels of the twentieth and twenty-first sets: English, French and Spanish', () => {
  it.each([
    // Stopping the search: a stop verb, a search verb and a person.
    ['you can stop searching for an agent, thanks', 'en'],
    ['arrête de chercher une conseillère svp', 'fr'],
    ['Dejen de buscar un asesor, gracias', 'es'],
    // Disregarding the earlier message or what was asked.
    ['disregard my previous msg about talking to a human', 'en'],
    ['please forget what I asked for earlier', 'en'],
    ['oubliez que je vous ai demandé un conseiller', 'fr'],
    ["ignorez mon message d'avant pour parler à un agent", 'fr'],
    // The contact itself not wanted any more, whoever would make it.
    ['never mind about the locksmith ringing me back', 'en'],
    ['forget the phone call please', 'en'],
    ['oubliez que la plombière me rappelle', 'fr'],
    ['c bon me passez pas, merci', 'fr'],
    // Forms of address, dialect interjections and spellings around a bare withdrawal.
    ['nah forget it bro', 'en'],
    ['divvent worry aboot it, ta', 'en'],
    ['doh worry bout it', 'en'],
    ['laissez tomber une fois, merci', 'fr'],
    ['ayo oubliez ça', 'fr'],
    ['Olvídalo parce', 'es'],
    ['Olvidémoslo, gracias', 'es'],
    ['ya nomás, gracias', 'es'],
    ['ya no necesito a naide más', 'es'],
    ['dinnae bother wi the agent', 'en'],
    ['laisse faire le monde, merci', 'fr'],
  ])('%j withdraws the request (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it.each([
    // Saying one stays keeps waiting.
    ["tant pis pour l'attente alors, je reste", 'fr'],
    // Stopping a search for a thing, forgetting a message about a thing: something else is cancelled.
    ['stop looking for my parcel in the system', 'en'],
    ['ignore my last message about the invoice', 'en'],
  ])('%j is no withdrawal (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: false })
  })

  it('reports no cancel in the customer’s language when only another language’s look-alike word is found', () => {
    // Spanish "deja" (leave) is no English cancel word.
    expect(matchCancel('deja the parcel at the door', { locale: 'en' })).toMatchObject({
      matched: false,
      locale: 'en',
      reason: 'no-cancel',
    })
  })
})

describe('requests of the twentieth and twenty-first sets: English, French and Spanish', () => {
  it.each([
    // An object pronoun of a speech word stands for the person the clause before named.
    ["C'est qui la gérante du magasin ? Je voudrais lui parler.", 'fr'],
    ['¿Quién es la encargada del taller? Necesito hablar con ella.', 'es'],
    ['who is the supervisor on duty? I want to speak with her', 'en'],
    // Presence asked without a cue.
    ['u got a live agent?', 'en'],
    ['buenas, alguien ahí?', 'es'],
    // "a real", "an actual", "one of your" open whom one talks with; Jamaican "smaddy" is somebody.
    ['I need to talk to an actual roofer not a bot', 'en'],
    ['could I talk to one of your bakers', 'en'],
    ['lemme chat with a smaddy please', 'en'],
    // A negated question that asks.
    ['can or not get someone to call me?', 'en'],
    ["vous avez pas quelqu'un pour causer avec moi ?", 'fr'],
    // Text-speak "1" for the article after a speech word and its preposition.
    ['jveu parler a 1 agent', 'fr'],
    // A ticket office asked for politely; a presence question whose relative has the customer talk with the person.
    ['ticket office please', 'en'],
    ['is there anyone in the accounts team I can speak to?', 'en'],
    // Whom by what they should do; having oneself called back by someone; assigning the customer a person.
    ['Un humano que me explique el recibo.', 'es'],
    ['faites-moi appeler par la comptable svp', 'fr'],
    ['please assign me a technician', 'en'],
    // A real word a typo from a request's word takes nothing back.
    ['passez-moi un conseiller, je peux pas rendre le vélo', 'fr'],
    // The pronoun after a routing cue and its preposition.
    ['¿Quién es el jefe de taller? Páseme con él.', 'es'],
    // Fetching someone, passing one's case on, British "us", Quebec "du monde".
    ['Tráiganme a la supervisora', 'es'],
    ['Pasa mi caso a un supervisor', 'es'],
    ['va me chercher le gérant', 'fr'],
    ['put us through to the manager, ta', 'en'],
    ['je veux parler à du vrai monde', 'fr'],
  ])('%j asks for a person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale })).toMatchObject({ matched: true })
  })

  it.each([
    // Things after "passez-moi" are no desk.
    ['passez-moi le forfait famille', 'fr'],
    // Real words a letter from a target.
    ['can you escalate this to the strong stuff', 'en'],
    ['jeje ok', 'es'],
    ['Prefiero pagar en efectivo', 'es'],
    ['je dois aller à la gare', 'fr'],
    // Quebec "pantoute" negates.
    ["pantoute besoin d'un conseiller", 'fr'],
    // A request opening with its speech word, then a question of its price.
    ['parler à un agent, c’est gratuit ?', 'fr'],
    ['talk to an advisor, does it cost anything?', 'en'],
  ])('%j asks for no one, by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })

  it('still takes a request said first, then a question of its price, as a request', () => {
    expect(matchTrigger('je veux parler à un conseiller, c’est payant ?', { locale: 'fr' })).toMatchObject({
      matched: true,
    })
  })
})

describe('a fetch of whom alone asks as the target alone would (round 24, triggers)', () => {
  it.each([
    ['Tráiganme a la encargada', 'es', 'traiganme'],
    ['bring me the supervisor', 'en', 'bring me'],
  ])('%j is a bare target the request check does not second-guess (%s)', (text, locale, cue) => {
    const decision = matchTrigger(text, { locale })
    expect(decision).toMatchObject({ matched: true, rule: 'bare-target', cue })
    expect(decision.explanation).toContain('only fetches a target')
  })
})

describe('German staff of the business by trade compound, owned or in apposition (round 24, triggers)', () => {
  it.each([
    // One's own teacher or instructor is the business's: after a marker of whom, or right before "sprechen".
    ['Könnte ich kurz mit meiner Reitlehrerin sprechen?', 'de'],
    ['Ich würde gern meinen Tanzlehrer sprechen.', 'de'],
    ['¿Puedo hablar con mi profesora de canto?', 'es'],
    ['je voudrais parler à mon moniteur de voile', 'fr'],
    // A trade compound by its head; whether the head of a school "ist zu sprechen".
    ['bitte mit dem Kletterlehrer verbinden', 'de'],
    ['Ist der Fahrschulleiter heute zu sprechen?', 'de'],
    // A title and a name in apposition between whom and the lone cue.
    ['Würden Sie mich bitte mit Ihrer Zahntechnikerin, Frau Berg, verbinden?', 'de'],
  ])('%j asks for a person by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it('keeps the customer’s own lawyer their own, and a teacher who only says something asks for no one', () => {
    expect(matchTrigger('Kann ich mit meinem Anwalt sprechen?', { locale: 'de', router: RULES_ALONE })).toMatchObject({
      matched: false,
      reason: 'not-a-person',
    })
    const remark = matchTrigger('mein Fahrlehrer sagt, ich soll mehr üben', { locale: 'de', router: RULES_ALONE })
    expect(remark).toMatchObject({ matched: false })
  })
})

describe('dialect call-backs, one of the kind a question named, a time that describes whom (round 24, triggers)', () => {
  it.each([
    // Bavarian and Saxon spellings of the words a request is built from.
    ['kannt mi oana vo eich oruafa?', 'de'],
    ['griaß di, kannt mi oaner vo da Schwimmschual anruafa?', 'de'],
    ['Gönnse mich ma mit dor Chefin vom Lager verbinden?', 'de'],
    // "If not, fetch one": the indefinite pronoun stands for the person the question named.
    ['Bist du ein Mensch? Wenn nicht, bitte einen holen.', 'de'],
    ['eres una persona? si no, quiero hablar con una', 'es'],
    // The subject's own time says when that person helped; the request is made now.
    ['Kann der Monteur von gestern mich bitte zurückrufen?', 'de'],
    ['¿La vendedora de ayer me puede llamar?', 'es'],
    ['Can the salesman from yesterday call me back?', 'en'],
    ["Le conseiller d'hier peut me rappeler ?", 'fr'],
    // A day or a timetable in the description of whom one speaks to says what that person does.
    ['could I speak to whoever does the repairs on sundays', 'en'],
    ['je veux parler à celui qui gère le marché le dimanche', 'fr'],
    // New words: the boss, the owner, someone put on the conversation, a gardener.
    ['je veux le boss', 'fr'],
    ["mettez quelqu'un sur ma conversation svp", 'fr'],
    ['I need the owner on this', 'en'],
    ['can I get the head gardener on the line', 'en'],
  ])('%j asks for a person by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it('still reads the same person’s earlier call as narration', () => {
    expect(matchTrigger('El asesor de ayer me llamó dos veces.', { locale: 'es', router: RULES_ALONE })).toMatchObject({
      matched: false,
    })
  })

  it('still reads a presence question whose description holds a day as asking about the service', () => {
    const text = 'is there a person who comes on sundays to collect the bins?'
    expect(matchTrigger(text, { locale: 'en', router: RULES_ALONE })).toMatchObject({
      matched: false,
      reason: 'talks-about',
    })
  })
})

describe('false triggers: a device, people counted onto a booking, a booking handed over (round 24, triggers)', () => {
  it.each([
    ['Können Sie Anrufe aufs Handy durchstellen?', 'de'],
    ['Kann ich noch eine Person mehr anmelden?', 'de'],
    ['¿Puedo pasarle mi entrada a un compañero?', 'es'],
  ])('%j asks for no one (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('requests of the twenty-fourth and twenty-fifth sets, by class (round 23, triggers)', () => {
  it.each([
    // "am I able to" asks as "can I"; the chat handed on is the object, not a person talked about.
    ['am I able to talk to the store manager?', 'en'],
    ['could you pass this chat to a real person', 'en'],
    // A demonstrative and its relative as whom; the owner or boss as a target.
    ['je veux parler à celle qui gère les inscriptions', 'fr'],
    ['je voudrais la patronne du magasin svp', 'fr'],
    ['il me faut le patron', 'fr'],
    // Whether there is no way asks.
    ["ya pas moyen d'avoir un conseiller ?", 'fr'],
    // Impatience asks now; "her" closes a bare target as "bitte" does; someone real asked to take a look.
    ['wann kann ich endlich mit einem Berater sprechen?', 'de'],
    ['berater her!', 'de'],
    ['kann mal wer echtes drüberschauen?', 'de'],
    // Hamburg "schnacken" after "mit so nem" (one of that kind).
    ['kann ich mal mit so nem Elektromeister schnacken?', 'de'],
    // Where the person is, or a second noun with "o", between whom and the contact verb; a call back from a place.
    ['¿no hay un parcero ahí que me atienda?', 'es'],
    ['¿no hay un chamo o chama que me atienda?', 'es'],
    ['¿Me podrían devolver la llamada desde la tienda?', 'es'],
  ])('%j asks for a person by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })
})

describe('questions of price as a class in every language (round 23, triggers)', () => {
  it.each([
    ['is chatting with an advisor free or is there a fee?', 'en'],
    ['parler à un conseiller, y a des frais ?', 'fr'],
    ['contacter un agent est payant ?', 'fr'],
    ['¿Contactar con un agente tiene algún cargo?', 'es'],
  ])('%j asks what it costs, not for a person (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false, reason: 'talks-about' })
  })
})

describe("whom as no person: a thing's size, the chef's dish, the customer's own organisation (round 23, triggers)", () => {
  it.each([
    ['I want a human-size doll for the shop window', 'en'],
    ['je voudrais une poupée taille humaine', 'fr'],
    ['il me faut un robot à taille humaine', 'fr'],
    ['je voudrais le menu du chef pour deux', 'fr'],
    ['I need the receipt sent to the HR person at my company', 'en'],
    ["je veux envoyer la facture à l'agent de mon entreprise", 'fr'],
    ['Bitte die Quittung an die Buchhaltung unseres Betriebs weiterleiten', 'de'],
    ['Pasen la factura al asesor de mi empresa', 'es'],
  ])('%j names no one to talk to (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({
      matched: false,
      reason: 'not-a-person',
    })
  })
})

describe('requests never made: a first thought, a staff question, a narrated chat, creole negation (round 23, triggers)', () => {
  it.each([
    // A thought had at first, in a clause of its own, then dropped.
    ['I thought at first, I need an agent, but the help page sorted it', 'en'],
    ["je pensais d'abord, il me faut un conseiller, mais la FAQ a suffi", 'fr'],
    ['Ich dachte zuerst, ich brauch einen Berater, aber das Formular war klar.', 'de'],
    ['Al principio pensé, me hace falta un asesor, pero el tutorial bastó', 'es'],
    // Whether staff of a kind exist, qualified by a relative clause with no contact in it.
    ['Gibt es bei euch auch Apotheker, die Homöopathie kennen?', 'de'],
    ["Gibt's bei euch auch Kosmetikerinnen, die Nägel machen?", 'de'],
    // How long a past chat lasted, in each language; "pa" negates.
    ['Mi última llamada con un asesor duró horas.', 'es'],
    ['Das letzte Gespräch mit dem Berater hat zwei Stunden gedauert.', 'de'],
    ['my last chat with an agent took forever', 'en'],
    ['mon dernier appel avec un conseiller a duré une heure', 'fr'],
    ['mi lé pa besoin de conseiller, zis le prix', 'fr'],
  ])('%j asks for no one (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })

  it('still asks when the relative after a staff question has the person call back', () => {
    const text = 'Gibt es bei euch auch Berater, die mich zurückrufen können?'
    expect(matchTrigger(text, { locale: 'de', router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it('reads "talk you through" as explaining, with no cue to ask for anyone', () => {
    const decision = matchTrigger('let me talk you through what happened', { locale: 'en', router: RULES_ALONE })
    expect(decision).toMatchObject({ matched: false })
    expect(decision).not.toHaveProperty('evidence')
  })
})

describe('German keep-waiting read by class (round 22)', () => {
  it.each([
    'Passt schon, ich woart noch',
    'Passt scho, i waad halt no a bissl',
    'Vergiss die Rechnung, die hab ich gefunden. Auf die Beraterin wart ich aber weiter.',
  ])('%j keeps waiting, so it cancels nothing', (text) => {
    expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: false })
  })

  it('still cancels on a bare "warte" that only pauses', () => {
    expect(matchCancel('ach warte, passt doch', { locale: 'de' })).toMatchObject({ matched: true })
  })
})

describe('German cancels of the transfer by class (round 22)', () => {
  it.each([
    'Brechen Sie bitte die Verbindung zu einem Berater ab.',
    'Sagen Sie die Weiterleitung zum Mitarbeiter ab.',
    'Das Warten können Sie sich sparen.',
    'I brauch doch kenn Mitarbeiter meh',
    'ich krieg das selber hin',
  ])('%j withdraws the request', (text) => {
    expect(matchCancel(text, { locale: 'de' })).toMatchObject({ matched: true })
  })
})

describe('German requests by notice and by a woman heading something (round 22)', () => {
  it.each(['Echte Person gesucht!', 'Geben Sie mir bitte die Praxisleiterin', 'Bitte die Filialmanagerin'])(
    '%j asks for a person',
    (text) => {
      expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
    }
  )

  it('takes back a request when the customer will do it themself after an ellipsis', () => {
    expect(
      matchTrigger('Kann ich mit einer Beraterin reden... nee, egal, ich krieg das selber hin', { locale: 'de' })
    ).toMatchObject({ matched: false })
  })
})

describe('German dialect and keyboard spellings of the request (round 22)', () => {
  it.each([
    // Saxon "g" for "k" where the form is no standard word.
    'Gönnse mir ma eene Gollegin gebn?',
    // Ruhr "vonne" (von der) and "is".
    'Is da wer vonne Werkstatt?',
    // "ae" for "ä" in whoever is responsible, referred back to.
    'Wer ist hier fuer Rechnungen zustaendig? Den möchte ich sprechen.',
    // Colloquial "wen" given to the customer.
    'Kannst du uns bitte wen geben, der sich mit Steuern auskennt?',
  ])('%j asks for a person', (text) => {
    expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: true })
  })

  it.each(['Gönnen Sie sich eine Pause', 'Können Sie mir sagen, wen ich anrufen soll?'])(
    '%j asks for no one',
    (text) => {
      expect(matchTrigger(text, { locale: 'de' })).toMatchObject({ matched: false })
    }
  )
})

describe('German: whom one speaks with in person (round 22)', () => {
  it('reads the noun before "persönlich" and a speech word as whom, whatever its ending', () => {
    expect(
      matchTrigger('Würde gern mit einem Schornsteinfeger persönlich sprechen', { locale: 'de', router: RULES_ALONE })
    ).toMatchObject({ matched: true, target: 'schornsteinfeger' })
  })

  it('still takes a known non-person for none', () => {
    expect(
      matchTrigger('Ich würde gern mit dem Bot persönlich sprechen', { locale: 'de', router: RULES_ALONE })
    ).toMatchObject({ matched: false })
  })
})

describe('cancels of the twenty-second and twenty-third sets: English, French and Spanish', () => {
  it.each([
    // A drop verb whose object is what was asked for.
    ['you can ditch the transfer', 'en'],
    ['ok scrap the agent', 'en'],
    // Someone to make the contact, as what is withdrawn; a clause that withdraws waits for no one.
    ['all good, cancel the request for someone to call me back', 'en'],
    // Jamaican Patois, Nigerian Pidgin, South African filler.
    ['mi nuh need di person again', 'en'],
    ['abeg leave am', 'en'],
    ['eish never mind bru', 'en'],
    // Doing without, not needing the contact, not worrying about it, an Ivorian interjection.
    ['finalement on va se passer de technicien', 'fr'],
    ['plus besoin que le plombier me rappelle', 'fr'],
    ["t'inquiète pour la mise en relation", 'fr'],
    ['dèh laissez tomber', 'fr'],
    // Whom a routing cue's preposition names.
    ['No hace falta que me pasen con la floristería', 'es'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('requests of the twenty-second and twenty-third sets: English, French and Spanish', () => {
  it.each([
    // A routing frame's object pronoun for the person named before.
    ["C'est qui le gérant ? vous pouvez me le passer ?", 'fr'],
    ['Le gérant est là ? passez-le-moi svp', 'fr'],
    // One of the staff by a partitive.
    ["j'aimerais parler à un des pâtissiers", 'fr'],
    ["j'aimerais qu'un des jardiniers me contacte", 'fr'],
    ['¿Puedo hablar con uno de sus fumigadores?', 'es'],
    ['could I have a word with one of the groomers', 'en'],
    // A leading "avant de …" only says when.
    ['avant de payer quoi que ce soit je voudrais parler à un conseiller', 'fr'],
    // Whoever is in charge, as whom.
    ['je voudrais parler à qui gère les abonnements', 'fr'],
    // A relative clause between whom and the marker of a contact verb.
    ['demandez au carreleur qui vient jeudi de me rappeler', 'fr'],
    // On the line: "un vrai", Spanish "al"; on duty.
    ['je voudrais un vrai masseur au bout du fil', 'fr'],
    ['quiero al dueño del vivero al teléfono', 'es'],
    ['la responsable de garde svp', 'fr'],
    // A person as the subject of help-me.
    ['¿me ayuda una persona de verdad?', 'es'],
    // A person asked for to help choose a thing is no choice of whom.
    ['Necesito una persona para escoger el seguro', 'es'],
    // Text-speak, Haitian creole, Scots.
    ['j pe parlé a un conseillé', 'fr'],
    ['je vé un humain', 'fr'],
    ['mwen vle pale ak yon moun', 'fr'],
    ['am wantin tae talk tae yer admissions folk', 'en'],
  ])('%j asks for a person, by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: true })
  })

  it.each([
    // Papers and plans handed over or moved to; a real adjective a letter from "chef".
    ['passez-moi le devis de la cuisine', 'fr'],
    ['passez-moi le relevé du mois dernier', 'fr'],
    ["passez-moi à l'abonnement moins cher", 'fr'],
    ['pásame al plan anual', 'es'],
    // Telling the customer a thing.
    ['comuníqueme los plazos de entrega', 'es'],
    // Changing one's assigned person, becoming one.
    ['Est-ce que je peux changer de professeur ?', 'fr'],
    ['je voudrais faire un stage pour devenir conseiller bancaire', 'fr'],
    // Someone else's wish.
    ['my kids want a tour with someone to show them the pool', 'en'],
  ])('%j asks for no one, by the rules alone (%s)', (text, locale) => {
    expect(matchTrigger(text, { locale, router: RULES_ALONE })).toMatchObject({ matched: false })
  })
})

describe('false cancels of the twenty-fourth and twenty-fifth sets', () => {
  it.each([
    // Fine with the wait, and the person may take their time.
    ["I'm fine waiting", 'en'],
    ["nah I'm good to wait, no rush", 'en'],
    // A withdrawal pointing back at what a question said would be cancelled, or at a thing forgotten before.
    ['will my chat with the agent be cancelled if my phone dies? I dont want that', 'en'],
    ['Vergessen Sie den Gutschein von letzter Woche, den brauch ich nicht mehr.', 'de'],
    // Having time while the person comes.
    ['Passt schon, wir haben Zeit.', 'de'],
  ])('%j does not cancel (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: false })
  })
})

describe('cancels of the twenty-fourth and twenty-fifth sets: German', () => {
  it.each([
    // "lassen" with a particle that leaves it be, or with the transfer left out.
    ['Ach, lasst man.', 'de'],
    ['Lass nur, ich find es.', 'de'],
    ['lass die Weiterleitung weg', 'de'],
    // Nobody to be sent, unordering whom was asked for, a want negated with "mehr".
    ['Sie müssen niemanden mehr vorbeischicken.', 'de'],
    ['Bitte den Berater abbestellen, danke.', 'de'],
    ['Will keinen Berater mehr sprechen.', 'de'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('cancels of the twenty-fourth and twenty-fifth sets: English', () => {
  it.each([
    // Not needing help from whom, or anyone fetched; "no more" in negative concord.
    ['I no longer need support from an agent', 'en'],
    ['no need to find anybody, thanks', 'en'],
    ["don't need the agent no more", 'en'],
    // Leaving the request; Caribbean "doan"; a leading form of address.
    ['leave the transfer', 'en'],
    ['doan worry bout calling nobody', 'en'],
    ['chale never mind', 'en'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('cancels of the twenty-fourth and twenty-fifth sets: French and Spanish', () => {
  it.each([
    // A trailing laugh, telling them not to bother, creole "pi".
    ["plus besoin de l'agent ptdr", 'fr'],
    ['dis-lui de pas venir', 'fr'],
    ['ok na pi besoin merci', 'fr'],
    // "vosotros" routing, what was asked about whom, the request for whom.
    ['no hace falta que me pongáis con nadie', 'es'],
    ['olvida lo que te pedí de un asesor', 'es'],
    ['anula mi pedido de agente', 'es'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it('leaves an order cancelled alone', () => {
    expect(matchCancel('anula el pedido de zapatos', { locale: 'es' })).toMatchObject({ matched: false })
  })
})

describe('false cancels of the twenty-sixth and twenty-seventh sets, by class (round 24, cancels)', () => {
  it.each([
    // A thing scrapped, unordered or forgotten, then a withdrawal pointing back at it.
    ["ditch the extended warranty, don't need it", 'en'],
    ['Den Newsletter brauch ich nicht mehr, bitte abbestellen', 'de'],
    ['Olvida el seguro de viaje, ya no lo quiero', 'es'],
    // Asking whether one may, in a clause that is not the question's last.
    ['Can I cancel and ask for an agent again later, without queueing?', 'en'],
    ['Darf ich abbrechen und morgen wieder schreiben, ohne neu anzufangen?', 'de'],
    ['¿Puedo cancelar y volver a pedir un asesor después, sin perder el turno?', 'es'],
    // Latin American "no más" after the waiting verb: just waiting.
    ['espero no más, tranqui', 'es'],
  ])('%j does not cancel (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: false })
  })

  it('still cancels a bare scrap, and a request scrapped', () => {
    expect(matchCancel('ditch it', { locale: 'en' })).toMatchObject({ matched: true })
    expect(matchCancel('scrap the transfer', { locale: 'en' })).toMatchObject({ matched: true })
  })
})

describe('German cancels of the twenty-sixth and twenty-seventh sets, by class (round 24, cancels)', () => {
  it.each([
    // "lassen" with any particle, dialect spellings included, and what is to stay.
    ['Lass halt bleiben', 'de'],
    ['Lass nu', 'de'],
    // "nö" as "nee"; Berlin and Saxon "keen" before "mehr"; the first person without its "-e".
    ['nö brauch keinen', 'de'],
    ['Brauchste keenen mehr zu holen', 'de'],
    ['Brauch also keinen mehr, danke.', 'de'],
    // The customer's own separable cancel, and the request with whom it was for between verb and particle.
    ['Ich breche es ab', 'de'],
    ['Wir ziehen den Wunsch nach einem Rückruf zurück', 'de'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })
})

describe('English cancels of the twenty-sixth and twenty-seventh sets, by class (round 24, cancels)', () => {
  it.each([
    // Forms of address after a withdrawal.
    ['forget it darling', 'en'],
    ['nah leave it babe', 'en'],
    // Any cancel verb with "the … thing"; not bothering, said of oneself.
    ['never mind the callback thing', 'en'],
    ["I won't bother waiting for an agent", 'en'],
    // Caribbean "doan" and "again" (any more).
    ['doan need the agent again, thanks', 'en'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it('leaves a thing in "the … thing" alone', () => {
    expect(matchCancel('never mind the delivery date thing', { locale: 'en' })).toMatchObject({ matched: false })
  })
})

describe('French and Spanish cancels of the twenty-sixth and twenty-seventh sets, by class (round 24, cancels)', () => {
  it.each([
    // No need of anyone contacting the customer; Picard spellings; routed to nobody without "ne"; "worry pas".
    ["pas besoin que quelqu'un me recontacte", 'fr'],
    ["plus besoin qu'on me rappelle", 'fr'],
    ["ch'est bon", 'fr'],
    ["plus b'soin, merci", 'fr'],
    ['me transférez personne finalement', 'fr'],
    ['worry pas pour le conseiller', 'fr'],
    // Out of the queue and the transfer stopped, by class; forms of address; "aquí" as the chat.
    ['Sácame de la lista de espera', 'es'],
    ['Detengan la transferencia por favor', 'es'],
    ['déjalo parcero', 'es'],
    ['olvídalo mano', 'es'],
    ['ya no necesito a nadie aquí', 'es'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text, { locale })).toMatchObject({ matched: true })
  })

  it('leaves a money transfer to a brother alone', () => {
    expect(matchCancel('quiero cancelar la transferencia a mi hermano', { locale: 'es' })).toMatchObject({
      matched: false,
    })
  })
})
