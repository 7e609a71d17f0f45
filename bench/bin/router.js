#!/usr/bin/env node
// The trigger router's cost per message, over the labelled corpus (npm run bench:router).
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/router/router-bench.ts', import.meta.url))
