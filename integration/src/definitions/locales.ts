// Built-in phrases and system messages per locale. The configuration adds to (phrases) or overrides (messages)
// these; hub.md lists them so conversation designers know what they get without configuring anything.

export const BUILT_IN_LOCALES = ['en', 'fr', 'de', 'es'] as const

/** Phrases that ask for a human. Multi-word phrases are found inside a sentence; one-word phrases must be the whole message. */
export const DEFAULT_TRIGGER_PHRASES: Record<string, readonly string[]> = {
  en: [
    'chat with an agent',
    'chat with associate',
    'chat with a human',
    'chat with someone',
    'talk to a human',
    'talk to an agent',
    'talk to someone',
    'talk to a person',
    'talk with a human',
    'speak to someone',
    'speak to a human',
    'speak to an agent',
    'speak with a person',
    'speak to a representative',
    'connect me to an agent',
    'transfer me to an agent',
    'customer service representative',
    'agent',
    'human',
    'representative',
    'operator',
  ],
  fr: [
    'parler à un conseiller',
    'parler avec un conseiller',
    'parler à un agent',
    'parler à un humain',
    'parler à une personne',
    "parler à quelqu'un",
    'discuter avec un conseiller',
    'discuter avec un agent',
    'chatter avec un conseiller',
    'contacter un conseiller',
    'en relation avec un conseiller',
    'conseiller',
    'humain',
  ],
  de: [
    'mit einem Mitarbeiter sprechen',
    'mit einem Mitarbeiter reden',
    'mit einem Mitarbeiter chatten',
    'mit einem Menschen sprechen',
    'mit einem Menschen reden',
    'mit einem Berater sprechen',
    'mit einem Agenten sprechen',
    'mit jemandem sprechen',
    'einen Mitarbeiter sprechen',
    'mich mit einem Mitarbeiter verbinden',
    'Mitarbeiter',
    'Kundenberater',
  ],
  es: [
    'hablar con un agente',
    'hablar con una persona',
    'hablar con un humano',
    'hablar con alguien',
    'hablar con un asesor',
    'hablar con un representante',
    'hablar con un operador',
    'chatear con un agente',
    'comunicarme con un agente',
    'contactar con un asesor',
    'agente',
    'asesor',
    'humano',
  ],
}

/** Phrases that cancel a hand-off while the customer is still waiting for an agent. */
export const DEFAULT_CANCEL_PHRASES: Record<string, readonly string[]> = {
  en: [
    'cancel',
    'stop',
    'quit',
    'never mind',
    'nevermind',
    'forget it',
    'cancel the chat',
    'cancel the request',
    'stop waiting',
    'i changed my mind',
  ],
  fr: [
    'annuler',
    'stop',
    'laisse tomber',
    'laissez tomber',
    'annuler la demande',
    'annuler le chat',
    "j'ai changé d'avis",
    'je ne veux plus attendre',
  ],
  de: [
    'abbrechen',
    'stopp',
    'vergiss es',
    'chat abbrechen',
    'anfrage abbrechen',
    'ich habe es mir anders überlegt',
    'doch nicht',
  ],
  es: [
    'cancelar',
    'parar',
    'olvídalo',
    'déjalo',
    'cancelar el chat',
    'cancelar la solicitud',
    'cambié de opinión',
    'ya no quiero esperar',
  ],
}

/** Words a customer adds or drops around a phrase ("talk to a *real* human", "chat with agent"): skippable when matching. */
export const FILLER_WORDS: readonly string[] = [
  // en
  'a',
  'an',
  'the',
  'some',
  'real',
  'actual',
  'please',
  'pls',
  'plz',
  'now',
  'just',
  // fr
  'un',
  'une',
  'le',
  'la',
  'l',
  'vrai',
  'vraie',
  'svp',
  'stp',
  // de
  'ein',
  'eine',
  'einen',
  'einem',
  'einer',
  'der',
  'die',
  'das',
  'dem',
  'den',
  'echten',
  'echtem',
  'richtigen',
  'bitte',
  'mal',
  // es
  'una',
  'el',
  'los',
  'las',
  'verdadero',
  'verdadera',
  'por',
  'favor',
]

export type SystemMessageKey = 'queuePosition' | 'queueWait' | 'stillConnecting'

/**
 * What the customer reads while waiting for an agent, when the configuration turns these notices on (they are off
 * by default: see hub.md). `{position}` is the place in the queue, `{minutes}` the estimated wait. Everything else
 * the customer reads about the hand-off (started, agent joined, ended, /end) is the HITL plugin's text.
 */
export const DEFAULT_SYSTEM_MESSAGES: Record<string, Record<SystemMessageKey, string>> = {
  en: {
    queuePosition: 'You are number {position} in the queue.',
    queueWait: 'You are number {position} in the queue. Estimated wait: about {minutes} min.',
    stillConnecting: 'Still connecting you with an agent. Your messages will be passed on as soon as one joins.',
  },
  fr: {
    queuePosition: "Vous êtes en position {position} dans la file d'attente.",
    queueWait: "Vous êtes en position {position} dans la file d'attente. Attente estimée : environ {minutes} min.",
    stillConnecting: 'Toujours en attente d’un conseiller. Vos messages lui seront transmis dès son arrivée.',
  },
  de: {
    queuePosition: 'Sie sind an Position {position} in der Warteschlange.',
    queueWait: 'Sie sind an Position {position} in der Warteschlange. Geschätzte Wartezeit: etwa {minutes} Min.',
    stillConnecting: 'Sie werden noch verbunden. Ihre Nachrichten werden weitergegeben, sobald ein Mitarbeiter da ist.',
  },
  es: {
    queuePosition: 'Estás en la posición {position} de la cola.',
    queueWait: 'Estás en la posición {position} de la cola. Espera estimada: unos {minutes} min.',
    stillConnecting: 'Seguimos conectándote con un agente. Tus mensajes se le enviarán en cuanto se una.',
  },
}
