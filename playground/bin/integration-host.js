#!/usr/bin/env node
// The child process the playground runs the integration in (see src/integration-host/), from the TypeScript sources.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/integration-host/child.ts', import.meta.url))
