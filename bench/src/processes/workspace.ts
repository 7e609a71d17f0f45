// Finds the bins of the sibling workspace packages the way npm installed them (node_modules/@liveagent-hop/*),
// so the bench starts exactly what a user would run with `npx liveagent-hop` / `npx liveagent-mock`.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bench package's own folder (bench/). */
export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where npm installed a workspace package: the node_modules folder holding it, and the package's real folder. */
export function installedPackage(packageName: string): { nodeModules: string; dir: string } {
  let dir = BENCH_DIR
  for (;;) {
    const manifest = join(dir, 'node_modules', packageName, 'package.json')
    if (existsSync(manifest)) return { nodeModules: join(dir, 'node_modules'), dir: dirname(realpathSync(manifest)) }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`${packageName} is not installed (run npm ci at the repository root)`)
    dir = parent
  }
}

export function packageBin(packageName: string, binName: string): string {
  const manifest = join(installedPackage(packageName).dir, 'package.json')
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> | string }
  const relative = typeof bin === 'string' ? bin : bin?.[binName]
  if (!relative) throw new Error(`${packageName} declares no bin named ${binName}`)
  return join(dirname(manifest), relative)
}

export const benchBin = (name: 'baseline' | 'receiver') => join(BENCH_DIR, 'bin', `${name}.js`)
