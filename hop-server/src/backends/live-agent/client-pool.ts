// One Live Agent client per (endpoint, API version), shared by every chat on it (one keep-alive pool per host),
// instrumented for the metrics: polls in flight, poll latency, and the 403 / 409 / 503 answers.
import type { Logger } from 'pino'
import type { HopMetrics } from '../../metrics.js'
import type { LiveAgentTarget } from '../../store/types.js'
import type { ButtonAvailability } from '../chat-backend.js'
import {
  LiveAgentClient,
  type CallOptions,
  type LiveAgentClientOptions,
  type PollParams,
  type PollResult,
  type SessionAuth,
} from './client.js'
import { LiveAgentHttpError } from './errors.js'
import type { ChasitorPost } from './posts.js'

const MS_PER_SECOND = 1000
const RECOVERY_STATUSES = new Set([403, 409, 503])

class InstrumentedClient extends LiveAgentClient {
  constructor(
    options: LiveAgentClientOptions,
    private readonly metrics: HopMetrics
  ) {
    super(options)
  }

  private countStatus(error: unknown): void {
    if (error instanceof LiveAgentHttpError && RECOVERY_STATUSES.has(error.status)) {
      this.metrics.liveAgentStatus.inc({ status: String(error.status) })
    }
  }

  override async messages(auth: SessionAuth, params: PollParams, options?: CallOptions): Promise<PollResult> {
    const started = performance.now()
    this.metrics.pollsInFlight.inc()
    let status = 'error'
    try {
      const result = await super.messages(auth, params, options)
      status = String(result.status)
      return result
    } catch (error) {
      this.countStatus(error)
      if (error instanceof LiveAgentHttpError) status = String(error.status)
      throw error
    } finally {
      this.metrics.pollsInFlight.dec()
      this.metrics.pollLatency.observe({ status }, (performance.now() - started) / MS_PER_SECOND)
    }
  }

  override async send(auth: SessionAuth, sequence: number, post: ChasitorPost, options?: CallOptions): Promise<void> {
    try {
      await super.send(auth, sequence, post, options)
    } catch (error) {
      this.countStatus(error)
      throw error
    }
  }

  override async resyncState(auth: SessionAuth, organizationId: string, options?: CallOptions): Promise<void> {
    try {
      await super.resyncState(auth, organizationId, options)
    } catch (error) {
      this.countStatus(error)
      throw error
    }
  }
}

export class LiveAgentClients {
  private readonly clients = new Map<string, LiveAgentClient>()

  constructor(
    private readonly metrics: HopMetrics,
    private readonly logger: Logger
  ) {}

  get(target: Pick<LiveAgentTarget, 'endpoint' | 'apiVersion'>): LiveAgentClient {
    const key = `${target.apiVersion} ${target.endpoint}`
    let client = this.clients.get(key)
    if (!client) {
      client = new InstrumentedClient(
        { endpoint: target.endpoint, apiVersion: target.apiVersion, logger: this.logger.child({ part: 'live-agent' }) },
        this.metrics
      )
      this.clients.set(key, client)
    }
    return client
  }

  async check(target: LiveAgentTarget): Promise<ButtonAvailability[]> {
    const ids = [target.buttonId, ...(target.buttonOverrides ?? []).filter((id) => !id.includes('_'))]
    const results = await this.get(target).availability({
      organizationId: target.organizationId,
      deploymentId: target.deploymentId,
      ids: [...new Set(ids)],
      needEstimatedWaitTime: true,
    })
    return results.map((result) => ({
      id: result.id,
      available: result.isAvailable,
      ...(result.estimatedWaitTime !== undefined && result.estimatedWaitTime >= 0
        ? { estimatedWaitTime: result.estimatedWaitTime }
        : {}),
    }))
  }

  close(): void {
    for (const client of this.clients.values()) client.close()
    this.clients.clear()
  }
}
