#!/usr/bin/env node
// npm run bench: load and latency run over the real processes, side by side with the naive baseline.
// The TypeScript sources, with no build step.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/cli/bench-cli.ts', import.meta.url))
