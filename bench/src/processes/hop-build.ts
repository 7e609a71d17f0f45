// The hop server as production runs it: compiled by tsc with the package's own tsconfig.build.json (what
// `npm run build -w hop-server` does), laid out as npm installs it (package.json, bin/, dist/ in
// node_modules/@liveagent-hop/hop-server, its bridge-contract dependency beside it), and started through its bin,
// which runs dist/ with plain Node when there is no src/. The build goes to a cache folder under the repository's
// node_modules, never to the packages' own dist/ (the pack smoke test rebuilds those), and its third-party
// dependencies resolve from the repository's node_modules, as they would from an install.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { liveChildren } from './live-children.js'
import { installedPackage } from './workspace.js'

/** How the bench starts the hop server: the compiled build (default, as in production) or the TypeScript sources. */
export type HopRunsFrom = 'compiled' | 'source'

export class HopBuildError extends Error {}

/** One package to compile: its folder (with src/ and tsconfig.build.json) and its name under node_modules. */
export interface BuildPackage {
  name: string
  dir: string
}

export interface HopBuildOptions {
  /** The folder that gets node_modules/<package name>/… (emptied first). */
  outRoot: string
  /** In dependency order: a package's declarations must exist before a package importing it is compiled. */
  packages?: BuildPackage[]
  progress?: (line: string) => void
}

const SHIPPED_FILES = ['package.json', 'bin']
const BUILD_CONFIG = 'tsconfig.bench-build.json'
const MAX_ERROR_CHARS = 300
/** tsc holds no state worth a long wait: a stop kills it soon. */
const TSC_STOP_GRACE_MS = 1000

export const HOP_BUILD_PACKAGES = (): BuildPackage[] =>
  ['@liveagent-hop/bridge-contract', '@liveagent-hop/hop-server'].map((name) => ({
    name,
    dir: installedPackage(name).dir,
  }))

/** The default build folder: node_modules/.cache/liveagent-hop-bench of the repository (git-ignored). */
export const defaultHopBuildRoot = (): string =>
  join(installedPackage('@liveagent-hop/hop-server').nodeModules, '.cache', 'liveagent-hop-bench', 'build')

/** Compiles the packages into `outRoot` and returns the hop server's bin there. Throws HopBuildError. */
export async function buildHop(options: HopBuildOptions): Promise<string> {
  const packages = options.packages ?? HOP_BUILD_PACKAGES()
  const progress = options.progress ?? (() => {})
  rmSync(options.outRoot, { recursive: true, force: true })
  const installed = (name: string) => join(options.outRoot, 'node_modules', name)
  const declarations: Record<string, string[]> = {}
  for (const pkg of packages) {
    const target = installed(pkg.name)
    mkdirSync(target, { recursive: true })
    progress(`building ${pkg.name} (tsc -p tsconfig.build.json) into ${target}`)
    const started = Date.now()
    writeFileSync(join(target, BUILD_CONFIG), JSON.stringify(buildConfig(pkg.dir, target, declarations), null, 2))
    await tsc(join(target, BUILD_CONFIG), pkg.name)
    progress(`built ${pkg.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    rmSync(join(target, BUILD_CONFIG))
    for (const file of SHIPPED_FILES) {
      if (existsSync(join(pkg.dir, file))) cpSync(join(pkg.dir, file), join(target, file), { recursive: true })
    }
    // A dependency npm nested in the package (another version than the root's) stays the one it resolves.
    if (existsSync(join(pkg.dir, 'node_modules')))
      symlinkSync(join(pkg.dir, 'node_modules'), join(target, 'node_modules'))
    declarations[pkg.name] = [join(target, 'dist', 'index.d.ts')]
  }
  const hop = packages.at(-1)!
  return join(installed(hop.name), 'bin', 'liveagent-hop.js')
}

/** The package's own build config, with the output and the sibling packages' declarations moved to `target`. */
function buildConfig(dir: string, target: string, declarations: Record<string, string[]>) {
  return {
    extends: join(dir, 'tsconfig.build.json'),
    compilerOptions: { rootDir: join(dir, 'src'), outDir: join(target, 'dist'), paths: declarations },
    include: [join(dir, 'src', '**', '*.ts')],
  }
}

function tsc(config: string, name: string): Promise<void> {
  const compiler = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiler, '-p', config], { stdio: ['ignore', 'pipe', 'pipe'] })
    liveChildren.add({ name: `tsc (${name})`, child, graceMs: TSC_STOP_GRACE_MS })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', (error) => reject(new HopBuildError(`the build of ${name} could not start: ${error.message}`)))
    child.once('close', (code) => {
      if (code === 0) return resolve()
      const first = output.split('\n').find((line) => line.trim() !== '') ?? 'no output'
      reject(new HopBuildError(`the build of ${name} failed (tsc exit ${code}): ${first.slice(0, MAX_ERROR_CHARS)}`))
    })
  })
}
