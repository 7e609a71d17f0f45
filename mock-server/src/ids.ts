import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto'

const AFFINITY_BYTES = 4
const SIGNATURE_BYTES = 32
/** Messages offsets observed on real servers are large integers (§1.2); each session starts at a random base. */
const OFFSET_BASE_MIN = 100_000_000
const OFFSET_BASE_MAX = 1_900_000_000
const SALESFORCE_ID_TAIL = 12

export const newSessionId = (): string => randomUUID()

/** Same shape as the real key: `<session id>!<epoch ms>!<base64 signature>`; '/' is avoided so the key fits in a URL path. */
export function newSessionKey(sessionId: string): string {
  const signature = randomBytes(SIGNATURE_BYTES).toString('base64').replaceAll('/', '_')
  return `${sessionId}!${Date.now()}!${signature}`
}

export const newAffinityToken = (): string => randomBytes(AFFINITY_BYTES).toString('hex')

export const newOffsetBase = (): number => randomInt(OFFSET_BASE_MIN, OFFSET_BASE_MAX)

/** A stable, well-formed 15-character user id (prefix 005) derived from an agent name. */
export function agentUserId(agentName: string): string {
  const digest = createHash('sha256')
    .update(agentName)
    .digest('base64')
    .replace(/[^0-9A-Za-z]/g, '')
  return `005${digest.slice(0, SALESFORCE_ID_TAIL).padEnd(SALESFORCE_ID_TAIL, '0')}`
}
