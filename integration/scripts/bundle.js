// `npm run build -w integration`: the production bundle Botpress Cloud runs, made the way the Botpress CLI's
// `bp build` / `bp bundle` makes it: esbuild, one CommonJS file, from a stub that re-exports the integration as the
// default export and its `handler` (the SDK's HTTP dispatcher) as `handler`; platform node, target es2020,
// keepNames, minified (the CLI's default), no legal comments. It is written where the CLI writes it,
// .botpress/dist/index.js, which `bp deploy --noBuild` uploads (see hub.md).
import { build } from 'esbuild'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const INTEGRATION_DIR = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE_DIR = fileURLToPath(new URL('../.botpress/dist/', import.meta.url))

/** The CLI's entry stub (bundle-command.ts in botpress/botpress packages/cli). */
const ENTRY_STUB = "import x from './src/index'; export default x; export const handler = x.handler;"
/** Sibling workspace packages (@liveagent-hop/*) are bundled from their sources, so no build order matters here. */
const SOURCE_CONDITION = 'liveagent-hop-source'

/**
 * The request check's training sentences (src/router/model/training-source.ts, which reads the same files from disk
 * outside the bundle): inlined as one global, by file name, since Botpress Cloud runs the bundle without our files.
 */
const TRAINING_CORPUS_DIR = join(INTEGRATION_DIR, 'test/corpus')
const TRAINING_FILE = /^trigger\.[a-z]+\.tuning\.txt$/
const TRAINING_TEXTS_GLOBAL = 'globalThis.__ROUTER_TRAINING_TEXTS__'

const trainingTexts = () =>
  Object.fromEntries(
    readdirSync(TRAINING_CORPUS_DIR)
      .filter((name) => TRAINING_FILE.test(name))
      .sort()
      .map((name) => [name, readFileSync(join(TRAINING_CORPUS_DIR, name), 'utf8')])
  )

export async function bundleIntegration(outDir = BUNDLE_DIR) {
  const outfile = join(outDir, 'index.js')
  mkdirSync(outDir, { recursive: true })
  // The bundle is CommonJS inside a "type": "module" package: this marker lets Node load it as such (tests, bp serve).
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n')
  await build({
    stdin: { contents: ENTRY_STUB, resolveDir: INTEGRATION_DIR, loader: 'ts' },
    absWorkingDir: INTEGRATION_DIR,
    outfile,
    bundle: true,
    platform: 'node',
    target: 'es2020',
    format: 'cjs',
    // keepNames: the CLI sets it because bundled HTTP clients check constructor names (node-fetch#784).
    keepNames: true,
    minify: true,
    legalComments: 'none',
    conditions: [SOURCE_CONDITION],
    define: { [TRAINING_TEXTS_GLOBAL]: JSON.stringify(trainingTexts()) },
    logLevel: 'warning',
    // training-source.ts reads import.meta.url only when the texts are not inlined, which they are here.
    logOverride: { 'equals-negative-zero': 'silent', 'empty-import-meta': 'silent' },
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await bundleIntegration(process.argv[2])
  console.log(`integration bundle: ${outfile}`)
}
