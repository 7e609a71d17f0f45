import { RuntimeError, type z } from '@botpress/sdk'

/**
 * The SDK does not check action input against the definition (Botpress Cloud does); we check again so that a bad
 * call from code or a test fails with a sentence and changes nothing.
 */
export const parseInput = <T>(schema: z.ZodType<T>, input: unknown, action: string): T => {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.join('.') || 'input'
    throw new RuntimeError(`Invalid input for ${action}: ${field}: ${issue?.message ?? 'invalid value'}.`)
  }
  return parsed.data
}

/**
 * Studio sends optional fields left empty as "" (the Start HITL card's extra configuration, an unset locale).
 * Dropping them lets "not set" mean the default rather than fail validation.
 */
export const withoutBlankFields = <T>(value: T): T => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => !(typeof field === 'string' && field.trim() === ''))
  ) as T
}
