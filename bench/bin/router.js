#!/usr/bin/env node
// The trigger router's cost per message, over the labelled corpus (npm run bench:router).
import { register } from 'tsx/esm/api'

register()
await import('../src/router/router-bench.ts')
