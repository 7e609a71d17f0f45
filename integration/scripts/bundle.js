// `npm run build -w integration`: the production bundle Botpress Cloud runs, made the way the Botpress CLI's
// `bp build` / `bp bundle` makes it: esbuild, one CommonJS file, from a stub that re-exports the integration as the
// default export and its `handler` (the SDK's HTTP dispatcher) as `handler`; platform node, target es2020,
// keepNames, no legal comments. `bp deploy` uploads .botpress/dist/index.cjs (see hub.md).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

export const INTEGRATION_DIR = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE_FILE = fileURLToPath(new URL('../.botpress/dist/index.cjs', import.meta.url))

/** The CLI's entry stub (bundle-command.ts in botpress/botpress packages/cli). */
const ENTRY_STUB = "import x from './src/index'; export default x; export const handler = x.handler;"
/** Sibling workspace packages (@liveagent-hop/*) are bundled from their sources, so no build order matters here. */
const SOURCE_CONDITION = 'liveagent-hop-source'

export async function bundleIntegration(outfile = BUNDLE_FILE) {
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
    legalComments: 'none',
    conditions: [SOURCE_CONDITION],
    logLevel: 'warning',
    logOverride: { 'equals-negative-zero': 'silent' },
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await bundleIntegration(process.argv[2])
  console.log(`integration bundle: ${outfile}`)
}
