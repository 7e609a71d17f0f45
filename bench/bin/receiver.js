#!/usr/bin/env node
// The bench's webhook receiver, in its own process so that its arrival timestamps do not wait on the driver.
import { register } from 'tsx/esm/api'

register()
await import('../src/receiver/main.ts')
