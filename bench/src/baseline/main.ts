// The naive baseline as a process: `node bench/bin/baseline.js` with BASELINE_PORT, BASELINE_TENANT and
// BASELINE_SECRET. Started by the bench; not a product.
import { NaiveBridge } from './naive-bridge.js'

const EXIT_USAGE = 2
const port = Number(process.env.BASELINE_PORT ?? '0')
const tenant = process.env.BASELINE_TENANT
const secret = process.env.BASELINE_SECRET
if (!Number.isInteger(port) || port < 0 || !tenant || !secret) {
  console.error('baseline: set BASELINE_PORT (a port), BASELINE_TENANT and BASELINE_SECRET.')
  process.exit(EXIT_USAGE)
}

const bridge = new NaiveBridge({ port, tenant, secret, log: (message) => console.error(message) })
const listening = await bridge.listen()
console.log(`http://127.0.0.1:${listening}`)

const stop = () => void bridge.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
