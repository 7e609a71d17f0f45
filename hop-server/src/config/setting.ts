// What one hop-server setting is: its environment variable, how its text is parsed and checked, its default and what
// it means. The table of them (settings.ts) is the one place a setting is written; the loader, `--help` and the README
// table are derived from it.
import type { z } from 'zod'

export interface Setting<T = unknown> {
  /** The environment variable that sets it. */
  readonly env: `HOP_${string}`
  /** The kind of value, as the README and `--help` name it. */
  readonly type: string
  /** Parses and checks the variable's text; its messages finish the sentence "HOP_X: …". */
  readonly schema: z.ZodType<T>
  /** Used when the variable is unset or empty; undefined when there is none or it is computed (see defaultText). */
  readonly default: NoInfer<T> | undefined
  /** The default as a person reads it, where it is not simply `default`. */
  readonly defaultText?: string
  /** One line for the README and `--help`. */
  readonly description: string
}

export interface SettingTable {
  readonly [key: string]: Setting<never> | Setting<unknown> | SettingTable
}

/** The value of each setting of a table, in the table's shape. */
export type ValuesOf<T> = { -readonly [K in keyof T]: T[K] extends Setting<infer V> ? V : ValuesOf<T[K]> }

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object
    ? T[K] extends unknown[] | ReadonlyMap<unknown, unknown>
      ? T[K]
      : DeepPartial<T[K]>
    : T[K]
}

/** Declares a setting (only to infer its value type from its schema and default). */
export const setting = <T>(definition: Setting<T>): Setting<T> => definition

export const isSetting = (entry: SettingTable[string]): entry is Setting<unknown> => 'env' in entry

/** Every setting of a table with where it sits, in table order. */
export function* settingsOf(table: SettingTable, path: string[] = []): Generator<[string[], Setting<unknown>]> {
  for (const [key, entry] of Object.entries(table)) {
    if (isSetting(entry)) yield [[...path, key], entry]
    else yield* settingsOf(entry, [...path, key])
  }
}

const copy = <T>(value: T): T => (Array.isArray(value) ? ([...value] as T) : value)

/** The table's values: what `given` says, else the default. */
export function withDefaults<T extends SettingTable>(table: T, given: DeepPartial<ValuesOf<T>> = {}): ValuesOf<T> {
  const values: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(table)) {
    const value = (given as Record<string, unknown>)[key]
    values[key] = isSetting(entry) ? (value ?? copy(entry.default)) : withDefaults(entry, value as never)
  }
  return values as ValuesOf<T>
}

/** Sets `value` at `path` of `target`, creating the groups on the way. */
export function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let group = target
  for (const key of path.slice(0, -1)) group = (group[key] ??= {}) as Record<string, unknown>
  group[path[path.length - 1]!] = value
}
