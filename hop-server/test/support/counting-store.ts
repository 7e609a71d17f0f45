// A store that counts the calls made to it, by operation: how many store queries a piece of work costs.
import type { HopStore } from '../../src/store/types.js'

export interface CountingStore {
  store: HopStore
  /** Calls so far, by operation name. */
  count(operation: keyof HopStore): number
  /** Every call so far (publish and subscribe excluded: notes are not queries). */
  total(): number
  reset(): void
}

const NOT_QUERIES = new Set<string>(['publish', 'subscribe', 'kind'])

export function countingStore(inner: HopStore): CountingStore {
  const calls = new Map<string, number>()
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown
      if (typeof value !== 'function' || typeof property !== 'string') return value
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1)
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return {
    store,
    count: (operation) => calls.get(operation) ?? 0,
    total: () => [...calls].reduce((sum, [name, n]) => (NOT_QUERIES.has(name) ? sum : sum + n), 0),
    reset: () => calls.clear(),
  }
}
