import { afterAll, beforeAll } from '@jest/globals'
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
