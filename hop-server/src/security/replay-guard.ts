// Each signature is accepted once. The key is the signature itself: a v2 signature covers the tenant, method, path
// and query as sent, timestamp and body, so the same request anywhere else carries a different signature (and a
// forged one does not verify). A v1 signature covers timestamp and body only; keyed on the signature alone, it
// cannot be reused on another path or chat either, only the first use counts.
//
// Where the keys live, and why not only in memory: a memory of this process alone would let a replay through on
// another replica (Redis) or after a restart within the window. So the store keeps them, without a durable write of
// their own per request: SQLite answers from its table at once and writes the key in the same group commit as the
// action the request then queues (a 202 means both are durable; one process owns the file, so it sees every key);
// Redis answers with one auto-pipelined `SET NX PX`, atomic across replicas, so two replicas given the same request
// at the same moment cannot both accept it, which a key written later with the action could not promise.
import type { HopStore } from '../store/types.js'

/** Keys live a little longer than the window, so a request at the edge of the window is still caught. */
const REPLAY_TTL_FACTOR = 2

export class ReplayGuard {
  constructor(
    private readonly store: Pick<HopStore, 'rememberOnce'>,
    private readonly windowMs: number
  ) {}

  /** True the first time this tenant's signature is seen within the window, false for a replay. */
  firstUse(tenant: string, signature: string, now = Date.now()): Promise<boolean> {
    return this.store.rememberOnce(`sig:${tenant}:${signature}`, this.windowMs * REPLAY_TTL_FACTOR, now)
  }
}
