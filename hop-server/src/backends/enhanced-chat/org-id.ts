// Salesforce org ids: Enhanced Chat wants the 15-character id (the stream's X-Org-Id must be exactly that); people
// copy the 18-character one from Setup. The 18-character id is the case-sensitive 15-character id plus a 3-character
// checksum that encodes which of its letters are upper case, so the conversion is the prefix once the suffix checks.
import { EnhancedChatInputError } from './errors.js'

const SHORT_LENGTH = 15
const LONG_LENGTH = 18
const CHUNK = 5
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const ID_CHARS = /^[A-Za-z0-9]+$/
const ORG_PREFIX = '00D'

/** The 3-character checksum of a 15-character id: one character per 5-character chunk, bit i set when char i is A–Z. */
export function checksumOf(id15: string): string {
  let suffix = ''
  for (let chunk = 0; chunk < SHORT_LENGTH / CHUNK; chunk++) {
    let bits = 0
    for (let i = 0; i < CHUNK; i++) {
      const char = id15.charAt(chunk * CHUNK + i)
      if (char >= 'A' && char <= 'Z') bits |= 1 << i
    }
    suffix += SUFFIX_ALPHABET.charAt(bits)
  }
  return suffix
}

/** The 15-character org id from a 15- or 18-character one; throws EnhancedChatInputError naming `field` otherwise. */
export function toOrgId15(value: string, field = 'orgId'): string {
  const id = value.trim()
  if (id.length !== SHORT_LENGTH && id.length !== LONG_LENGTH)
    throw new EnhancedChatInputError(
      field,
      `an org id has 15 or 18 characters (Setup → Company Information → Salesforce.com Organization ID); got ${id.length}`
    )
  if (!ID_CHARS.test(id)) throw new EnhancedChatInputError(field, 'an org id has only letters and digits')
  if (!id.startsWith(ORG_PREFIX)) throw new EnhancedChatInputError(field, `an org id starts with ${ORG_PREFIX}`)
  const short = id.slice(0, SHORT_LENGTH)
  if (id.length === LONG_LENGTH) {
    const expected = checksumOf(short)
    // The suffix is case-insensitive by design (it exists for systems that ignore case); the prefix is not.
    if (id.slice(SHORT_LENGTH).toUpperCase() !== expected)
      throw new EnhancedChatInputError(
        field,
        `the last 3 characters of an 18-character org id are a checksum of the first 15; ${expected} was expected, so the id was mistyped`
      )
  }
  return short
}
