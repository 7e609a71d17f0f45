// A v1 signature still verifies when HOP_ACCEPT_V1_SIGNATURES is set, but it is deprecated: say so in the log,
// once per tenant per interval, so an operator sees which tenants still need to upgrade without a line per request.
import type { Logger } from 'pino'

const NOTICE_INTERVAL_MS = 10 * 60_000

export class LegacySignatureNotice {
  private readonly lastNotice = new Map<string, number>()

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = NOTICE_INTERVAL_MS
  ) {}

  used(tenant: string, now = Date.now()): void {
    const last = this.lastNotice.get(tenant)
    if (last !== undefined && now - last < this.intervalMs) return
    this.lastNotice.set(tenant, now)
    this.logger.warn(
      { tenant },
      'deprecated v1 signature accepted (HOP_ACCEPT_V1_SIGNATURES): upgrade this tenant to v2 signatures; v1 does not cover the method, path or query'
    )
  }
}
