import { FILLER_WORDS } from '../definitions/locales.js'
import { wordsMatch } from './edit-distance.js'
import { baseLocale, tokenize } from './normalize.js'

/** Locale → phrases. */
export type PhraseBook = Readonly<Record<string, readonly string[]>>

export type PhraseMatch = { matched: true; phrase: string; locale: string } | { matched: false; locale: string }

/** Filler words skipped or tolerated in one match ("talk to a *real* human", "chat with agent"). */
const MAX_SKIPPED_FILLERS = 2

type CompiledPhrase = { text: string; locale: string; tokens: string[]; contentWords: number }

/**
 * Finds configured phrases in what a customer wrote. A phrase of two or more words is found inside a sentence
 * ("hi, can I chat with an agent please?"); a one-word phrase ("agent") must be the whole message, give or take
 * filler words, so that "the agent of my order shipped" does not hand the customer off.
 */
export class PhraseMatcher {
  private readonly _phrasesByLocale: Map<string, CompiledPhrase[]>

  public constructor(
    book: PhraseBook,
    private readonly _fillers: ReadonlySet<string> = new Set(FILLER_WORDS)
  ) {
    this._phrasesByLocale = new Map()
    for (const [locale, phrases] of Object.entries(book)) {
      const key = baseLocale(locale)
      const compiled = this._phrasesByLocale.get(key) ?? []
      for (const text of phrases) {
        const tokens = tokenize(text)
        if (tokens.length === 0 || compiled.some((phrase) => phrase.text === text)) continue
        compiled.push({ text, locale: key, tokens, contentWords: tokens.filter((t) => !this._fillers.has(t)).length })
      }
      // Longer phrases first: the most specific one is reported.
      compiled.sort((a, b) => b.tokens.length - a.tokens.length)
      this._phrasesByLocale.set(key, compiled)
    }
  }

  public get locales(): string[] {
    return [...this._phrasesByLocale.keys()]
  }

  /** Tries the given locale first, then the fallback locale, then every other locale. */
  public match(text: string, options: { locale?: string; fallbackLocale: string }): PhraseMatch {
    const requested = options.locale ? baseLocale(options.locale) : undefined
    const fallback = baseLocale(options.fallbackLocale)
    const words = tokenize(text)
    if (words.length > 0) {
      for (const locale of this._searchOrder(requested, fallback)) {
        for (const phrase of this._phrasesByLocale.get(locale) ?? []) {
          if (this._matches(phrase, words)) {
            return { matched: true, phrase: phrase.text, locale }
          }
        }
      }
    }
    return { matched: false, locale: requested || fallback }
  }

  private _searchOrder(requested: string | undefined, fallback: string): string[] {
    const order = [requested, fallback, ...this._phrasesByLocale.keys()].filter((l): l is string => !!l)
    return [...new Set(order)]
  }

  private _matches(phrase: CompiledPhrase, words: string[]): boolean {
    if (phrase.contentWords <= 1) {
      return this._isWholeMessage(phrase, words)
    }
    for (let start = 0; start < words.length; start++) {
      if (this._matchFrom(phrase.tokens, 0, words, start, MAX_SKIPPED_FILLERS)) return true
    }
    return false
  }

  /** One-word phrases: the message, without filler words, is exactly that word. */
  private _isWholeMessage(phrase: CompiledPhrase, words: string[]): boolean {
    const phraseWords = phrase.tokens.filter((t) => !this._fillers.has(t))
    const messageWords = words.filter((w) => !this._fillers.has(w))
    if (phraseWords.length === 0 || messageWords.length !== phraseWords.length) return false
    return phraseWords.every((word, i) => wordsMatch(word, messageWords[i]!))
  }

  /** Matches phrase tokens from `p` against message words from `w`, skipping at most `skips` filler words in all. */
  private _matchFrom(tokens: string[], p: number, words: string[], w: number, skips: number): boolean {
    if (p === tokens.length) return true
    const token = tokens[p]!
    const word = words[w]
    const options = { keepLastLetter: p === 0 }
    if (word !== undefined && wordsMatch(token, word, options) && this._matchFrom(tokens, p + 1, words, w + 1, skips)) {
      return true
    }
    if (skips === 0) return false
    // The customer left out a filler of the phrase: "chat with agent" for "chat with an agent".
    if (this._fillers.has(token) && this._matchFrom(tokens, p + 1, words, w, skips - 1)) {
      return true
    }
    // The customer added a filler inside the phrase: "talk to a real human". Never before the phrase starts.
    return p > 0 && word !== undefined && this._fillers.has(word) && this._matchFrom(tokens, p, words, w + 1, skips - 1)
  }
}
