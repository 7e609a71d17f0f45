// Reads the environment with the settings table: each variable that is set is parsed and checked by its setting's
// schema; the first bad one raises ConfigError naming it, before anything is started.
import { ConfigError } from './config-error.js'
import { type DeepPartial, setAt, settingsOf, type ValuesOf } from './setting.js'
import { REMOVED_VARIABLES, SETTINGS } from './settings.js'

export type EnvValues = DeepPartial<ValuesOf<typeof SETTINGS>>

export function readEnv(env: NodeJS.ProcessEnv): EnvValues {
  for (const [variable, replacement] of Object.entries(REMOVED_VARIABLES)) {
    if (env[variable]) throw new ConfigError(variable, replacement)
  }
  const values: Record<string, unknown> = {}
  for (const [path, entry] of settingsOf(SETTINGS)) {
    const text = env[entry.env]
    if (text === undefined || text === '') continue
    const parsed = entry.schema.safeParse(text)
    if (!parsed.success) throw new ConfigError(entry.env, parsed.error.issues[0]?.message ?? 'is not a valid value')
    setAt(values, path, parsed.data)
  }
  return values as EnvValues
}
