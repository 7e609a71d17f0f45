#!/usr/bin/env node
// `npm start` runs this (through scripts/start.js): the TypeScript sources, with no build step.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/cli.ts', import.meta.url))
