// Tenants (id → shared secret) from HOP_TENANTS (`tenantA:secretA,tenantB:secretB`) or HOP_TENANTS_FILE (JSON).
// Errors name no secret.
import { readFileSync } from 'node:fs'

const TENANT_ID = /^[A-Za-z0-9._-]{1,64}$/
export const MIN_SECRET_LENGTH = 16
const EXPECTED = '(expected id:secret,id:secret)'

export function tenantProblem(id: string, secret: string, known: ReadonlyMap<string, string>): string | undefined {
  if (!TENANT_ID.test(id)) return `tenant id "${id}" must be 1-64 letters, digits, dot, dash or underscore`
  if (secret.length < MIN_SECRET_LENGTH) {
    return `the secret of tenant "${id}" must be at least ${MIN_SECRET_LENGTH} characters`
  }
  if (known.has(id)) return `tenant "${id}" is listed twice`
  return undefined
}

/** `tenantA:secretA,tenantB:secretB`; throws an Error saying what is wrong. */
export function parseTenantList(value: string): Map<string, string> {
  const tenants = new Map<string, string>()
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':')
    if (separator < 0) throw new Error(`an entry has no ":" ${EXPECTED}`)
    const id = entry.slice(0, separator)
    const secret = entry.slice(separator + 1)
    const problem = tenantProblem(id, secret, tenants)
    if (problem) throw new Error(`${problem} ${EXPECTED}`)
    tenants.set(id, secret)
  }
  if (tenants.size === 0) throw new Error(`lists no tenant ${EXPECTED}`)
  return tenants
}

/** `{ "tenantA": "secretA" }` or `[{ "id": "tenantA", "secret": "secretA" }]`; throws an Error saying what is wrong. */
export function readTenantsFile(file: string): Map<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read ${file} as JSON (${(error as Error).message})`)
  }
  const entries: [string, unknown][] = Array.isArray(parsed)
    ? parsed.map((item: { id?: unknown; secret?: unknown }) => [String(item?.id ?? ''), item?.secret])
    : parsed !== null && typeof parsed === 'object'
      ? Object.entries(parsed)
      : []
  const tenants = new Map<string, string>()
  for (const [id, secret] of entries) {
    const problem = tenantProblem(id, typeof secret === 'string' ? secret : '', tenants)
    if (problem) throw new Error(problem)
    tenants.set(id, secret as string)
  }
  if (tenants.size === 0) throw new Error(`${file} lists no tenant`)
  return tenants
}
