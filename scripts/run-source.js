// Runs a workspace's TypeScript entry point straight from a clone of the repository, with no build step: `npm start`,
// the tests, the bench and `npx liveagent-hop` in a clone all come through here.
//
// Two loader hooks: tsx (TypeScript at run time), and the `liveagent-hop-source` export condition, so that an import
// of a sibling package (`@liveagent-hop/hop-server`, ...) resolves to its src/ like the importing code does, and not
// to its dist/, which a clone may not have built. An installed package has no src/: its bin runs dist/ with plain
// Node, and nothing here is loaded.
import { register } from 'node:module'
import { register as registerTsx } from 'tsx/esm/api'

/** @param {URL} entry the TypeScript file to run */
export async function runSource(entry) {
  register('./source-condition-hook.js', import.meta.url)
  registerTsx()
  await import(entry.href)
}
