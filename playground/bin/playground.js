#!/usr/bin/env node
// `npm start` runs this (through scripts/start.js). Loads the TypeScript sources through tsx: there is no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
