import type { StoreConfig } from '../config.js'
import { RedisStore } from './redis-store.js'
import { SqliteStore } from './sqlite-store.js'
import type { HopStore } from './types.js'

export type * from './types.js'
export { INITIAL_PUMP_STATE } from './types.js'
export { SqliteStore } from './sqlite-store.js'
export { RedisStore } from './redis-store.js'

export function createStore(config: StoreConfig): HopStore {
  return config.kind === 'redis'
    ? new RedisStore({ url: config.url, keyPrefix: config.keyPrefix })
    : new SqliteStore({ file: config.file, synchronous: config.synchronous, commitThread: config.commitThread })
}
