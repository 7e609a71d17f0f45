#!/usr/bin/env node
// The bench's webhook receiver, in its own process so that its arrival timestamps do not wait on the driver.
import { runSource } from '../../scripts/run-source.js'

await runSource(new URL('../src/receiver/main.ts', import.meta.url))
