// `npm run chaos`: two parts, each a full load run under disturbance.
// 1. crash: one hop server on SQLite, kill -9 at random moments and restarted each time, while the mock injects
//    503 hand-overs, connection resets, 500s and delays.
// 2. replicas: two hop servers sharing a real redis-server, the same faults, and one replica killed for good:
//    the other takes its chats over when the leases expire.
// Every accepted message must arrive exactly once and in order both ways, and the mock must see no 409.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { REDIS_SERVER, requireProgram } from '../../../test-support/system-programs.js'
import { JsonClient } from '../http/json-client.js'
import { EnhancedAdmin } from '../http/enhanced-admin.js'
import { MockAdmin } from '../http/mock-admin.js'
import { TargetApi, type RetryPolicy } from '../http/target-api.js'
import type { ManagedProcess } from '../processes/child.js'
import { freePort } from '../processes/ports.js'
import { startHop, startMock, startRedis, type HopOptions } from '../processes/services.js'
import { ReceiverProcess } from '../receiver/receiver-process.js'
import { chatTargetFor, DEFAULT_BACKEND, type BackendName } from './backend.js'
import {
  enhancedChatFaults,
  FaultInjector,
  Killer,
  liveAgentFaults,
  type Killable,
  type KillRecord,
} from './chaos-monkey.js'
import { expectedEndReason, Ledger, type ChatLedger, type EndBy } from './ledger.js'
import { LoadRun } from './load-run.js'
import { machineInfo, type MachineInfo } from './machine.js'
import { countBy } from './target-run.js'
import { integrityProblems, verify, type Integrity } from './verify.js'

export interface ChaosOptions {
  /** The Salesforce backend the chats use (default live-agent). */
  backend?: BackendName
  chats: number
  messages: number
  thinkMs: readonly [number, number]
  kills: number
  holdMs: number
  faultEveryMs: number
  /** How long a killed hop server stays down before it is restarted. */
  downMs: readonly [number, number]
  parts: ChaosPartName[]
  /** The side that ends a chat does not wait for the other side's last message (see LoadRunOptions.readBeforeEnd). */
  endUnread: boolean
  outDir: string
  progress: boolean
}

export type ChaosPartName = 'crash' | 'replicas'

export interface ChaosPartResult {
  part: ChaosPartName
  chats: { requested: number; created: number; completed: number; endReasons: Record<string, number> }
  messages: { visitorToAgent: Integrity['visitorToAgent']; agentToVisitor: Integrity['agentToVisitor'] }
  lost: number
  duplicated: number
  reordered: number
  conflicts409: number
  /** Everything that must be 0: the above plus seq gaps, conflicting redeliveries, chat.ended not last. */
  integrityProblems: number
  integrity: Integrity
  kills: KillRecord[]
  faultsInjected: Record<string, number>
  mockViolations: Record<string, number>
  apiRetries: Record<string, number>
  failures: Record<string, number>
  receiverRejected: number
  /** The first chats that did not end as planned: id, mock session, how they ended, what failed. */
  incomplete: string[]
  durationMs: number
}

const MAX_LISTED = 20

export interface ChaosResults {
  kind: 'chaos'
  backend: BackendName
  startedAt: string
  finishedAt: string
  machine: MachineInfo
  options: ChaosOptions
  parts: ChaosPartResult[]
  /** True when every part has no lost, duplicated or reordered message and no 409. */
  passed: boolean
}

const TENANT = 'chaos'
/** Enhanced Chat: every TOKEN_EXPIRY_EVERY-th chat ends by its guest token expiring (the hop server ends it). */
const TOKEN_EXPIRY_EVERY = 10
/** A client of a crashing server keeps trying for a while (the integration would, through Botpress retries). */
const CHAOS_RETRY: RetryPolicy = { budgetMs: 120_000, firstDelayMs: 100, maxDelayMs: 2_000 }
/** Short leases so the surviving replica takes over within seconds. */
const REPLICA_LEASES = { HOP_LEASE_TTL_MS: '4000', HOP_LEASE_RENEW_MS: '1000', HOP_LEASE_SCAN_MS: '500' }
/** A kill, its downtime and the restart (tsx start-up included) fit in this gap. */
const MIN_KILL_GAP_MS = 4_000
/** Room for randomness: the kill window is at least this many times the kills' minimum spacing. */
const KILL_WINDOW_SLACK = 1.5

/**
 * The exchange lasts about messages × 2 × mean think time; kills are spread over 80 % of that, or over a longer
 * window when the kills need it (the chats then wait, open, for the last kill before they end).
 */
function exchangeWindowMs(options: ChaosOptions): number {
  const meanThink = (options.thinkMs[0] + options.thinkMs[1]) / 2
  return Math.max(KILL_WINDOW_SLACK * MIN_KILL_GAP_MS * options.kills, 0.8 * options.messages * 2 * meanThink)
}

export async function runChaos(
  options: ChaosOptions,
  note: (message: string) => void = () => {}
): Promise<ChaosResults> {
  // The replicas part needs redis-server: say so now, not after the crash part has run for minutes.
  if (options.parts.includes('replicas')) requireProgram(REDIS_SERVER)
  const startedAt = new Date().toISOString()
  const parts: ChaosPartResult[] = []
  for (const part of options.parts) {
    note(`chaos ${part}: ${options.chats} chats, ${options.messages} messages each way`)
    parts.push(await runPart(part, options, note))
  }
  return {
    kind: 'chaos',
    backend: options.backend ?? DEFAULT_BACKEND,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    options,
    parts,
    // Every chat must also end as planned and every send get through: otherwise the run checked less than it says.
    passed: parts.every(
      (part) =>
        part.integrityProblems === 0 &&
        part.conflicts409 === 0 &&
        part.chats.completed === part.chats.requested &&
        Object.keys(part.failures).length === 0
    ),
  }
}

async function runPart(part: ChaosPartName, options: ChaosOptions, note: (message: string) => void) {
  const started = Date.now()
  const outDir = join(options.outDir, part)
  const logDir = join(outDir, 'logs')
  mkdirSync(logDir, { recursive: true })
  const secret = randomBytes(24).toString('hex')
  const ledger = new Ledger()
  const http = new JsonClient({ maxSockets: 512 })
  const stoppers: (() => Promise<void>)[] = []
  try {
    const mock = await startMock({ logDir, holdMs: options.holdMs, lenient: false })
    stoppers.push(() => mock.process.stop())
    const backend = options.backend ?? DEFAULT_BACKEND
    const liveAgentAdmin = backend === 'live-agent' ? new MockAdmin(mock.url) : undefined
    const enhancedAdmin = backend === 'enhanced-chat' ? new EnhancedAdmin(mock.url) : undefined
    const admin = (liveAgentAdmin ?? enhancedAdmin)!
    stoppers.push(async () => admin.close())
    const receiver = await ReceiverProcess.start({
      logDir,
      tenant: TENANT,
      secret,
      onDeliveries: (deliveries) => ledger.record(deliveries),
    })
    stoppers.push(() => receiver.stop())

    const replicas = part === 'replicas' ? 2 : 1
    let store: (index: number) => HopOptions['store']
    if (part === 'replicas') {
      const redisPort = await freePort()
      const redis = await startRedis(logDir, redisPort)
      stoppers.push(() => redis.stop())
      store = (index) => ({ kind: 'redis', url: `redis://127.0.0.1:${redisPort}`, replicaId: `replica-${index}` })
    } else {
      const dataDir = join(outDir, 'hop-data')
      mkdirSync(dataDir, { recursive: true })
      store = () => ({ kind: 'sqlite', dataDir })
    }
    const hops: HopHandle[] = []
    for (let index = 0; index < replicas; index++) {
      const hop = new HopHandle({
        name: replicas > 1 ? `hop-${index}` : 'hop',
        logDir,
        port: await freePort(),
        tenant: TENANT,
        secret,
        store: store(index),
        env: { HOP_LOG_LEVEL: 'info', ...(part === 'replicas' ? REPLICA_LEASES : {}) },
      })
      await hop.restart()
      stoppers.push(() => hop.stop())
      hops.push(hop)
    }
    const urls = hops.map((hop) => hop.url)
    // Chat i talks to replica i mod n first, and fails over to the others.
    const apis = urls.map(
      (_, index) => new TargetApi([...urls.slice(index), ...urls.slice(0, index)], TENANT, secret, http, CHAOS_RETRY)
    )

    const liveChats = (): ChatLedger[] =>
      ledger.chats.filter((chat) => chat.sessionId && chat.joinedAt !== undefined && !chat.ended)
    const faults = new FaultInjector(
      enhancedAdmin
        ? enhancedChatFaults(enhancedAdmin, liveChats, () => ledger.counts.visitorSent + ledger.counts.agentSent)
        : liveAgentFaults(liveAgentAdmin!, liveChats),
      options.faultEveryMs
    )
    const killer =
      part === 'crash'
        ? new Killer(options.kills, exchangeWindowMs(options), MIN_KILL_GAP_MS, options.downMs, () => hops[0]!, note)
        : new Killer(1, exchangeWindowMs(options) / 2, MIN_KILL_GAP_MS, options.downMs, () => hops[0]!.forGood(), note)

    const run: LoadRun = new LoadRun({
      label: `chaos ${part}`,
      chats: options.chats,
      messages: options.messages,
      thinkMs: options.thinkMs,
      rampPerSec: Math.max(50, options.chats / 5),
      idleMs: 0,
      runTag: `${part[0]}${randomBytes(3).toString('hex')}`,
      webhookUrl: receiver.url,
      targetFor: chatTargetFor(backend, mock.url),
      ...(enhancedAdmin ? { endByFor: enhancedEndBy, expireToken: (id: string) => enhancedAdmin.expireToken(id) } : {}),
      apiFor: (index) => apis[index % apis.length]!,
      admin,
      ledger,
      joinTimeoutMs: 90_000,
      endTimeoutMs: 120_000,
      readBeforeEnd: !options.endUnread,
      progress: options.progress,
      hooks: {
        beforeRamp: () => faults.start(),
        beforeExchange: () => killer.start(),
        afterExchange: async () => {
          await killer.done()
        },
        afterEnd: () => faults.stop(),
      },
    })
    const outcome = await run.run()
    const receiverStats = await receiver.stats()
    const { integrity } = verify(ledger.chats, outcome.mockChats, ledger.strayDeliveries)
    const directions = [integrity.visitorToAgent, integrity.agentToVisitor]
    const sum = (pick: (d: Integrity['visitorToAgent']) => number) =>
      directions.reduce((total, d) => total + pick(d), 0)
    return {
      part,
      chats: {
        requested: options.chats,
        created: ledger.counts.created,
        completed: ledger.chats.filter((chat) => chat.ended?.reason === expectedEndReason(chat)).length,
        endReasons: countBy(ledger.chats.map((chat) => chat.ended?.reason ?? 'not ended')),
      },
      messages: { visitorToAgent: integrity.visitorToAgent, agentToVisitor: integrity.agentToVisitor },
      lost: sum((d) => d.lost),
      duplicated: sum((d) => d.duplicated),
      reordered: sum((d) => d.reordered),
      conflicts409: outcome.mockStats.conflicts409,
      integrityProblems: integrityProblems(integrity),
      integrity,
      kills: killer.kills,
      faultsInjected: faults.injected,
      mockViolations: countBy(outcome.mockStats.violations.map((violation) => violation.rule)),
      apiRetries: Object.fromEntries(apis.flatMap((api) => [...api.retries])),
      failures: outcome.failures,
      receiverRejected: receiverStats.rejected,
      incomplete: ledger.chats
        .filter((chat) => chat.ended?.reason !== expectedEndReason(chat))
        .slice(0, MAX_LISTED)
        .map(
          (chat) =>
            `${chat.chatId ?? chat.conversationId} (mock ${chat.sessionId ?? '?'}): ended ${chat.ended?.reason ?? 'never'}, ` +
            `expected ${expectedEndReason(chat)}${chat.failures.length > 0 ? `; ${chat.failures.join('; ')}` : ''}`
        ),
      durationMs: Date.now() - started,
    } satisfies ChaosPartResult
  } finally {
    http.close()
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined)
  }
}

/** Enhanced Chat chaos: some chats end by token expiry, the others alternate visitor and agent as for Live Agent. */
function enhancedEndBy(index: number): EndBy {
  if (index % TOKEN_EXPIRY_EVERY === TOKEN_EXPIRY_EVERY - 1) return 'token-expiry'
  return index % 2 === 0 ? 'visitor' : 'agent'
}

/** One hop server process that can be killed and started again on the same port and store. */
class HopHandle implements Killable {
  private process: ManagedProcess | undefined
  readonly url: string

  constructor(private readonly options: HopOptions) {
    this.url = `http://127.0.0.1:${options.port}`
  }

  get name(): string {
    return this.options.name
  }

  async crash(): Promise<void> {
    await this.process?.crash()
  }

  async restart(): Promise<void> {
    this.process = await startHop(this.options)
  }

  /** The same process, but a kill is not followed by a restart. */
  forGood(): Killable {
    return { name: this.name, crash: () => this.crash() }
  }

  async stop(): Promise<void> {
    await this.process?.stop()
  }
}
