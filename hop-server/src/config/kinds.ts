// The kinds of value a setting can hold: each is the schema that parses an environment variable's text and the name
// the README and `--help` give it. Messages finish the sentence "HOP_X: …".
import { z } from 'zod'
import { parseHostPatterns, parseLoopbackTargets } from '../security/allowlist.js'
import { parseTenantList } from './tenants.js'

export interface Kind<T> {
  type: string
  schema: z.ZodType<T>
}

const WHOLE_NUMBER = /^[+-]?\d+$/

/** A whole number of at least `min` and at most `max`. */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, tooLarge = 'is too large') {
  return z
    .string()
    .trim()
    .regex(WHOLE_NUMBER, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, min === 1 ? 'must be greater than 0' : `must be at least ${min}`)
        .max(max, tooLarge)
    )
}

const MAX_PORT = 65535
export const PORT: Kind<number> = { type: 'port', schema: wholeNumber(0, MAX_PORT, `must be a port (0-${MAX_PORT})`) }
export const COUNT: Kind<number> = { type: 'whole number > 0', schema: wholeNumber(1) }
export const MILLISECONDS: Kind<number> = { type: 'ms > 0', schema: wholeNumber(1) }
export const MILLISECONDS_OR_ZERO: Kind<number> = { type: 'ms ≥ 0', schema: wholeNumber(0) }
export const BYTES: Kind<number> = { type: 'bytes > 0', schema: wholeNumber(1) }
export const CHARACTERS: Kind<number> = { type: 'characters > 0', schema: wholeNumber(1) }

/** A number strictly between 0 and 1. */
export const FRACTION: Kind<number> = {
  type: 'fraction (0-1)',
  schema: z
    .string()
    .trim()
    .regex(/^(0?\.\d+|0|1)$/, 'must be a decimal number between 0 and 1, e.g. 0.25')
    .transform(Number)
    .pipe(z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1')),
}

export const BOOLEAN: Kind<boolean> = {
  type: 'boolean',
  schema: z.stringbool({
    truthy: ['true', '1', 'yes'],
    falsy: ['false', '0', 'no'],
    error: 'must be true or false (1/0 and yes/no also work)',
  }),
}

export const TEXT: Kind<string> = { type: 'text', schema: z.string() }
export const PATH: Kind<string> = { type: 'path', schema: z.string() }

/** Letters, digits and `. _ : -`, at most `max` of them. */
export const name = (max: number): Kind<string> => ({
  type: 'name',
  schema: z.string().regex(new RegExp(`^[A-Za-z0-9._:-]{1,${max}}$`), `must be 1-${max} letters, digits or . _ : -`),
})

/** One of `values`. */
export const oneOf = <const V extends readonly [string, ...string[]]>(values: V): Kind<V[number]> => ({
  type: values.map((value) => `\`${value}\``).join(' \\| '),
  schema: z.enum(values, { error: `must be one of ${values.join(', ')}` }) as unknown as z.ZodType<V[number]>,
})

export const REDIS_URL: Kind<string> = {
  type: 'URL',
  schema: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'),
}

/** A schema from a parser that throws an Error whose message says what is wrong. */
function parsedBy<T>(parse: (text: string) => T): z.ZodType<T> {
  return z.string().transform((value, ctx) => {
    try {
      return parse(value)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message })
      return z.NEVER
    }
  })
}

export const HOST_LIST: Kind<string[]> = { type: 'host list', schema: parsedBy(parseHostPatterns) }
export const LOOPBACK_LIST: Kind<string[]> = { type: 'host:port list', schema: parsedBy(parseLoopbackTargets) }
export const TENANT_LIST: Kind<Map<string, string>> = { type: 'id:secret list', schema: parsedBy(parseTenantList) }
