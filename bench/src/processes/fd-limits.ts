// Open-file limits. Every open chat costs the hop server one socket to Live Agent (and the mock one socket too),
// so 10,000 chats need well over 10,000 descriptors per process. Node cannot call setrlimit, so children that need
// more than the current soft limit are started through `sh -c 'ulimit -n N; exec …'` (same pid after exec).
import { execFileSync } from 'node:child_process'

export interface FdLimits {
  soft: number
  hard: number
}

const UNLIMITED = Number.MAX_SAFE_INTEGER

function parseLimit(text: string): number {
  const value = text.trim()
  return value === 'unlimited' ? UNLIMITED : Number(value)
}

export function currentFdLimits(): FdLimits {
  const [soft = '1024', hard = '1024'] = execFileSync('/bin/sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' })
    .trim()
    .split('\n')
  return { soft: parseLimit(soft), hard: parseLimit(hard) }
}

/** Descriptors a process needs for `chats` open chats: sockets per chat plus a fixed reserve (files, listeners). */
export function fdsNeeded(chats: number, socketsPerChat: number): number {
  const RESERVE = 1024
  return Math.ceil(chats * socketsPerChat) + RESERVE
}

/** The limit to ask for: what is needed, within the hard limit. `granted < needed` means the run may hit EMFILE. */
export function planFdLimit(needed: number, limits: FdLimits = currentFdLimits()): { granted: number; raise: boolean } {
  const granted = Math.min(Math.max(needed, limits.soft), limits.hard)
  return { granted, raise: granted > limits.soft }
}
