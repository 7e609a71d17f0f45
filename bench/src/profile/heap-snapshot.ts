// A V8 heap snapshot (`node --heapsnapshot-signal`, `v8.writeHeapSnapshot()`) reduced to what a memory regression
// needs: retained size by constructor, as Chrome DevTools' Summary view counts it. The retained size of an object is
// what the heap would lose with it: the sizes of every object it dominates (all paths from the GC roots to them go
// through it). A constructor's retained size adds up its objects that no other object of the same constructor
// dominates, so nothing is counted twice. Weak edges keep nothing alive and are left out.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

export class HeapSnapshotError extends Error {
  override readonly name = 'HeapSnapshotError'
}

const snapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.array(z.unknown()).min(1),
      edge_fields: z.array(z.string()),
      edge_types: z.array(z.unknown()).min(1),
    }),
    node_count: z.number().int().min(1),
    edge_count: z.number().int().min(0),
  }),
  nodes: z.array(z.number()),
  edges: z.array(z.number()),
  strings: z.array(z.string()),
})

export type HeapSnapshot = z.infer<typeof snapshotSchema>

export interface ConstructorSize {
  /** The constructor's name, or DevTools' group: (closure), (array), (string), (compiled code), (system), … */
  name: string
  count: number
  selfBytes: number
  retainedBytes: number
}

export interface HeapSummary {
  /** Every object reachable from the root. */
  totalBytes: number
  objects: number
  /** Largest retained size first. */
  constructors: ConstructorSize[]
}

/** DevTools' names for the groups of objects that have no constructor of their own. */
const TYPE_GROUPS: Readonly<Record<string, string>> = {
  hidden: '(system)',
  array: '(array)',
  string: '(string)',
  code: '(compiled code)',
  closure: '(closure)',
  regexp: '(regexp)',
  number: '(number)',
  'concatenated string': '(concatenated string)',
  'sliced string': '(sliced string)',
  symbol: '(symbol)',
  bigint: '(bigint)',
  'object shape': '(object shape)',
}
const DEFAULT_TOP = 15
const ROOT = 0

export function parseHeapSnapshot(text: string, source: string): HeapSnapshot {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new HeapSnapshotError(
      `${source} is not a complete heap snapshot (${text.length === 0 ? 'the file is empty' : (error as Error).message})`
    )
  }
  const parsed = snapshotSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new HeapSnapshotError(
      `${source} is not a V8 heap snapshot: ${issue ? `${issue.path.join('.') || 'the document'}: ${issue.message}` : 'unexpected shape'}`
    )
  }
  const snapshot = parsed.data
  const { meta, node_count: nodeCount, edge_count: edgeCount } = snapshot.snapshot
  for (const field of ['type', 'name', 'self_size', 'edge_count'])
    if (!meta.node_fields.includes(field)) throw new HeapSnapshotError(`${source} has no node field ${field}`)
  for (const field of ['type', 'to_node'])
    if (!meta.edge_fields.includes(field)) throw new HeapSnapshotError(`${source} has no edge field ${field}`)
  if (snapshot.nodes.length !== nodeCount * meta.node_fields.length)
    throw new HeapSnapshotError(
      `${source} is not a consistent heap snapshot: the node array does not hold ${nodeCount} nodes`
    )
  if (snapshot.edges.length !== edgeCount * meta.edge_fields.length)
    throw new HeapSnapshotError(
      `${source} is not a consistent heap snapshot: the edge array does not hold ${edgeCount} edges`
    )
  return snapshot
}

export function readHeapSnapshot(file: string): HeapSnapshot {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new HeapSnapshotError(
      `cannot read the heap snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`
    )
  }
  return parseHeapSnapshot(text, file)
}

export function summarizeHeap(snapshot: HeapSnapshot, top = DEFAULT_TOP): HeapSummary {
  const { meta, node_count: n } = snapshot.snapshot
  const nodeFields = meta.node_fields.length
  const edgeFields = meta.edge_fields.length
  const nodeTypes = meta.node_types[0] as string[]
  const edgeTypes = meta.edge_types[0] as string[]
  const at = (field: string) => meta.node_fields.indexOf(field)
  const [typeAt, nameAt, sizeAt, edgesAt] = [at('type'), at('name'), at('self_size'), at('edge_count')]
  const edgeTypeAt = meta.edge_fields.indexOf('type')
  const toAt = meta.edge_fields.indexOf('to_node')
  const weak = edgeTypes.indexOf('weak')
  const { nodes, edges, strings } = snapshot

  // Outgoing edges as [first, end) per node, weak ones skipped when walking.
  const firstEdge = new Uint32Array(n + 1)
  for (let node = 0; node < n; node++) firstEdge[node + 1] = firstEdge[node]! + nodes[node * nodeFields + edgesAt]!
  if (firstEdge[n]! * edgeFields !== edges.length)
    throw new HeapSnapshotError('the heap snapshot is not consistent: its nodes name more or fewer edges than it has')
  const target = (edge: number) => {
    const to = edges[edge * edgeFields + toAt]! / nodeFields
    if (!Number.isInteger(to) || to < 0 || to >= n)
      throw new HeapSnapshotError('the heap snapshot has an edge to nowhere')
    return to
  }
  const strong = (edge: number) => edges[edge * edgeFields + edgeTypeAt] !== weak

  // Depth-first postorder from the root (iterative: the heap is deep).
  const order = new Int32Array(n).fill(-1)
  const postorder: number[] = []
  const stack: number[] = [ROOT]
  const cursor = new Uint32Array(n)
  const seen = new Uint8Array(n)
  seen[ROOT] = 1
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!
    let edge = firstEdge[node]! + cursor[node]!
    let next = -1
    while (edge < firstEdge[node + 1]!) {
      cursor[node]!++
      if (strong(edge)) {
        const to = target(edge)
        if (!seen[to]) {
          next = to
          break
        }
      }
      edge++
    }
    if (next >= 0) {
      seen[next] = 1
      stack.push(next)
    } else {
      order[node] = postorder.length
      postorder.push(node)
      stack.pop()
    }
  }

  // Predecessors of reachable nodes, then immediate dominators (Cooper, Harvey and Kennedy's iteration).
  const predecessors = csr(n, (add) => {
    for (const node of postorder)
      for (let edge = firstEdge[node]!; edge < firstEdge[node + 1]!; edge++) if (strong(edge)) add(target(edge), node)
  })
  const idom = new Int32Array(n).fill(-1)
  idom[ROOT] = ROOT
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!
      while (order[b]! < order[a]!) b = idom[b]!
    }
    return a
  }
  for (let changed = true; changed;) {
    changed = false
    for (let index = postorder.length - 2; index >= 0; index--) {
      const node = postorder[index]!
      let dominator = -1
      for (let at = predecessors.first[node]!; at < predecessors.first[node + 1]!; at++) {
        const pred = predecessors.items[at]!
        if (idom[pred] === -1) continue
        dominator = dominator === -1 ? pred : intersect(pred, dominator)
      }
      if (dominator !== -1 && idom[node] !== dominator) {
        idom[node] = dominator
        changed = true
      }
    }
  }

  // Retained sizes: children come before their dominator in postorder.
  const retained = new Float64Array(n)
  for (const node of postorder) retained[node] = retained[node]! + nodes[node * nodeFields + sizeAt]!
  for (const node of postorder) if (node !== ROOT) retained[idom[node]!] = retained[idom[node]!]! + retained[node]!

  const className = (node: number) => {
    const type = nodeTypes[nodes[node * nodeFields + typeAt]!] ?? 'hidden'
    return TYPE_GROUPS[type] ?? strings[nodes[node * nodeFields + nameAt]!] ?? '(unknown)'
  }
  // A constructor's retained size: its objects not dominated by another of its objects (walk the dominator tree).
  const children = csr(n, (add) => {
    for (const node of postorder) if (node !== ROOT) add(idom[node]!, node)
  })
  const byClass = new Map<string, ConstructorSize>()
  const onPath = new Map<string, number>()
  const walk: [node: number, leaving: boolean][] = [[ROOT, false]]
  while (walk.length > 0) {
    const [node, leaving] = walk.pop()!
    const name = node === ROOT ? '' : className(node)
    if (leaving) {
      onPath.set(name, onPath.get(name)! - 1)
      continue
    }
    // The synthetic roots ((GC roots), (Strong roots), …) are the graph's scaffolding, not objects.
    if (node !== ROOT && nodeTypes[nodes[node * nodeFields + typeAt]!] !== 'synthetic') {
      const entry = byClass.get(name) ?? { name, count: 0, selfBytes: 0, retainedBytes: 0 }
      entry.count += 1
      entry.selfBytes += nodes[node * nodeFields + sizeAt]!
      if (!onPath.get(name)) entry.retainedBytes += retained[node]!
      byClass.set(name, entry)
    }
    onPath.set(name, (onPath.get(name) ?? 0) + 1)
    walk.push([node, true])
    for (let at = children.first[node]!; at < children.first[node + 1]!; at++) walk.push([children.items[at]!, false])
  }
  return {
    totalBytes: retained[ROOT]!,
    objects: postorder.length,
    constructors: [...byClass.values()].sort((a, b) => b.retainedBytes - a.retainedBytes).slice(0, top),
  }
}

/** Adjacency lists in two flat arrays: `fill` is called twice (count, then place) with the same pairs. */
function csr(
  n: number,
  fill: (add: (from: number, to: number) => void) => void
): { first: Uint32Array; items: Uint32Array } {
  const first = new Uint32Array(n + 1)
  fill((from) => {
    first[from + 1]!++
  })
  for (let node = 0; node < n; node++) first[node + 1] = first[node + 1]! + first[node]!
  const items = new Uint32Array(first[n]!)
  const next = first.slice(0, n)
  fill((from, to) => {
    items[next[from]!++] = to
  })
  return { first, items }
}
