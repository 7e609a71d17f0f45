import { wordsMatch } from './edit-distance.js'
import { baseLocale, tokenize } from './normalize.js'

/** Locale → phrases. */
export type PhraseBook = Readonly<Record<string, readonly string[]>>

export type PhraseMatch = { matched: true; phrase: string; locale: string } | { matched: false; locale: string }

/** Where a phrase was found in a message's words: [start, end). */
export type PhraseSpan = { phrase: string; start: number; end: number }

/** Filler words skipped or tolerated in one match ("talk to a *real* human", "chat with agent"). */
const MAX_SKIPPED_FILLERS = 2

/** A phrase's first word is its verb, whose ending carries tense and person (`wordsMatch`). */
const KEEP_LAST_LETTER = { keepLastLetter: true } as const
const ANY_LAST_LETTER = { keepLastLetter: false } as const

/** `wholeContent`: the content words joined, as a message without its fillers is compared with them. */
type CompiledPhrase = { text: string; tokens: string[]; contentWords: string[]; wholeContent: string }

/**
 * Phrases a bot builder wrote, for one locale. A phrase of two or more words is found inside a sentence ("hi, can I
 * chat with an agent please?"); a one-word phrase ("agent") must be the whole message, give or take filler words,
 * so that "the agent of my order shipped" does not hand the customer off.
 */
export class PhraseSet {
  private readonly _phrases: CompiledPhrase[] = []

  public constructor(
    phrases: readonly string[],
    private readonly _fillers: ReadonlySet<string>
  ) {
    for (const text of phrases) {
      const tokens = tokenize(text)
      if (tokens.length === 0 || this._phrases.some((phrase) => phrase.text === text)) continue
      const contentWords = tokens.filter((t) => !this._fillers.has(t))
      this._phrases.push({ text, tokens, contentWords, wholeContent: contentWords.join(' ') })
    }
    // Longer phrases first: the most specific one is reported.
    this._phrases.sort((a, b) => b.tokens.length - a.tokens.length)
  }

  public get size(): number {
    return this._phrases.length
  }

  /** The phrase that is the whole message, filler words aside, with no typo: what a designer tests first. */
  public wholeMessage(words: readonly string[]): string | undefined {
    if (this._phrases.length === 0) return undefined
    const content = words.filter((w) => !this._fillers.has(w)).join(' ')
    const exact = this._phrases.find((phrase) => phrase.wholeContent === content && content !== '')
    return exact?.text
  }

  /** The first phrase found in `words` (typos and fillers tolerated). */
  public find(words: readonly string[]): PhraseSpan | undefined {
    for (const phrase of this._phrases) {
      const span = this._locate(phrase, words)
      if (span) return span
    }
    return undefined
  }

  private _locate(phrase: CompiledPhrase, words: readonly string[]): PhraseSpan | undefined {
    if (phrase.contentWords.length <= 1) {
      return this._isWholeMessage(phrase, words) ? { phrase: phrase.text, start: 0, end: words.length } : undefined
    }
    for (let start = 0; start < words.length; start++) {
      const end = this._matchFrom(phrase.tokens, 0, words, start, MAX_SKIPPED_FILLERS)
      if (end >= 0) return { phrase: phrase.text, start, end }
    }
    return undefined
  }

  /** One-word phrases: the message, without filler words, is exactly that word. */
  private _isWholeMessage(phrase: CompiledPhrase, words: readonly string[]): boolean {
    const messageWords = words.filter((w) => !this._fillers.has(w))
    if (phrase.contentWords.length === 0 || messageWords.length !== phrase.contentWords.length) return false
    return phrase.contentWords.every((word, i) => wordsMatch(word, messageWords[i]!))
  }

  /** End of the match of phrase tokens from `p` against words from `w`, skipping at most `skips` fillers; or -1. */
  private _matchFrom(tokens: string[], p: number, words: readonly string[], w: number, skips: number): number {
    if (p === tokens.length) return w
    const token = tokens[p]!
    const word = words[w]
    const options = p === 0 ? KEEP_LAST_LETTER : ANY_LAST_LETTER
    if (word !== undefined && wordsMatch(token, word, options)) {
      const end = this._matchFrom(tokens, p + 1, words, w + 1, skips)
      if (end >= 0) return end
    }
    if (skips === 0) return -1
    // The customer left out a filler of the phrase: "chat with agent" for "chat with an agent".
    if (this._fillers.has(token)) {
      const end = this._matchFrom(tokens, p + 1, words, w, skips - 1)
      if (end >= 0) return end
    }
    // The customer added a filler inside the phrase: "talk to a real human". Never before the phrase starts.
    if (p > 0 && word !== undefined && this._fillers.has(word)) {
      return this._matchFrom(tokens, p, words, w + 1, skips - 1)
    }
    return -1
  }
}

/** Phrases of several locales: kept for code that matches a plain phrase book (no cue/target rules). */
export class PhraseMatcher {
  private readonly _sets = new Map<string, PhraseSet>()

  public constructor(book: PhraseBook, fillers: ReadonlySet<string> = new Set()) {
    const byLocale = new Map<string, string[]>()
    for (const [locale, phrases] of Object.entries(book)) {
      const key = baseLocale(locale)
      byLocale.set(key, [...(byLocale.get(key) ?? []), ...phrases])
    }
    for (const [locale, phrases] of byLocale) this._sets.set(locale, new PhraseSet(phrases, fillers))
  }

  public get locales(): string[] {
    return [...this._sets.keys()]
  }

  /** Tries the given locale first, then the fallback locale, then every other locale. */
  public match(text: string, options: { locale?: string; fallbackLocale: string }): PhraseMatch {
    const requested = options.locale ? baseLocale(options.locale) : undefined
    const fallback = baseLocale(options.fallbackLocale)
    const words = tokenize(text)
    for (const locale of searchOrder(requested, fallback, this._sets.keys())) {
      const found = words.length > 0 ? this._sets.get(locale)?.find(words) : undefined
      if (found) return { matched: true, phrase: found.phrase, locale }
    }
    return { matched: false, locale: requested || fallback }
  }
}

/**
 * The requested locale, then the fallback, then the others: a customer may write in another language. Only locales
 * there are words for: a customer's browser may say "it" or "pt-BR", and such a message is read in the others.
 */
export const searchOrder = (requested: string | undefined, fallback: string, known: Iterable<string>): string[] => {
  const locales = new Set(known)
  return [...new Set([requested, fallback, ...locales])].filter((l): l is string => !!l && locales.has(l))
}
