// Messages between the bench driver and its webhook receiver process (over the child_process IPC channel).

/** One verified delivery, duplicates included. */
export interface Delivery {
  chatId: string
  seq: number
  type: string
  /** agent.message text */
  text?: string
  /** chat.ended reason */
  reason?: string
  /** Date.now() in the receiver when the whole request had arrived. */
  receivedAt: number
}

export interface ReceiverStats {
  deliveries: number
  /** Requests refused for a bad signature (must stay 0). */
  rejected: number
  /** Signed requests whose body is not a contract event (must stay 0). */
  malformed: number
  /** Event-loop delay of the receiver, ms: how late an arrival time can be. */
  loopDelayMs: { p50: number; p99: number; max: number }
}

export type ToDriver =
  | { type: 'ready'; url: string }
  | { type: 'deliveries'; deliveries: Delivery[] }
  | { type: 'stats'; stats: ReceiverStats }

export type ToReceiver = { type: 'stats' } | { type: 'flush' }
