// The demo bot's own sentences, and the HITL plugin's texts it sets per hand-off (configurationOverrides) in the
// customer's language. Who says what follows integration/hub.md: the plugin tells the hand-off, the agent joining and
// `/end`; its "HITL stopped" text is NULL because the bot, back in charge, says why the chat ended (from the
// integration's handoffEnded reason), so the end is told once, and truly (no agent, error… are not "the agent
// closed the conversation").
import type { EndReason } from '@liveagent-hop/integration'
import { NULL_TEXT, type PluginConfiguration } from './hitl-plugin.js'

export const WELCOME =
  'Hi, I am the Acme assistant. Ask me about opening hours, delivery, returns or payment. To talk to a person, just say so: “talk to a human”, “parler à un conseiller”, “mit einem Mitarbeiter sprechen” or “hablar con un agente”.'

export const FALLBACK =
  'I am a small demo bot: I know about opening hours, delivery, returns and payment. To reach a person, say “talk to a human” (or “parler à un conseiller”, “mit einem Mitarbeiter sprechen”, “hablar con un agente”).'

/** The HITL plugin's default close command: the customer leaves the agent chat. */
export const CLOSE_COMMAND = '/end'

type BackTexts = Record<EndReason, string> & { startFailed: string }

const BACK: Record<string, BackTexts> = {
  en: {
    agent:
      'Thanks for chatting with {agentName}. I am back: ask me anything, or ask for a human again whenever you like.',
    visitor: 'No problem, I am still here. Ask me about opening hours, delivery, returns or payment.',
    no_agent:
      'No agent could take the chat this time, so I will keep helping you. Ask me about opening hours, delivery, returns or payment.',
    timeout: 'The chat with the agent timed out. I am back: how can I help?',
    error: 'The chat with the agent stopped because of a technical problem. I am back: how can I help?',
    startFailed: 'Sorry, I could not reach the agents: {detail}',
  },
  fr: {
    agent:
      "Merci d'avoir échangé avec {agentName}. Je reprends la main : posez-moi vos questions, ou redemandez un conseiller quand vous voulez.",
    visitor: 'Pas de souci, je suis toujours là. Demandez-moi les horaires, la livraison, les retours ou le paiement.',
    no_agent:
      'Aucun conseiller ne pouvait prendre la conversation, je continue donc avec vous. Demandez-moi les horaires, la livraison, les retours ou le paiement.',
    timeout: 'La conversation avec le conseiller a expiré. Je reprends la main : que puis-je faire pour vous ?',
    error:
      'La conversation avec le conseiller a été interrompue par un problème technique. Je reprends la main : que puis-je faire pour vous ?',
    startFailed: 'Désolé, je ne parviens pas à joindre les conseillers : {detail}',
  },
  de: {
    agent:
      'Danke für das Gespräch mit {agentName}. Ich bin wieder da: Fragen Sie mich, oder verlangen Sie jederzeit wieder einen Mitarbeiter.',
    visitor:
      'Kein Problem, ich bin noch da. Fragen Sie mich nach Öffnungszeiten, Lieferung, Rücksendungen oder Zahlung.',
    no_agent:
      'Diesmal konnte kein Mitarbeiter den Chat übernehmen, also helfe ich Ihnen weiter. Fragen Sie mich nach Öffnungszeiten, Lieferung, Rücksendungen oder Zahlung.',
    timeout: 'Der Chat mit dem Mitarbeiter ist abgelaufen. Ich bin wieder da: Wie kann ich helfen?',
    error: 'Ein technisches Problem hat den Chat mit dem Mitarbeiter beendet. Ich bin wieder da: Wie kann ich helfen?',
    startFailed: 'Leider erreiche ich die Mitarbeiter nicht: {detail}',
  },
  es: {
    agent:
      'Gracias por hablar con {agentName}. Vuelvo a estar aquí: pregúntame lo que quieras, o pide un agente de nuevo cuando quieras.',
    visitor: 'Sin problema, sigo aquí. Pregúntame por horarios, envíos, devoluciones o pagos.',
    no_agent:
      'Esta vez ningún agente pudo atender el chat, así que sigo ayudándote yo. Pregúntame por horarios, envíos, devoluciones o pagos.',
    timeout: 'El chat con el agente expiró. Vuelvo a estar aquí: ¿en qué puedo ayudarte?',
    error: 'Un problema técnico interrumpió el chat con el agente. Vuelvo a estar aquí: ¿en qué puedo ayudarte?',
    startFailed: 'Lo siento, no consigo contactar con los agentes: {detail}',
  },
}

const FALLBACK_LOCALE = 'en'
/** What a sentence says when the agent's name is unknown (the chat ended before anyone joined). */
const UNKNOWN_AGENT: Record<string, string> = {
  en: 'the agent',
  fr: 'le conseiller',
  de: 'dem Mitarbeiter',
  es: 'el agente',
}

export function backText(
  key: keyof BackTexts,
  locale: string,
  params: { agentName?: string | null; detail?: string } = {}
): string {
  const base = locale.slice(0, 2).toLowerCase()
  const texts = BACK[base] ?? BACK[FALLBACK_LOCALE]!
  const agentName = params.agentName || UNKNOWN_AGENT[base] || UNKNOWN_AGENT[FALLBACK_LOCALE]!
  // An end reason this version does not know reads like an error rather than nothing.
  const template = texts[key] ?? texts.error
  return template.replaceAll('{agentName}', agentName).replaceAll('{detail}', params.detail ?? '')
}

/** The plugin's customer texts in each language (its defaults are English only). */
const PLUGIN_TEXTS: Record<string, PluginConfiguration> = {
  en: {
    onHitlHandoffMessage: 'I have escalated this conversation to a human agent. They should be with you shortly.',
    onHumanAgentAssignedMessage: 'A human agent has joined the conversation.',
    onUserHitlCloseMessage: 'You have ended the session with the human agent. I will continue assisting you.',
  },
  fr: {
    onHitlHandoffMessage: "J'ai transmis la conversation à un conseiller. Il sera avec vous dans un instant.",
    onHumanAgentAssignedMessage: 'Un conseiller a rejoint la conversation.',
    onUserHitlCloseMessage: 'Vous avez quitté la conversation avec le conseiller. Je reprends la main.',
  },
  de: {
    onHitlHandoffMessage: 'Ich habe das Gespräch an einen Mitarbeiter übergeben. Er ist gleich für Sie da.',
    onHumanAgentAssignedMessage: 'Ein Mitarbeiter ist dem Gespräch beigetreten.',
    onUserHitlCloseMessage: 'Sie haben das Gespräch mit dem Mitarbeiter beendet. Ich helfe Ihnen weiter.',
  },
  es: {
    onHitlHandoffMessage: 'He pasado la conversación a un agente. Estará contigo en breve.',
    onHumanAgentAssignedMessage: 'Un agente se unió a la conversación.',
    onUserHitlCloseMessage: 'Terminaste la conversación con el agente. Sigo ayudándote yo.',
  },
}

/** The plugin's configuration for one hand-off: its texts in the customer's language, the end told by the bot. */
export function pluginTexts(locale: string): PluginConfiguration {
  const base = locale.slice(0, 2).toLowerCase()
  return { ...(PLUGIN_TEXTS[base] ?? PLUGIN_TEXTS[FALLBACK_LOCALE]!), onHitlStoppedMessage: NULL_TEXT }
}
