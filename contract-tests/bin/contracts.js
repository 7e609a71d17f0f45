#!/usr/bin/env node
// contracts: tidy the pact files, publish them to a Pact Broker, ask it can-i-deploy (see README.md). Installed from
// a package it runs the compiled dist/ with plain Node; in a clone of the repository it runs the TypeScript sources.
import { existsSync } from 'node:fs'

const source = new URL('../src/main.ts', import.meta.url)
if (existsSync(source)) await (await import('../../scripts/run-source.js')).runSource(source)
else await import('../dist/main.js')
