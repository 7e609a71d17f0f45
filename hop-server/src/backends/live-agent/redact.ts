// The session key is the chat's only credential (§1.1): it must never reach a log line or an error message.

/** Characters of a key kept visible: enough to tell sessions apart in logs (the key starts with the session id). */
const VISIBLE_PREFIX = 8
const MASK = '…[redacted]'

/** `ec550263-5b6e-…!1417533218432!3a1e7f46` → `ec550263…[redacted]`. Short or empty values are masked entirely. */
export function redactKey(key: string | undefined | null): string {
  if (!key) return MASK
  if (key.length <= VISIBLE_PREFIX * 2) return MASK
  return `${key.slice(0, VISIBLE_PREFIX)}${MASK}`
}

/** Replaces every occurrence of each secret (and its URL-encoded form) in a text by its redacted form. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(redactKey(secret))
  }
  return out
}
