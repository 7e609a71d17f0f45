#!/usr/bin/env node
// liveagent-mock: the Salesforce chat simulator. Installed from a package it runs the compiled dist/ with plain Node;
// in a clone of the repository, where src/ is (the package does not ship it), it runs the TypeScript sources, so
// that no build is needed there.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli.ts', import.meta.url)
if (existsSync(source)) await (await import('../../scripts/run-source.js')).runSource(source)
else await import('../dist/cli.js')
