import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { RedisStore } from '../../src/store/redis-store.js'
import { startRedisServer, type RedisServer } from '../support/redis-server.js'
import { describeStoreContract } from './store-contract.js'

let redis: RedisServer
let prefixes = 0

beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await redis?.stop()
})

// Each test gets its own key prefix on the one server, so tests do not see each other's chats.
describeStoreContract('Redis', () => ({
  create: async () => new RedisStore({ url: redis.url, keyPrefix: `t${(prefixes += 1)}:` }),
}))

describe('Redis replay keys', () => {
  it('refuses on one replica a signature first used on another (the key lives in the shared store)', async () => {
    const keyPrefix = `t${(prefixes += 1)}:`
    const [replicaA, replicaB] = [
      new RedisStore({ url: redis.url, keyPrefix }),
      new RedisStore({ url: redis.url, keyPrefix }),
    ]
    try {
      const now = Date.now()
      // Sent to both at once: exactly one of them accepts it.
      const answers = await Promise.all([
        replicaA.rememberOnce('sig:tenantA:s1', 60_000, now),
        replicaB.rememberOnce('sig:tenantA:s1', 60_000, now),
      ])
      expect(answers.filter(Boolean)).toHaveLength(1)
      expect(await replicaB.rememberOnce('sig:tenantA:s1', 60_000, now)).toBe(false)
    } finally {
      await replicaA.close()
      await replicaB.close()
    }
  })
})
