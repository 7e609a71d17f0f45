#!/usr/bin/env node
// Loads the TypeScript sources through tsx: the package has no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
