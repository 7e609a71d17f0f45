// `--from-source` of `npm run bench` and the compiled build the bench runs by default: the flag is listed and
// refused where there is no hop server; a build that fails is refused with one sentence naming the package.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from '@jest/globals'
import { bench, USAGE_EXIT } from './support/bench-cli.js'
import { buildHop, HopBuildError } from '../src/processes/hop-build.js'

const run = promisify(execFile)
const scratch = mkdtempSync(join(tmpdir(), 'bench-build-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A package laid out like hop-server (src/, tsconfig.build.json, bin/) whose only source is `source`. */
function fakePackage(name: string, source: string): { name: string; dir: string } {
  const dir = join(scratch, name)
  mkdirSync(join(dir, 'src'), { recursive: true })
  mkdirSync(join(dir, 'bin'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@fake/${name}`, type: 'module' }))
  writeFileSync(join(dir, 'bin', 'liveagent-hop.js'), "await import('../dist/cli.js')\n")
  const compilerOptions = { strict: true, module: 'nodenext', target: 'ES2022', types: [], noEmit: false }
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ compilerOptions }))
  writeFileSync(join(dir, 'src', 'cli.ts'), source)
  return { name: `@fake/${name}`, dir }
}

describe('bench --from-source', () => {
  it('is listed by --help', async () => {
    const result = await bench(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('--from-source      run the hop server from its TypeScript sources')
  })

  it('refuses a value: it is a switch', async () => {
    const result = await bench(['--from-source=yes', '--only', 'hop'])
    expect(result.code).toBe(USAGE_EXIT)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim()).toMatch(/^Option '--from-source' does not take an argument.*See --help\.$/)
  })

  it('refuses --only baseline, which has no hop server', async () => {
    const result = await bench(['--from-source', '--only', 'baseline'])
    expect(result.code).toBe(USAGE_EXIT)
    expect(result.stderr.trim()).toBe(
      '--from-source picks how the hop server runs, which --only baseline leaves out. See --help.'
    )
  })
})

describe('the compiled build', () => {
  it('compiles a package into the installed layout and returns its bin', async () => {
    const pkg = fakePackage('good', 'export const answer: number = 42\n')
    const outRoot = join(scratch, 'out-good')
    const lines: string[] = []
    const bin = await buildHop({ outRoot, packages: [pkg], progress: (line) => lines.push(line) })
    expect(bin).toBe(join(outRoot, 'node_modules', '@fake', 'good', 'bin', 'liveagent-hop.js'))
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(outRoot, 'node_modules/@fake/good/dist/cli.js'))}); console.log(m.answer)`,
    ])
    expect(stdout.trim()).toBe('42')
    expect(lines[0]).toMatch(/^building @fake\/good \(tsc -p tsconfig.build.json\) into /)
    expect(lines[1]).toMatch(/^built @fake\/good in \d+\.\d s$/)
  }, 120_000)

  it('refuses a build that fails, with one sentence naming the package and the first error', async () => {
    const pkg = fakePackage('broken', "export const answer: number = 'forty-two'\n")
    const failure = buildHop({ outRoot: join(scratch, 'out-broken'), packages: [pkg] })
    await expect(failure).rejects.toBeInstanceOf(HopBuildError)
    await expect(failure).rejects.toThrow(
      /^the build of @fake\/broken failed \(tsc exit 2\): .*cli\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'\.$/
    )
  }, 120_000)
})
