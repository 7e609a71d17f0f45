// Where the pact files go: contract-tests/pacts/ (build output, git-ignored). The consumer suites write there and
// the provider suites read from there, so `npm test` deletes it first (pact files merge, they are never replaced).
import { fileURLToPath } from 'node:url'

export const PACT_DIR = fileURLToPath(new URL('../pacts/', import.meta.url))

/** The file PactV4 writes for a consumer/provider pair. */
export function pactFile(consumer: string, provider: string): string {
  return `${PACT_DIR}${consumer}-${provider}.json`
}

/** Rust core log level of the mock servers and verifiers (`PACT_LOG_LEVEL=debug npm test` to see everything). */
export function pactLogLevel(): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  const level = process.env.PACT_LOG_LEVEL
  const known = ['trace', 'debug', 'info', 'warn', 'error'] as const
  return known.find((k) => k === level) ?? 'error'
}
