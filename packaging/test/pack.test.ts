// The pack smoke test: what a user gets from npm, without a clone. Builds the shipped packages (npm run build),
// packs each with `npm pack`, installs the tarballs into an empty project with every other dependency from the
// registry, and runs the bins from there as a user would. Slow by nature (a registry install that compiles
// better-sqlite3's native module); it runs after the other tests (`npm run test:pack`).
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, run, start, stop, stopAll, userEnv, waitFor, type Service } from './support/processes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ROOT_MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }

/** The folders of the packages that ship (the integration ships as a Botpress bundle, tested in integration/). */
const SHIPPED = ['bridge-contract', 'mock-server', 'hop-server', 'contract-tests']
/** What a package may contain besides package.json, README.md and LICENSE. */
const ALLOWED_PREFIXES = ['bin/', 'dist/', 'public/', 'deploy/']
const SOURCE_CONDITION = 'liveagent-hop-source'

/** Build, pack and a registry install that compiles a native module: minutes on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 15 * 60_000
const STEP_TIMEOUT_MS = 60_000
/** The sample CI job installs the simulator from the registry (no native module: well under a minute, given 3). */
const INSTALL_STEP_TIMEOUT_MS = 3 * 60_000
const READY_TIMEOUT_MS = 20_000
const STOP_GRACE_MS = 15_000
const HOP_TENANT = { id: 'smoke', secret: 'smoke-shared-secret-0123456789abcdef' }

interface PackedFile {
  path: string
}
interface Packed {
  name: string
  version: string
  filename: string
  files: PackedFile[]
}
interface Manifest {
  name: string
  version: string
  private?: boolean
  license?: string
  engines?: { node?: string }
  repository?: { url?: string; directory?: string }
  bin?: Record<string, string>
  exports?: Record<string, string | Record<string, string>>
  dependencies?: Record<string, string>
}

const workDir = mkdtempSync(join(tmpdir(), 'pack-smoke-'))
const tarballDir = join(workDir, 'tarballs')
const projectDir = join(workDir, 'project')
const installed = (name: string) => join(projectDir, 'node_modules', name)
const bin = (name: string) => join(projectDir, 'node_modules', '.bin', name)
const timings: string[] = []

let packed: Packed[] = []

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  const result = await step()
  timings.push(`${what} ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return result
}

beforeAll(async () => {
  await timed('build', () => run('npm', ['run', 'build'], { cwd: ROOT }))
  mkdirSync(tarballDir)
  const json = await timed('pack', () =>
    run(
      'npm',
      ['pack', '--json', '--pack-destination', tarballDir, ...SHIPPED.flatMap((folder) => ['--workspace', folder])],
      { cwd: ROOT }
    )
  )
  packed = JSON.parse(json) as Packed[]

  // An empty project that depends on the tarballs only; `overrides` makes the packages' dependencies on one another
  // resolve to the tarballs too (they are not on the registry), everything else comes from the registry.
  mkdirSync(projectDir)
  const tarballs = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${join(tarballDir, pkg.filename)}`]))
  writeFileSync(
    join(projectDir, 'package.json'),
    JSON.stringify({ name: 'pack-smoke', private: true, type: 'module', dependencies: tarballs, overrides: tarballs })
  )
  await timed('install', () => run('npm', ['install', '--no-audit', '--no-fund'], { cwd: projectDir }))
}, SETUP_TIMEOUT_MS)

afterAll(async () => {
  await stopAll()
  rmSync(workDir, { recursive: true, force: true })
  console.info(`pack smoke test: ${timings.join(', ')}`)
})

describe('the packed packages', () => {
  it('are one per shipped folder, all at the repository version', () => {
    const manifests = SHIPPED.map((folder) => JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')))
    expect(packed.map((pkg) => pkg.name).sort()).toEqual(manifests.map((manifest) => manifest.name).sort())
    for (const pkg of packed) expect(pkg.version).toBe(ROOT_MANIFEST.version)
  })

  it('hold only the build, the bins and their assets: no sources, tests or TypeScript but declarations', () => {
    for (const pkg of packed) {
      const paths = pkg.files.map((file) => file.path)
      const stray = paths.filter(
        (path) =>
          !['package.json', 'README.md', 'LICENSE'].includes(path) &&
          !ALLOWED_PREFIXES.some((prefix) => path.startsWith(prefix))
      )
      expect({ name: pkg.name, stray }).toEqual({ name: pkg.name, stray: [] })
      expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([])
      expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']))
    }
  })

  it('carry what a registry user reads: license, engines, repository, a README and the licence text', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    for (const pkg of packed) {
      const manifest = JSON.parse(readFileSync(join(installed(pkg.name), 'package.json'), 'utf8')) as Manifest
      expect(manifest.private).toBeUndefined()
      expect(manifest.license).toBe('Apache-2.0')
      expect(manifest.engines?.node).toBe('>=20')
      expect(manifest.repository?.url).toMatch(/^git\+https:\/\//)
      expect(readFileSync(join(installed(pkg.name), 'LICENSE'), 'utf8')).toBe(license)
      for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
        // a dependency on a sibling is pinned to the same version: the packages move together
        if (name.startsWith('@liveagent-hop/')) expect(range).toBe(ROOT_MANIFEST.version)
      }
    }
  })
})

describe('the installed project', () => {
  it('has real copies of the packages (no workspace links) and no TypeScript runner', () => {
    for (const pkg of packed) expect(lstatSync(installed(pkg.name)).isSymbolicLink()).toBe(false)
    expect(existsSync(installed('tsx'))).toBe(false)
    expect(existsSync(installed('typescript'))).toBe(false)
  })

  it(
    'imports every entry point with plain Node, each from dist/, and nothing in dist/ reaches into src/',
    async () => {
      for (const pkg of packed) {
        const manifest = JSON.parse(readFileSync(join(installed(pkg.name), 'package.json'), 'utf8')) as Manifest
        const subpaths = Object.keys(manifest.exports ?? {}).filter((subpath) => subpath !== './package.json')
        for (const subpath of subpaths) {
          const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`
          const script =
            `const url = import.meta.resolve(${JSON.stringify(specifier)}); const m = await import(url);` +
            'console.log(JSON.stringify({ url, exports: Object.keys(m).length }))'
          const out = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: projectDir })
          const { url, exports } = JSON.parse(out) as { url: string; exports: number }
          expect(relative(installed(pkg.name), fileURLToPath(url))).toMatch(/^dist\/.*\.js$/)
          expect(exports).toBeGreaterThan(0)
        }
        const jsFiles = listFiles(join(installed(pkg.name), 'dist')).filter((file) => file.endsWith('.js'))
        for (const file of jsFiles) {
          expect({
            file,
            src: /from '(\.\.\/)+src\/|import\('(\.\.\/)+src\//.test(readFileSync(file, 'utf8')),
          }).toEqual({
            file,
            src: false,
          })
        }
      }
    },
    STEP_TIMEOUT_MS
  )

  it('keeps the source condition of the repository out of a user resolution', () => {
    // The exports name `liveagent-hop-source` (src/*.ts, for the monorepo's own tools); no tool sets that condition,
    // and every entry still has a dist/ default for everyone else.
    for (const pkg of packed) {
      const manifest = JSON.parse(readFileSync(join(installed(pkg.name), 'package.json'), 'utf8')) as Manifest
      for (const target of Object.values(manifest.exports ?? {})) {
        if (typeof target === 'string') continue
        expect(Object.keys(target)).toEqual([SOURCE_CONDITION, 'types', 'default'])
        expect(target.default).toMatch(/^\.\/dist\//)
      }
    }
  })
})

describe('liveagent-mock, installed', () => {
  let mock: Service
  let url: string

  beforeAll(async () => {
    mock = start(bin('liveagent-mock'), ['--port', '0', '--scenario', 'echo'], { cwd: projectDir })
    url = await waitFor(
      () => mock.output().match(/^(http:\/\/\S+)\n/)?.[1],
      READY_TIMEOUT_MS,
      () => `liveagent-mock printed no base URL:\n${mock.output()}`
    )
  })
  afterAll(async () => {
    if (mock) await stop(mock, 'SIGTERM', STOP_GRACE_MS)
  })

  it('answers a Live Agent SessionId', async () => {
    const response = await fetch(`${url}/chat/rest/System/SessionId`, {
      headers: { 'X-LIVEAGENT-API-VERSION': '47', 'X-LIVEAGENT-AFFINITY': 'null' },
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { id: string; key: string; affinityToken: string }
    expect(body.key.startsWith(`${body.id}!`)).toBe(true)
    expect(body.affinityToken).toMatch(/^[0-9a-f]{8}$/)
  })

  it('answers an Enhanced Chat guest access token', async () => {
    const response = await fetch(`${url}/iamessage/api/v2/authorization/unauthenticated/access-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        orgId: '00D5g000004AbCd',
        esDeveloperName: 'Mock_Custom_Client',
        capabilitiesVersion: '1',
        platform: 'Web',
      }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { accessToken: string }
    expect(body.accessToken.split('.')).toHaveLength(3)
  })

  it('stops on SIGTERM', async () => {
    expect(await stop(mock, 'SIGTERM', STOP_GRACE_MS)).toEqual({ code: 0, signal: null })
  })
})

describe('liveagent-hop, installed', () => {
  const dataDir = join(workDir, 'hop-data')

  it('prints its help and exits 0', async () => {
    const out = await run(bin('liveagent-hop'), ['--help'], { cwd: projectDir })
    expect(out).toMatch(/^liveagent-hop: /)
    expect(out).toContain('HOP_TENANTS')
  })

  it(
    'starts with a tenant from the environment, answers /healthz and stops on SIGTERM',
    async () => {
      const port = await freePort()
      const hop = start(bin('liveagent-hop'), [], {
        cwd: projectDir,
        env: userEnv({
          HOP_PORT: String(port),
          HOP_TENANTS: `${HOP_TENANT.id}:${HOP_TENANT.secret}`,
          HOP_DATA_DIR: dataDir,
        }),
      })
      try {
        const health = await waitFor(
          async () => {
            if (hop.child.exitCode !== null) throw new Error(`liveagent-hop exited:\n${hop.output()}`)
            const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
            return response?.ok ? ((await response.json()) as unknown) : undefined
          },
          READY_TIMEOUT_MS,
          () => `liveagent-hop did not answer /healthz:\n${hop.output()}`
        )
        expect(health).toEqual({ status: 'ok' })
        // Reported, not asserted (speed and size belong to the bench): the installed hop server's resident memory.
        const rss = readFileSync(`/proc/${hop.child.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)?.[1]
        if (rss) timings.push(`liveagent-hop RSS after start ${Math.round(Number(rss) / 1024)} MiB`)
        // the tenant came from the environment: no "no tenant configured" warning, and SQLite in the data dir
        expect(hop.output()).not.toContain('no tenant configured')
        expect(hop.output()).not.toContain(HOP_TENANT.secret)
        expect(readdirSync(dataDir).length).toBeGreaterThan(0)
        expect(await stop(hop, 'SIGTERM', STOP_GRACE_MS)).toEqual({ code: 0, signal: null })
      } finally {
        await stop(hop, 'SIGKILL', STOP_GRACE_MS)
      }
    },
    STEP_TIMEOUT_MS
  )
})

describe('the contract kit, installed', () => {
  it(
    'gives the Live Agent interactions and the simulator state handlers',
    async () => {
      const script =
        "const kit = await import('@liveagent-hop/contract-kit/live-agent');" +
        'console.log(JSON.stringify({ interactions: Object.keys(kit.LIVE_AGENT_INTERACTIONS).length,' +
        ' handlers: typeof kit.liveAgentStateHandlers }))'
      const out = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: projectDir })
      const kit = JSON.parse(out) as { interactions: number; handlers: string }
      expect(kit.interactions).toBeGreaterThan(0)
      expect(kit.handlers).toBe('function')
    },
    STEP_TIMEOUT_MS
  )

  it(
    'runs its CLI: can-i-deploy without a broker is skipped, as documented',
    async () => {
      const out = await run(bin('liveagent-contracts'), ['can-i-deploy'], { cwd: projectDir })
      expect(out).toContain('PACT_BROKER_BASE_URL is not set')
    },
    STEP_TIMEOUT_MS
  )
})

describe('the deployment examples', () => {
  it(
    "the tester's sample CI job runs its tests against the installed simulator and leaves nothing running",
    async () => {
      const job = join(ROOT, 'packaging', 'examples', 'tester-ci-job.sh')
      const mockTarball = join(tarballDir, packed.find((pkg) => pkg.name === '@liveagent-hop/mock-server')!.filename)
      // The "tests" of this sample: a Live Agent SessionId from the URL the job exports.
      const testCommand =
        `node -e "fetch(process.env.LIVEAGENT_MOCK_URL + '/chat/rest/System/SessionId', ` +
        `{ headers: { 'X-LIVEAGENT-API-VERSION': '47', 'X-LIVEAGENT-AFFINITY': 'null' } })` +
        `.then((r) => r.text()).then((t) => require('fs').writeFileSync('session.json', t))"`
      // A tester's own project, empty but for the job: the job installs the simulator itself.
      const testerDir = join(workDir, 'tester')
      mkdirSync(testerDir)
      writeFileSync(join(testerDir, 'package.json'), JSON.stringify({ name: 'tester-project', private: true }))
      const out = await run('bash', [job], {
        cwd: testerDir,
        env: userEnv({ SIMULATOR_PACKAGE: mockTarball, TEST_COMMAND: testCommand }),
      })
      const started = out.match(/tester-ci-job: simulator \(pid (\d+)\) at http:\/\/127\.0\.0\.1:\d+/)
      expect(started).not.toBeNull()
      expect(JSON.parse(readFileSync(join(testerDir, 'session.json'), 'utf8'))).toHaveProperty('key')
      // the job's trap stopped the simulator
      let probe: string | undefined
      try {
        process.kill(Number(started![1]), 0)
      } catch (error) {
        probe = (error as NodeJS.ErrnoException).code
      }
      expect(probe).toBe('ESRCH')
    },
    INSTALL_STEP_TIMEOUT_MS
  )

  it('the systemd unit passes systemd-analyze verify, run on the installed bin', () => {
    const analyze = '/usr/bin/systemd-analyze'
    if (!existsSync(analyze)) {
      console.warn('skipped: systemd-analyze is not installed (Debian package systemd)')
      return
    }
    const unit = readFileSync(join(ROOT, 'hop-server', 'deploy', 'liveagent-hop.service'), 'utf8')
    expect(unit).toMatch(/^ExecStart=\/usr\/local\/bin\/liveagent-hop$/m)
    // The unit names npm -g's bin path; here the bin is in the test project.
    const copy = join(workDir, 'liveagent-hop.service')
    writeFileSync(copy, unit.replace(/^ExecStart=.*$/m, `ExecStart=${bin('liveagent-hop')}`))
    // verify exits 0 on unknown keys, printing a warning: any output is a finding
    const verified = spawnSync(analyze, ['verify', copy], { encoding: 'utf8' })
    expect({ status: verified.status, output: verified.stdout + verified.stderr }).toEqual({ status: 0, output: '' })
  })
})

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]
  )
}
