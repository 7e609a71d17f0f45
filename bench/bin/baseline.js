#!/usr/bin/env node
// The naive peer bridge (one poll loop per chat, no keep-alive, ack counted per poll), run as its own process.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/baseline/main.ts', import.meta.url))
