#!/usr/bin/env node
// npm run chaos: kill -9, restarts, injected Live Agent faults and a replica loss during a run.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/cli/chaos-cli.ts', import.meta.url))
