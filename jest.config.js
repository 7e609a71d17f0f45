// One Jest configuration for the whole monorepo: one project per workspace, all in ESM mode
// (got 14 and pact's proxy are ESM-only, and Jest on Node 20 needs --experimental-vm-modules for them).
import { createDefaultEsmPreset } from 'ts-jest'

const WORKSPACES = [
  'bridge-contract',
  'mock-server',
  'hop-server',
  'botpress-emulator',
  'integration',
  'contract-tests',
  'playground',
  'bench',
  'packaging',
]

/** @param {string} name @returns {import('jest').Config} */
const project = (name) => ({
  ...createDefaultEsmPreset({ tsconfig: `<rootDir>/tsconfig.json` }),
  displayName: name,
  rootDir: `<rootDir>/${name}`,
  testEnvironment: 'node',
  // Sibling packages (@liveagent-hop/*) resolve to their TypeScript sources, as under tsx (scripts/run-source.js):
  // the tests need no build.
  testEnvironmentOptions: { customExportConditions: ['liveagent-hop-source', 'node', 'node-addons'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // TypeScript nodenext imports name the emitted file (./x.js); Jest resolves the source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
})

/** @type {import('jest').Config} */
export default {
  projects: WORKSPACES.map(project),
  testTimeout: 30_000,
}
