#!/usr/bin/env node
// npm run bench:mock-streams: N concurrent Enhanced Chat event streams held open against one mock process.
// TypeScript is loaded through tsx; there is no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/streams/streams-cli.ts')
