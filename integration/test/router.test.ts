import { DEFAULT_TRIGGER_PHRASES } from '../src/definitions/locales.js'
import {
  boundedEditDistance,
  matchCancel,
  matchTrigger,
  normalizeText,
  PhraseMatcher,
  wordsMatch,
} from '../src/router/index.js'

describe('normalizeText', () => {
  it.each([
    ['Parler à un CONSEILLER !', 'parler a un conseiller'],
    ['  chat   with\tan agent?? ', 'chat with an agent'],
    ["quelqu'un", 'quelqu un'],
    ['Hablar con alguién, ¿por favor?', 'hablar con alguien por favor'],
    ['Straße', 'strasse'],
    ['mit einem Mitarbeiter sprechen…', 'mit einem mitarbeiter sprechen'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected)
  })
})

describe('typo tolerance', () => {
  it('counts a swap of adjacent letters as one edit', () => {
    expect(boundedEditDistance('agent', 'agnet', 2)).toBe(1)
    expect(boundedEditDistance('conseiller', 'consieller', 2)).toBe(1)
  })

  it('stops counting past the limit', () => {
    expect(boundedEditDistance('representative', 'xyz', 2)).toBe(3)
  })

  it.each([
    ['agent', 'agnet', true],
    ['agent', 'agen', true],
    ['human', 'humna', true],
    ['representative', 'represantativ', true],
    ['to', 'go', false], // short words must be exact
    ['an', 'a', false],
    ['talk', 'walk', false], // the first letter must match
    ['human', 'woman', false],
    ['agent', 'urgent', false],
    ['speak', 'spoke', false],
  ])('%s vs %s → %s', (phraseWord, typed, expected) => {
    expect(wordsMatch(phraseWord, typed)).toBe(expected)
  })

  it('keeps the ending of a leading verb when asked to', () => {
    expect(wordsMatch('parler', 'parle', { keepLastLetter: true })).toBe(false)
    expect(wordsMatch('hablar', 'hablan', { keepLastLetter: true })).toBe(false)
    expect(wordsMatch('speak', 'speek', { keepLastLetter: true })).toBe(true)
    expect(wordsMatch('conseiller', 'conseille')).toBe(true)
  })
})

const POSITIVES: Record<string, string[]> = {
  en: [
    'chat with an agent',
    'hi, can I chat with an agent please?',
    'CHAT WITH AGENT!!',
    'I would like to chat with associate',
    'could I chat with an associate',
    'I want to talk to a human',
    'I want to talk to a real human',
    'talk to a humna please',
    'Can I speak to someone about my bill?',
    'I need to talk to someone',
    'let me speak to an agnet',
    'let me speek to someone',
    'please connect me to an agent',
    'transfer me to an agent now',
    'can i speak with a person',
    'speak to a representative',
    'I need a customer service representative',
    'agent',
    'Agent!',
    'agent please',
    'an agent',
    'human',
    'Representative.',
    'operator',
    'talk to someone',
    'chatt with an agent',
  ],
  fr: [
    'parler à un conseiller',
    "J'aimerais parler à un conseiller s'il vous plaît",
    'je veux parler a un conseillé',
    'Est-ce que je peux parler avec un conseiller ?',
    'je voudrais parler à un humain',
    "je peux parler à quelqu'un ?",
    'puis-je parler à une vraie personne',
    'je souhaite discuter avec un conseiller',
    'discuter avec un agent svp',
    'mettez-moi en relation avec un conseiller',
    'conseiller',
    'Conseiller !',
    'un humain svp',
  ],
  de: [
    'mit einem Mitarbeiter sprechen',
    'Ich möchte mit einem Mitarbeiter sprechen',
    'Kann ich bitte mit einem Menschen reden?',
    'ich will mit einem echten Menschen sprechen',
    'Ich würde gerne mit jemandem sprechen',
    'kann ich einen Mitarbeiter sprechen',
    'bitte mit einem Berater sprechen',
    'Können Sie mich mit einem Mitarbeiter verbinden?',
    'mit einem mitarbieter sprechen',
    'Mitarbeiter',
    'Mitarbeiter bitte',
    'kundenberater',
  ],
  es: [
    'hablar con un agente',
    'Quiero hablar con un agente',
    'necesito hablar con alguien',
    '¿Puedo hablar con una persona real?',
    'quisiera hablar con un humano por favor',
    'me gustaría hablar con un asesor',
    'hablar con un representante',
    'quiero chatear con un agente',
    'necesito comunicarme con un agente',
    'hablar con un agenet',
    'agente',
    'Agente por favor',
    'asesor',
  ],
}

const NEGATIVES: Record<string, string[]> = {
  en: [
    'the agent of my order shipped',
    'I am a human',
    'talk to me about pricing',
    'Are you a human?',
    'is this a human or a bot',
    'I spoke to an agent yesterday',
    'I talked to an agent last week and he was great',
    'my travel agent booked the flight',
    'what does an agent do',
    'the human body has 206 bones',
    'talk to a woman at the desk',
    'walk to a human',
    'I want to cancel my order',
    'where is my order',
    'chat history please',
    'who is the operator of this site',
    'representatives of the company visited us',
    'tell me about your agents program',
    'speak louder',
    'she speaks to someone every day',
    'hello',
    '',
  ],
  fr: [
    "l'agent de livraison est passé ce matin",
    'je suis humain',
    'parlez-moi de vos prix',
    "mon conseiller bancaire m'a appelé",
    'le conseiller a dit que ma commande arrive demain',
    "j'ai déjà parlé à un conseiller hier",
    'il a discuté avec un conseiller',
    'où est ma commande',
  ],
  de: [
    'Der Mitarbeiter im Laden war unfreundlich',
    'Ich bin ein Mensch',
    'Erzählen Sie mir von den Preisen',
    'Ich habe gestern mit einem Mitarbeiter gesprochen',
    'Sprechen Sie Deutsch?',
    'wo ist meine Bestellung',
  ],
  es: [
    'el agente de aduanas retuvo mi paquete',
    'soy humano',
    'háblame de los precios',
    'ya hablé con un agente ayer',
    'ellos hablan con un agente cada semana',
    'mi asesor financiero me llamó',
    'dónde está mi pedido',
  ],
}

describe('matchTrigger with the built-in phrases', () => {
  for (const [locale, sentences] of Object.entries(POSITIVES)) {
    it.each(sentences)(`${locale}: finds a request for a human in %j`, (sentence) => {
      const match = matchTrigger(sentence, { locale })
      expect(match).toMatchObject({ matched: true, locale })
    })
  }

  for (const [locale, sentences] of Object.entries(NEGATIVES)) {
    it.each(sentences)(`${locale}: finds nothing in %j`, (sentence) => {
      expect(matchTrigger(sentence, { locale })).toEqual({ matched: false, locale })
    })
  }

  it('tries every locale, so an English request is found for a French customer', () => {
    expect(matchTrigger('can I talk to a human', { locale: 'fr-CA' })).toEqual({
      matched: true,
      phrase: 'talk to a human',
      locale: 'en',
    })
  })

  it('reports the most specific phrase and its locale', () => {
    expect(matchTrigger('Ich möchte mit einem Mitarbeiter sprechen')).toEqual({
      matched: true,
      phrase: 'mit einem Mitarbeiter sprechen',
      locale: 'de',
    })
  })

  it('answers the requested locale, reduced to its language, when nothing matches', () => {
    expect(matchTrigger('bonjour', { locale: 'fr-FR' })).toEqual({ matched: false, locale: 'fr' })
    expect(matchTrigger('bonjour', { defaultLocale: 'de' })).toEqual({ matched: false, locale: 'de' })
  })

  it('has at least four phrases per built-in locale', () => {
    for (const locale of ['en', 'fr', 'de', 'es']) {
      expect(DEFAULT_TRIGGER_PHRASES[locale]!.length).toBeGreaterThanOrEqual(4)
    }
  })
})

describe('matchCancel', () => {
  it.each([
    ['cancel', 'en'],
    ['Cancel!', 'en'],
    ['never mind', 'en'],
    ['ok forget it', 'en'],
    ['stop please', 'en'],
    ['laisse tomber', 'fr'],
    ['annuler', 'fr'],
    ['vergiss es', 'de'],
    ['Abbrechen', 'de'],
    ['olvídalo', 'es'],
    ['cancelar por favor', 'es'],
  ])('%j cancels (%s)', (text, locale) => {
    expect(matchCancel(text)).toMatchObject({ matched: true, locale })
  })

  it.each(['I want to cancel my order', 'how do I stop my subscription', 'cancelar mi pedido', 'please hurry'])(
    '%j does not cancel',
    (text) => {
      expect(matchCancel(text).matched).toBe(false)
    }
  )
})

describe('PhraseMatcher with configured phrases', () => {
  const matcher = new PhraseMatcher({ it: ['parlare con un operatore', 'operatore'], EN: ['escalate this ticket'] })

  it('matches a new locale and reduces locale keys to their language', () => {
    expect(matcher.match('vorrei parlare con un operatore', { fallbackLocale: 'en' })).toEqual({
      matched: true,
      phrase: 'parlare con un operatore',
      locale: 'it',
    })
    expect(matcher.match('please escalate this ticket', { fallbackLocale: 'en' })).toMatchObject({ locale: 'en' })
    expect(matcher.locales.sort()).toEqual(['en', 'it'])
  })

  it('ignores phrases that normalise to nothing', () => {
    expect(new PhraseMatcher({ en: ['?!', ''] }).match('?!', { fallbackLocale: 'en' }).matched).toBe(false)
  })
})
