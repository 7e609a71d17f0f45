// What the demo bot knows: a handful of questions a shop's assistant answers, matched by keywords. Deliberately
// small: the point of the playground is the hand-off, not the bot.

export type BlocItem = { type: 'text'; payload: { text: string } } | { type: 'markdown'; payload: { markdown: string } }
export type FaqEntry = { topic: string; pattern: RegExp; answer: string; bloc?: BlocItem[] }
export type FaqAnswer = { text: string; bloc?: BlocItem[] }

export const FAQ: readonly FaqEntry[] = [
  {
    topic: 'greeting',
    pattern: /^(hi|hello|hey|good (morning|afternoon|evening)|bonjour|salut|hallo|guten tag|hola)\b/i,
    answer: 'Hello! How can I help you today?',
  },
  {
    topic: 'hours',
    pattern: /\b(hours?|open(ing)?|closed?|available|when can i)\b/i,
    answer:
      'Our support team is there Monday to Friday, 8:00 to 18:00 (CET). I answer around the clock, and an agent can take over during opening hours.',
  },
  {
    topic: 'tracking',
    pattern: /\b(track(ing)?|where is my (order|parcel|package)|order status|parcel|package)\b/i,
    answer:
      'The tracking link is in your shipping confirmation email, and under Orders in your account. I cannot look up real orders in this demo: an agent can.',
  },
  {
    topic: 'delivery',
    pattern: /\b(deliver(y|ed)?|ship(ping|ped)?|how long|arrive)\b/i,
    answer:
      'Standard delivery takes 2 to 4 business days and is free above €50. Express delivery arrives the next business day for €9.90.',
    // Sent as a bloc with markdown, as Studio's cards often are: the hand-off must carry it to the agent.
    bloc: [
      {
        type: 'markdown',
        payload: { markdown: '**Standard delivery** takes 2 to 4 business days and is free above €50.' },
      },
      { type: 'text', payload: { text: 'Express delivery arrives the next business day for €9.90.' } },
    ],
  },
  {
    topic: 'returns',
    pattern: /\b(return(s|ing)?|refund(s|ed)?|exchange|send (it )?back)\b/i,
    answer:
      'You can return any item within 30 days for a full refund. Start from Orders › Return an item: the label is free.',
  },
  {
    topic: 'payment',
    pattern: /\b(pay(ment|ing)?|card|visa|mastercard|paypal|invoice|bank transfer)\b/i,
    answer: 'We accept Visa, Mastercard, American Express, PayPal and bank transfer. Invoices are under Orders.',
  },
  {
    topic: 'thanks',
    pattern: /\b(thanks?|thank you|merci|danke|gracias)\b/i,
    answer: 'You are welcome! Anything else I can do for you?',
  },
]

export class FaqBook {
  public constructor(private readonly _entries: readonly FaqEntry[] = FAQ) {}

  /** The answer to the first topic the text mentions, if any (a bloc when the entry has one). */
  public answer(text: string): FaqAnswer | undefined {
    const entry = this._entries.find((candidate) => candidate.pattern.test(text.trim()))
    return entry && { text: entry.answer, ...(entry.bloc ? { bloc: entry.bloc } : {}) }
  }
}
