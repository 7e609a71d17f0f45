// `npm start` runs the playground once it exists; until then it says so and fails honestly.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const playgroundEntry = new URL('../playground/bin/playground.js', import.meta.url)
if (!existsSync(playgroundEntry)) {
  console.error(
    'npm start will run the playground: the mock Live Agent, the hop server, the integration and a web chat with a demo bot.\n' +
      'The playground is not built yet (see the playground issue), so there is nothing to start.'
  )
  process.exit(1)
}
const result = spawnSync(process.execPath, [playgroundEntry.pathname, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
