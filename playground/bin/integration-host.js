#!/usr/bin/env node
// The child process the playground runs the integration in (see src/integration-host/). Loads TypeScript through tsx.
import { register } from 'tsx/esm/api'

register()
await import('../src/integration-host/child.ts')
