#!/usr/bin/env node
// The naive peer bridge (one poll loop per chat, no keep-alive, ack counted per poll), run as its own process.
import { register } from 'tsx/esm/api'

register()
await import('../src/baseline/main.ts')
