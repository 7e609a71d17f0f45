// `npm run build` in a publishable workspace: compiles src/ to dist/ (JavaScript and type declarations) with the
// package's tsconfig.build.json. dist/ is emptied first, so a file deleted from src/ cannot live on in a package.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

rmSync('dist', { recursive: true, force: true })
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
process.exit(status ?? 1)
