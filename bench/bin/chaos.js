#!/usr/bin/env node
// npm run chaos: kill -9, restarts, injected Live Agent faults and a replica loss during a run.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/chaos-cli.ts')
