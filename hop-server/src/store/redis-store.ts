// The shared store for several replicas: Redis (ioredis). Every multi-key change is one Lua script, so it is
// atomic; leases are keys with a TTL (SET NX PX), so a replica that dies loses its chats when the TTL runs out.
// Scripts compute key names from the prefix, so this needs one Redis server (or Sentinel), not Redis Cluster.
// Commands are auto-pipelined: the writes of many chats share round trips.
import { Redis } from 'ioredis'
import {
  INITIAL_PUMP_STATE,
  type ChatProgress,
  type ChatRecord,
  type ChatRequest,
  type CommitResult,
  type EndReason,
  type EndResult,
  type EnqueueResult,
  type HopStore,
  type NewChat,
  type OutboxItem,
  type PumpBatch,
  type PumpState,
  type StoredHopEvent,
  type StoreNote,
  type WebhookHead,
} from './types.js'
import { endedEvent } from './events.js'

/** Bounded retries per command while Redis is unreachable, so a request fails instead of hanging. */
const MAX_RETRIES_PER_REQUEST = 3
const CONNECT_TIMEOUT_MS = 5000

// Lua helpers shared by the scripts. `p` is the key prefix, `id` the chat id, `ck` the chat hash key.
const LUA_HELPERS = `
local function withField(json, name, value)
  return '{"' .. name .. '":' .. value .. ',' .. string.sub(json, 2)
end
local function appendEvent(p, id, ck, eventJson, now)
  local seq = redis.call('HINCRBY', ck, 'lastSeq', 1)
  redis.call('RPUSH', p .. 'wh:' .. id, withField(eventJson, 'seq', seq))
  redis.call('ZADD', p .. 'whdue', 'NX', now, id)
  return seq
end
local function markEnded(p, id, ck, reason, detail, at)
  redis.call('HSET', ck, 'state', 'ended', 'endReason', reason, 'endedAt', at)
  if detail and detail ~= '' then redis.call('HSET', ck, 'endDetail', detail) else redis.call('HDEL', ck, 'endDetail') end
  local fields = redis.call('HMGET', ck, 'tenant', 'conversationId')
  local convKey = p .. 'conv:' .. fields[1] .. ':' .. fields[2]
  if redis.call('GET', convKey) == id then redis.call('DEL', convKey) end
end
local function pushOutbox(p, id, ck, itemJson)
  local position = redis.call('HINCRBY', ck, 'outboxLast', 1)
  redis.call('RPUSH', p .. 'vo:' .. id, withField(itemJson, 'position', position))
  return position
end
`

const SCRIPTS = {
  // ARGV: p, id, tenant, conversationId, createdAt, request, owner, ttl, pump, webhookUrl, itemCount, items...
  hopCreateChat: `
local p, id, tenant, conv = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local convKey = p .. 'conv:' .. tenant .. ':' .. conv
local existing = redis.call('GET', convKey)
if existing then return {0, existing} end
local ck = p .. 'chat:' .. id
redis.call('HSET', ck, 'tenant', tenant, 'conversationId', conv, 'state', 'connecting', 'progress', '{}',
  'createdAt', ARGV[5], 'lastSeq', 0, 'outboxLast', 0, 'pump', ARGV[9], 'webhookUrl', ARGV[10], 'whAttempts', 0)
redis.call('SET', p .. 'req:' .. id, ARGV[6])
redis.call('SET', convKey, id)
redis.call('SADD', p .. 'active', id)
redis.call('SET', p .. 'lease:' .. id, ARGV[7], 'PX', ARGV[8])
for i = 1, tonumber(ARGV[11]) do pushOutbox(p, id, ck, ARGV[11 + i]) end
return {1, id}`,

  // ARGV: p, id, reason, at, endedEvent, endItem
  hopRequestEnd: `
local p, id = ARGV[1], ARGV[2]
local ck = p .. 'chat:' .. id
local state = redis.call('HGET', ck, 'state')
if not state then return 'not_found' end
if state == 'ended' then return 'already_ended' end
markEnded(p, id, ck, ARGV[3], '', ARGV[4])
appendEvent(p, id, ck, ARGV[5], ARGV[4])
pushOutbox(p, id, ck, ARGV[6])
return 'ended'`,

  // ARGV: p, id, messageId, item, tenant|''
  hopEnqueue: `
local p, id = ARGV[1], ARGV[2]
local ck = p .. 'chat:' .. id
local fields = redis.call('HMGET', ck, 'state', 'tenant')
local state = fields[1]
if not state then return 'not_found' end
if ARGV[5] ~= '' and fields[2] ~= ARGV[5] then return 'not_found' end
local idsKey = p .. 'voids:' .. id
if redis.call('HEXISTS', idsKey, ARGV[3]) == 1 then return 'duplicate' end
if state == 'ended' then return 'ended' end
redis.call('HSET', idsKey, ARGV[3], pushOutbox(p, id, ck, ARGV[4]))
return 'accepted'`,

  // ARGV: p, id, owner, pump
  hopSavePump: `
local p, id = ARGV[1], ARGV[2]
if redis.call('GET', p .. 'lease:' .. id) ~= ARGV[3] then return 0 end
redis.call('HSET', p .. 'chat:' .. id, 'pump', ARGV[4])
return 1`,

  // ARGV: p, id, owner, pump, progress|'', state|'', endReason, endDetail, at, eventCount, events...
  hopCommitBatch: `
local p, id = ARGV[1], ARGV[2]
if redis.call('GET', p .. 'lease:' .. id) ~= ARGV[3] then return {'lease_lost'} end
local ck = p .. 'chat:' .. id
redis.call('HSET', ck, 'pump', ARGV[4])
if redis.call('HGET', ck, 'state') == 'ended' then return {'ok', 1} end
if ARGV[5] ~= '' then redis.call('HSET', ck, 'progress', ARGV[5]) end
local newState = ARGV[6]
if newState == 'ended' then markEnded(p, id, ck, ARGV[7], ARGV[8], ARGV[9])
elseif newState ~= '' then redis.call('HSET', ck, 'state', newState) end
local result = {'ok', newState == 'ended' and 1 or 0}
for i = 1, tonumber(ARGV[10]) do result[#result + 1] = appendEvent(p, id, ck, ARGV[10 + i], ARGV[9]) end
return result`,

  // ARGV: p, id, seq, now
  hopAckWebhook: `
local p, id = ARGV[1], ARGV[2]
local whKey = p .. 'wh:' .. id
local head = redis.call('LINDEX', whKey, 0)
if not head or tonumber(string.match(head, '^{"seq":(%d+),')) ~= tonumber(ARGV[3]) then return 0 end
redis.call('LPOP', whKey)
if redis.call('LLEN', whKey) > 0 then redis.call('ZADD', p .. 'whdue', 0, id) else redis.call('ZREM', p .. 'whdue', id) end
local ck = p .. 'chat:' .. id
redis.call('HSET', ck, 'whAttempts', 0)
redis.call('HDEL', ck, 'whFailingSince')
return 1`,

  // ARGV: p, id, seq, nextAttemptAt, now
  hopFailWebhook: `
local p, id = ARGV[1], ARGV[2]
local head = redis.call('LINDEX', p .. 'wh:' .. id, 0)
if not head or tonumber(string.match(head, '^{"seq":(%d+),')) ~= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', p .. 'whdue', ARGV[4], id)
local ck = p .. 'chat:' .. id
redis.call('HINCRBY', ck, 'whAttempts', 1)
redis.call('HSETNX', ck, 'whFailingSince', ARGV[5])
return 1`,

  // ARGV: p, id
  hopDeadLetter: `
local p, id = ARGV[1], ARGV[2]
local whKey = p .. 'wh:' .. id
local items = redis.call('LRANGE', whKey, 0, -1)
for _, item in ipairs(items) do redis.call('RPUSH', p .. 'dead:' .. id, item) end
redis.call('DEL', whKey)
redis.call('ZREM', p .. 'whdue', id)
local ck = p .. 'chat:' .. id
redis.call('HSET', ck, 'whAttempts', 0)
redis.call('HDEL', ck, 'whFailingSince')
return #items`,

  // ARGV: p, now, limit, owner
  hopDueOwned: `
local p, limit, owner = ARGV[1], tonumber(ARGV[3]), ARGV[4]
local due = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'whdue', '-inf', ARGV[2])) do
  if #due >= limit then break end
  if redis.call('GET', p .. 'lease:' .. id) == owner then due[#due + 1] = id end
end
return due`,

  // ARGV: p, owner, ttl, limit
  hopAcquire: `
local p, owner, ttl, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local taken = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'active')) do
  if #taken >= limit then break end
  if redis.call('SET', p .. 'lease:' .. id, owner, 'NX', 'PX', ttl) then taken[#taken + 1] = id end
end
return taken`,

  // ARGV: p, owner, ttl
  hopReclaim: `
local p, owner, ttl = ARGV[1], ARGV[2], ARGV[3]
local held = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'active')) do
  local key = p .. 'lease:' .. id
  if redis.call('GET', key) == owner then
    redis.call('PEXPIRE', key, ttl)
    held[#held + 1] = id
  end
end
return held`,

  // ARGV: p, owner, ttl, ids...
  hopRenew: `
local p, owner, ttl = ARGV[1], ARGV[2], ARGV[3]
local held = {}
for i = 4, #ARGV do
  local key = p .. 'lease:' .. ARGV[i]
  if redis.call('GET', key) == owner then
    redis.call('PEXPIRE', key, ttl)
    held[#held + 1] = ARGV[i]
  end
end
return held`,

  // ARGV: p, owner, ids...
  hopRelease: `
local p, owner = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local key = p .. 'lease:' .. ARGV[i]
  if redis.call('GET', key) == owner then redis.call('DEL', key) end
end
return 1`,

  // ARGV: p, id, owner
  hopRetire: `
local p, id, owner = ARGV[1], ARGV[2], ARGV[3]
local leaseKey = p .. 'lease:' .. id
if redis.call('GET', leaseKey) ~= owner then return 0 end
local ck = p .. 'chat:' .. id
if redis.call('HGET', ck, 'state') ~= 'ended' then return 0 end
if redis.call('LLEN', p .. 'wh:' .. id) > 0 then return 0 end
redis.call('SREM', p .. 'active', id)
redis.call('DEL', leaseKey)
redis.call('ZADD', p .. 'retired', redis.call('HGET', ck, 'endedAt') or 0, id)
return 1`,

  // ARGV: p, endedBefore, limit
  hopPurge: `
local p = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', p .. 'retired', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('DEL', p .. 'chat:' .. id, p .. 'req:' .. id, p .. 'vo:' .. id, p .. 'voids:' .. id, p .. 'wh:' .. id,
    p .. 'dead:' .. id)
  redis.call('ZREM', p .. 'retired', id)
end
return #ids`,
} as const

type ScriptName = keyof typeof SCRIPTS
type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>

export interface RedisStoreOptions {
  url: string
  keyPrefix: string
}

export class RedisStore implements HopStore {
  readonly kind = 'redis'
  private readonly redis: Redis
  private subscriber: Redis | undefined
  private readonly listeners: ((note: StoreNote) => void)[] = []
  private readonly p: string
  private readonly channel: string

  constructor(private readonly options: RedisStoreOptions) {
    this.p = options.keyPrefix
    this.channel = `${options.keyPrefix}notify`
    this.redis = new Redis(options.url, {
      enableAutoPipelining: true,
      maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
      connectTimeout: CONNECT_TIMEOUT_MS,
    })
    this.redis.on('error', () => {
      // Reported through the failing commands and /readyz; ioredis reconnects by itself.
    })
    for (const [name, source] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys: 0, lua: LUA_HELPERS + source })
    }
  }

  private script(name: ScriptName, ...args: (string | number)[]): Promise<unknown> {
    const runner = (this.redis as unknown as Record<ScriptName, ScriptRunner>)[name]
    return runner.call(this.redis, this.p, ...args)
  }

  private key(kind: string, chatId: string): string {
    return `${this.p}${kind}:${chatId}`
  }

  async ping(): Promise<void> {
    await this.redis.ping()
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.subscriber?.quit()])
    this.redis.disconnect()
    this.subscriber?.disconnect()
  }

  // Chats --------------------------------------------------------------------------------------------------

  async createChat(chat: NewChat, owner: string, leaseTtlMs: number): Promise<{ chat: ChatRecord; created: boolean }> {
    const items = chat.transcriptItems.map((text, index) =>
      JSON.stringify({ kind: 'transcript', messageId: `transcript:${index + 1}`, text })
    )
    const [created, chatId] = (await this.script(
      'hopCreateChat',
      chat.chatId,
      chat.tenant,
      chat.request.conversationId,
      chat.createdAt,
      JSON.stringify(chat.request),
      owner,
      leaseTtlMs,
      JSON.stringify(INITIAL_PUMP_STATE),
      chat.request.webhookUrl,
      items.length,
      ...items
    )) as [number, string]
    const record = await this.getChat(chatId)
    if (!record) throw new Error(`chat ${chatId} vanished right after it was created`)
    return { chat: record, created: created === 1 }
  }

  async getChat(chatId: string): Promise<ChatRecord | undefined> {
    const [fields, request] = await Promise.all([
      this.redis.hgetall(this.key('chat', chatId)),
      this.redis.get(this.key('req', chatId)),
    ])
    if (!fields.state || request === null) return undefined
    return {
      chatId,
      tenant: fields.tenant!,
      conversationId: fields.conversationId!,
      request: JSON.parse(request) as ChatRequest,
      state: fields.state as ChatRecord['state'],
      progress: JSON.parse(fields.progress ?? '{}') as ChatProgress,
      ...(fields.endReason ? { endReason: fields.endReason as EndReason } : {}),
      ...(fields.endDetail ? { endDetail: fields.endDetail } : {}),
      createdAt: Number(fields.createdAt),
      ...(fields.endedAt ? { endedAt: Number(fields.endedAt) } : {}),
    }
  }

  async requestEnd(chatId: string, reason: EndReason, at: number): Promise<EndResult> {
    const endItem = JSON.stringify({ kind: 'end', messageId: 'end', text: '' })
    return (await this.script(
      'hopRequestEnd',
      chatId,
      reason,
      at,
      JSON.stringify(endedEvent(reason, undefined, at)),
      endItem
    )) as EndResult
  }

  // Visitor outbox -----------------------------------------------------------------------------------------

  async enqueueVisitorMessage(
    chatId: string,
    messageId: string,
    text: string,
    tenant?: string
  ): Promise<EnqueueResult> {
    const item = JSON.stringify({ kind: 'message', messageId, text })
    return (await this.script('hopEnqueue', chatId, `m:${messageId}`, item, tenant ?? '')) as EnqueueResult
  }

  async readOutbox(chatId: string, afterPosition: number, limit: number): Promise<OutboxItem[]> {
    // List index = position - 1, so the items after `afterPosition` start at index `afterPosition`.
    const items = await this.redis.lrange(this.key('vo', chatId), afterPosition, afterPosition + limit - 1)
    return items.map((item) => JSON.parse(item) as OutboxItem)
  }

  async outboxLasts(chatIds: readonly string[]): Promise<Map<string, number>> {
    const values = await Promise.all(chatIds.map((id) => this.redis.hget(this.key('chat', id), 'outboxLast')))
    const result = new Map<string, number>()
    chatIds.forEach((id, index) => {
      const value = values[index]
      if (value !== null && value !== undefined) result.set(id, Number(value))
    })
    return result
  }

  // Pump ---------------------------------------------------------------------------------------------------

  async loadPumpState(chatId: string): Promise<PumpState> {
    const pump = await this.redis.hget(this.key('chat', chatId), 'pump')
    return pump ? (JSON.parse(pump) as PumpState) : { ...INITIAL_PUMP_STATE }
  }

  async savePumpState(chatId: string, owner: string, pump: PumpState): Promise<boolean> {
    return (await this.script('hopSavePump', chatId, owner, JSON.stringify(pump))) === 1
  }

  async commitBatch(chatId: string, owner: string, batch: PumpBatch): Promise<CommitResult> {
    const update = batch.state
    const result = (await this.script(
      'hopCommitBatch',
      chatId,
      owner,
      JSON.stringify(batch.pump),
      batch.progress ? JSON.stringify(batch.progress) : '',
      update?.state ?? '',
      update?.state === 'ended' ? update.endReason : '',
      update?.state === 'ended' ? (update.endDetail ?? '') : '',
      batch.at,
      batch.events.length,
      ...batch.events.map((event) => JSON.stringify(event))
    )) as [string, number?, ...number[]]
    if (result[0] === 'lease_lost') return { status: 'lease_lost' }
    const [, ended, ...seqs] = result
    return { status: 'ok', seqs, chatEnded: ended === 1 }
  }

  // Webhook outbox -----------------------------------------------------------------------------------------

  async dueWebhookChats(now: number, limit: number, owner?: string): Promise<string[]> {
    if (owner === undefined) return this.redis.zrangebyscore(`${this.p}whdue`, '-inf', now, 'LIMIT', 0, limit)
    return (await this.script('hopDueOwned', now, limit, owner)) as string[]
  }

  async webhookHead(chatId: string): Promise<WebhookHead | undefined> {
    const [head, fields] = await Promise.all([
      this.redis.lindex(this.key('wh', chatId), 0),
      this.redis.hmget(
        this.key('chat', chatId),
        'tenant',
        'conversationId',
        'webhookUrl',
        'whAttempts',
        'whFailingSince'
      ),
    ])
    const [tenant, conversationId, webhookUrl, attempts, failingSince] = fields
    if (!head || !tenant || !conversationId || !webhookUrl) return undefined
    return {
      chatId,
      tenant,
      conversationId,
      webhookUrl,
      event: JSON.parse(head) as StoredHopEvent,
      attempts: Number(attempts ?? 0),
      ...(failingSince ? { failingSince: Number(failingSince) } : {}),
    }
  }

  async ackWebhook(chatId: string, seq: number): Promise<void> {
    await this.script('hopAckWebhook', chatId, seq)
  }

  async failWebhook(chatId: string, seq: number, nextAttemptAt: number, now: number): Promise<void> {
    await this.script('hopFailWebhook', chatId, seq, nextAttemptAt, now)
  }

  async deadLetterWebhooks(chatId: string, _now: number): Promise<number> {
    return (await this.script('hopDeadLetter', chatId)) as number
  }

  async deadLetters(chatId: string): Promise<StoredHopEvent[]> {
    const items = await this.redis.lrange(this.key('dead', chatId), 0, -1)
    return items.map((item) => JSON.parse(item) as StoredHopEvent)
  }

  async pendingWebhookCount(chatId: string): Promise<number> {
    return this.redis.llen(this.key('wh', chatId))
  }

  // Leases -------------------------------------------------------------------------------------------------

  async acquireLeases(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    return (await this.script('hopAcquire', owner, ttlMs, limit)) as string[]
  }

  async reclaimLeases(owner: string, ttlMs: number): Promise<string[]> {
    return (await this.script('hopReclaim', owner, ttlMs)) as string[]
  }

  async renewLeases(owner: string, chatIds: readonly string[], ttlMs: number): Promise<string[]> {
    if (chatIds.length === 0) return []
    return (await this.script('hopRenew', owner, ttlMs, ...chatIds)) as string[]
  }

  async releaseLeases(owner: string, chatIds: readonly string[]): Promise<void> {
    if (chatIds.length === 0) return
    await this.script('hopRelease', owner, ...chatIds)
  }

  async leaseOwner(chatId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('lease', chatId))) ?? undefined
  }

  async retireChat(chatId: string, owner: string): Promise<boolean> {
    return (await this.script('hopRetire', chatId, owner)) === 1
  }

  async activeChatCount(): Promise<number> {
    return this.redis.scard(`${this.p}active`)
  }

  // Misc ---------------------------------------------------------------------------------------------------

  async rememberOnce(key: string, ttlMs: number, _now: number): Promise<boolean> {
    return (await this.redis.set(this.key('replay', key), '1', 'PX', ttlMs, 'NX')) === 'OK'
  }

  async purgeEnded(endedBefore: number, limit: number): Promise<number> {
    return (await this.script('hopPurge', endedBefore, limit)) as number
  }

  async publish(note: StoreNote): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(note))
  }

  subscribe(listener: (note: StoreNote) => void): void {
    this.listeners.push(listener)
    if (this.subscriber) return
    this.subscriber = new Redis(this.options.url, { connectTimeout: CONNECT_TIMEOUT_MS })
    this.subscriber.on('error', () => {
      // ioredis reconnects and re-subscribes; the periodic scans cover notes lost meanwhile.
    })
    this.subscriber.on('message', (_channel: string, message: string) => {
      let note: StoreNote
      try {
        note = JSON.parse(message) as StoreNote
      } catch {
        return
      }
      for (const listen of this.listeners) listen(note)
    })
    void this.subscriber.subscribe(this.channel).catch(() => undefined)
  }
}
