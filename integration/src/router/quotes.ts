// Words in quotation marks are someone else's: an error message, a letter or a web page that tells the customer to
// contact someone ("the app says "please speak to an advisor before cancelling", why…?"). They are no request of the
// customer's own, as long as the customer wrote something outside them.

/** Double quotation marks of the four languages: "…", “…”, „…“, «…». Single ones are apostrophes too often. */
const QUOTED_STRETCH = /["“”„«»]([^"“”„«»]*)["“”„«»]/gu
const HAS_A_WORD = /[\p{L}\p{N}]/u

export type Quotes = {
  /** The message with each quoted stretch replaced by a sentence break. */
  outside: string
  /** What the quotation marks hold, first first. */
  quoted: string[]
}

/** The quoted stretches of `text`, or undefined when it has none or nothing outside them (`"agent"` alone). */
export const splitQuotes = (text: string): Quotes | undefined => {
  const quoted: string[] = []
  const outside = text.replace(QUOTED_STRETCH, (_, inner: string) => {
    if (HAS_A_WORD.test(inner)) quoted.push(inner.trim())
    return ' . '
  })
  return quoted.length > 0 && HAS_A_WORD.test(outside) ? { outside, quoted } : undefined
}
