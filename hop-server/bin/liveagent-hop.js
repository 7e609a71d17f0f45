#!/usr/bin/env node
// liveagent-hop: the hop server as a long-running service. Configuration comes from environment variables
// (see README.md); TypeScript is loaded through tsx, there is no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
