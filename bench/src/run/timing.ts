import { setTimeout as sleep } from 'node:timers/promises'

export { sleep }

/** A uniformly random think time in [min, max] ms. */
export function think([min, max]: readonly [number, number], random = Math.random): number {
  return Math.round(min + (max - min) * random())
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
