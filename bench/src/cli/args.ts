// Command-line flags of `npm run bench` and `npm run chaos`: parsed with node:util, checked with zod; a bad flag
// exits with code 2 and one sentence.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { z } from 'zod'
import { liveChildren } from '../processes/live-children.js'
import { BACKENDS, DEFAULT_BACKEND } from '../run/backend.js'
import { unlessStopping } from './stop-on-signal.js'

export const EXIT_USAGE = 2

export class UsageError extends Error {}

const count = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`)

/** "500-1500" or "800" (fixed) → [min, max] in ms. */
export const rangeMs = (name: string) =>
  z.string().transform((value, ctx): [number, number] => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim())
    const min = Number(match?.[1])
    const max = Number(match?.[2] ?? match?.[1])
    if (!match || min > max) {
      ctx.addIssue({ code: 'custom', message: `--${name} must be MIN-MAX in ms (e.g. 500-1500), with MIN ≤ MAX` })
      return z.NEVER
    }
    return [min, max]
  })

export { count }

/** `--backend live-agent|enhanced-chat` (default live-agent). */
export const backendFlag = () =>
  z.enum(BACKENDS, { error: `--backend must be ${BACKENDS.join(' or ')}` }).default(DEFAULT_BACKEND)

/** Parses `argv` against `config`, then validates the values with `schema`. Throws UsageError. */
export function parseFlags<T extends z.ZodType>(
  argv: string[],
  config: ParseArgsConfig['options'],
  schema: T
): z.output<T> {
  let values: Record<string, unknown>
  try {
    values = parseArgs({ args: argv, options: config, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  const parsed = schema.safeParse(values)
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid flags')
  return parsed.data
}

/**
 * Runs a CLI main: usage errors exit 2 with one sentence, other errors (uncaught ones included) exit 1 once every
 * child process the bench spawned is stopped. While a signal is stopping the bench, its handler has the last word.
 */
export async function runCli(main: () => Promise<number>): Promise<void> {
  process.on('uncaughtException', (error) => void failed(error).then(() => process.exit(1)))
  try {
    process.exitCode = await main()
  } catch (error) {
    await unlessStopping()
    if (error instanceof UsageError) {
      console.error(`${error.message}. See --help.`)
      process.exitCode = EXIT_USAGE
      return
    }
    await failed(error)
    process.exitCode = 1
  }
  await unlessStopping()
  // A run that returned normally has stopped its children; this only catches one a failed step left behind.
  await liveChildren.stopAll()
}

async function failed(error: unknown): Promise<void> {
  await unlessStopping()
  console.error(error)
  const stopped = await liveChildren.stopAll()
  if (stopped.length > 0) console.error(`stopped ${stopped.join(', ')} after the error`)
}
