// One Live Agent client per (endpoint, API version), shared by every chat on it (one keep-alive pool per host),
// instrumented for the metrics: polls in flight, poll latency, and the 403 / 409 / 503 answers.
import type { Logger } from 'pino'
import type { HopMetrics } from '../../metrics.js'
import type { LiveAgentTarget } from '../../store/types.js'
import type { ButtonAvailability } from '../chat-backend.js'
import { LiveAgentClient, type LiveAgentClientObserver } from './client.js'

const RECOVERY_STATUSES = new Set([403, 409, 503])

/** The metrics, fed from each request's callback (no wrapper frame around every poll). */
function metricsObserver(metrics: HopMetrics): LiveAgentClientObserver {
  return {
    pollStarted: () => metrics.pollsInFlight.inc(),
    pollSettled: (status, seconds) => {
      metrics.pollsInFlight.dec()
      metrics.pollLatency.observe({ status: status === undefined ? 'error' : String(status) }, seconds)
    },
    answered: (status) => {
      if (RECOVERY_STATUSES.has(status)) metrics.liveAgentStatus.inc({ status: String(status) })
    },
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
      client = new LiveAgentClient({
        endpoint: target.endpoint,
        apiVersion: target.apiVersion,
        logger: this.logger.child({ part: 'live-agent' }),
        observer: metricsObserver(this.metrics),
      })
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
