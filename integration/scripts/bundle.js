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
 * The request check's training (src/router/model/training-source.ts, which reads the corpus's tuning files from disk
 * outside the bundle): Botpress Cloud runs the bundle without our files, so the bundle carries those files' counts as
 * one global, by file name, made here by the router's own counting; a cold start then neither reads nor counts some
 * 2,500 sentences per locale, and the sentences themselves stay out of the bundle.
 */
const TRAINING_CORPUS_DIR = join(INTEGRATION_DIR, 'test/corpus')
const TRAINING_FILE = /^trigger\.[a-z]+\.tuning\.txt$/
const TRAINING_TEXTS_GLOBAL = 'globalThis.__ROUTER_TRAINING_TEXTS__'
const TRAINING_COUNTS_GLOBAL = 'globalThis.__ROUTER_TRAINING_COUNTS__'
/** The router's own counting, the one that runs at first use outside the bundle. */
const COUNTING_MODULE = join(INTEGRATION_DIR, 'src/router/model/bundled-counts.ts')

const trainingTexts = () =>
  Object.fromEntries(
    readdirSync(TRAINING_CORPUS_DIR)
      .filter((name) => TRAINING_FILE.test(name))
      .sort()
      .map((name) => [name, readFileSync(join(TRAINING_CORPUS_DIR, name), 'utf8')])
  )

/** The TypeScript counting module, built by esbuild for this process (no copy of the rule in this script). */
const loadCounting = async () => {
  const { outputFiles } = await build({
    entryPoints: [COUNTING_MODULE],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  })
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`)
}

/** The global training-source.ts reads in the bundle, as an esbuild `define` (the bundle test builds with it too). */
export async function trainingDefines() {
  const { countTrainingText } = await loadCounting()
  const counts = Object.entries(trainingTexts()).map(([name, text]) => [name, countTrainingText(name, text)])
  return { [TRAINING_COUNTS_GLOBAL]: JSON.stringify(Object.fromEntries(counts)) }
}

/** The sentences instead of their counts: only for timing training at first use (router-veto-backtest.ts `cold`). */
export function trainingTextDefines() {
  return { [TRAINING_TEXTS_GLOBAL]: JSON.stringify(trainingTexts()) }
}

/** How the CLI builds (bundle-command.ts), for the integration and for the router alone. */
const buildOptions = (define) => ({
  absWorkingDir: INTEGRATION_DIR,
  bundle: true,
  platform: 'node',
  target: 'es2020',
  format: 'cjs',
  // keepNames: the CLI sets it because bundled HTTP clients check constructor names (node-fetch#784).
  keepNames: true,
  minify: true,
  legalComments: 'none',
  conditions: [SOURCE_CONDITION],
  define,
  logLevel: 'warning',
  // training-source.ts reads import.meta.url only outside a bundle, which it knows by the inlined training.
  logOverride: { 'equals-negative-zero': 'silent', 'empty-import-meta': 'silent' },
})

export async function bundleIntegration(outDir = BUNDLE_DIR) {
  const outfile = join(outDir, 'index.js')
  mkdirSync(outDir, { recursive: true })
  // The bundle is CommonJS inside a "type": "module" package: this marker lets Node load it as such (tests, bp serve).
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n')
  await build({
    ...buildOptions(await trainingDefines()),
    stdin: { contents: ENTRY_STUB, resolveDir: INTEGRATION_DIR, loader: 'ts' },
    outfile,
  })
  return outfile
}

/**
 * The router alone (src/router/index.ts), built as the integration is, with the same training globals: what the
 * bundle test compares with the sources and scripts/router-veto-backtest.ts `cold` times. `define` replaces those
 * globals (the cold-start measure builds the form without the counts).
 */
export async function bundleRouter(outfile, define = undefined) {
  await build({
    ...buildOptions(define ?? (await trainingDefines())),
    entryPoints: [join(INTEGRATION_DIR, 'src/router/index.ts')],
    outfile,
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await bundleIntegration(process.argv[2])
  console.log(`integration bundle: ${outfile}`)
}
