#!/usr/bin/env node
// npm run bench: load and latency run over the real processes, side by side with the naive baseline.
// TypeScript is loaded through tsx; there is no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/bench-cli.ts')
