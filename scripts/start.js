// `npm start`: runs the playground (mock Live Agent, hop server, integration, local Botpress, web chat).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const playground = fileURLToPath(new URL('../playground/bin/playground.js', import.meta.url))
const child = spawn(process.execPath, [playground, ...process.argv.slice(2)], { stdio: 'inherit' })

// Forward stop signals so the playground shuts every process down itself, whoever sent them.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
