// Which group and part of the code a profile frame's self time belongs to, from its callFrame alone:
// - the V8 pseudo frames: (garbage collector), (idle), (program), (root);
// - `node:` urls: Node's own JavaScript, by module (http/net/tls to HTTP, the rest to node internals);
// - a file under `node_modules/<pkg>/`: that package (a few belong to store, HTTP or logging, see areas.ts);
// - a file under `hop-server/src/` (or the compiled `dist/`): the hop server's own code by directory
//   (`backends/<name>` one level deeper; `store` counts as store);
// - no url at all (a built-in such as JSON.parse, or a native addon's method): undefined, the caller decides.
import { BUILTIN_GROUPS, PACKAGE_GROUPS, SCOPE_GROUPS, type GroupId } from './areas.js'
import type { CallFrame } from './cpu-profile.js'

export interface Area {
  group: GroupId
  /** A package name, `node:<module>`, or the hop server's directory (`pump`, `backends/live-agent`, …). */
  part: string
}

const PSEUDO_FRAMES: Readonly<Record<string, Area>> = {
  '(garbage collector)': { group: 'gc', part: '(garbage collector)' },
  '(idle)': { group: 'idle', part: '(idle)' },
  '(program)': { group: 'program', part: '(program)' },
  '(root)': { group: 'program', part: '(root)' },
}

/** Native frames with no JavaScript caller (rare: a callback straight from the event loop). */
export const UNCALLED_NATIVE: Area = { group: 'node', part: '(native)' }

const NODE_MODULES = '/node_modules/'
const HOP_PACKAGE = '@liveagent-hop/hop-server'
const HOP_SOURCE = /\/hop-server\/(?:src|dist)\/(.+)$/
const SOURCE_ROOT = /^\/?(?:src|dist)\/(.+)$/

export function frameArea(frame: CallFrame): Area | undefined {
  const pseudo = PSEUDO_FRAMES[frame.functionName]
  if (pseudo && frame.url === '') return pseudo
  if (frame.url === '') return undefined
  if (frame.url.startsWith('node:')) return builtinArea(frame.url.slice('node:'.length))
  const path = filePath(frame.url)
  const inModules = path.lastIndexOf(NODE_MODULES)
  if (inModules >= 0) {
    const rest = path.slice(inModules + NODE_MODULES.length)
    const name = packageName(rest)
    if (name === HOP_PACKAGE) {
      const own = SOURCE_ROOT.exec(rest.slice(name.length))
      if (own) return ownArea(own[1]!)
    }
    return { group: PACKAGE_GROUPS[name] ?? SCOPE_GROUPS[name.split('/')[0]!] ?? 'packages', part: name }
  }
  const own = HOP_SOURCE.exec(path)
  if (own) return ownArea(own[1]!)
  return { group: 'other', part: path.split('/').slice(-3).join('/') }
}

/** `internal/streams/readable` → node internals, part `node:internal/streams`; `_http_client` → HTTP out. */
function builtinArea(module: string): Area {
  const segments = module.split('/')
  for (let length = segments.length; length > 0; length--) {
    const prefix = segments.slice(0, length).join('/')
    const group = BUILTIN_GROUPS[prefix]
    if (group) return { group, part: `node:${prefix}` }
  }
  const part = segments[0] === 'internal' ? segments.slice(0, 2).join('/') : segments[0]!
  return { group: 'node', part: `node:${part}` }
}

/** `pump/chat-pump.ts` → pump; `backends/live-agent/poll.ts` → backends/live-agent; `server.ts` → server. */
function ownArea(relative: string): Area {
  const segments = relative.split('/')
  const file = segments.pop()!
  const depth = segments[0] === 'backends' ? 2 : 1
  const part = segments.length > 0 ? segments.slice(0, depth).join('/') : file.replace(/\.[cm]?[jt]s$/, '')
  return { group: part === 'store' ? 'store' : 'own', part: `hop-server/src/${part}` }
}

function filePath(url: string): string {
  if (!url.startsWith('file://')) return url
  try {
    return decodeURIComponent(new URL(url).pathname)
  } catch {
    return url.slice('file://'.length)
  }
}

/** `@scope/name/lib/x.js` → `@scope/name`; `name/lib/x.js` → `name`. */
function packageName(rest: string): string {
  const segments = rest.split('/')
  return segments[0]!.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]!
}
