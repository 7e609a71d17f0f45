#!/usr/bin/env node
// npm run bench:mock-streams: N concurrent Enhanced Chat event streams held open against one mock process.
// The TypeScript sources, with no build step.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/streams/streams-cli.ts', import.meta.url))
