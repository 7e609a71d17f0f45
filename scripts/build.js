// `npm run build`: builds every package that ships, in dependency order (a package's declarations must exist before
// a package that imports it is compiled against them). A new package that ships is one more entry here.
import { spawnSync } from 'node:child_process'

export const BUILD_ORDER = ['bridge-contract', 'mock-server', 'hop-server', 'contract-tests', 'integration']

for (const workspace of BUILD_ORDER) {
  const { status } = spawnSync('npm', ['run', 'build', '--workspace', workspace], { stdio: 'inherit' })
  if (status !== 0) {
    console.error(`build: ${workspace} failed`)
    process.exit(status ?? 1)
  }
}
