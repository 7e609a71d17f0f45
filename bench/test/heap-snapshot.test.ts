// The heap snapshot summary of `npm run bench -- --heap` (src/profile/heap-snapshot.ts): retained size by
// constructor on a snapshot built here by hand, and clear errors for a truncated or inconsistent one.
import { describe, expect, it } from '@jest/globals'
import { HeapSnapshotError, parseHeapSnapshot, summarizeHeap, type HeapSnapshot } from '../src/profile/heap-snapshot.js'

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic']
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']
const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness']

interface Fixture {
  type: string
  name: string
  size: number
  edges: [type: string, to: number][]
}

function snapshotOf(fixture: Fixture[]): HeapSnapshot {
  const strings: string[] = []
  const string = (value: string) => (strings.includes(value) ? strings.indexOf(value) : strings.push(value) - 1)
  const nodes = fixture.flatMap((node, index) => [
    NODE_TYPES.indexOf(node.type),
    string(node.name),
    index * 2 + 1,
    node.size,
    node.edges.length,
    0,
    0,
  ])
  const edges = fixture.flatMap((node) =>
    node.edges.flatMap(([type, to]) => [EDGE_TYPES.indexOf(type), string('x'), to * NODE_FIELDS.length])
  )
  return {
    snapshot: {
      meta: {
        node_fields: NODE_FIELDS,
        node_types: [NODE_TYPES, 'string'],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES, 'string'],
      },
      node_count: fixture.length,
      edge_count: edges.length / 3,
    },
    nodes,
    edges,
    strings,
  }
}

// A chat holds its session, which holds a second (nested) chat; a string is shared by the chat and a cache, so
// neither dominates it; a large object hangs on a weak edge only.
const FIXTURE: Fixture[] = [
  { type: 'synthetic', name: '', size: 0, edges: [['element', 1]] },
  {
    type: 'synthetic',
    name: '(GC roots)',
    size: 0,
    edges: [
      ['element', 2],
      ['element', 6],
    ],
  },
  {
    type: 'object',
    name: 'Chat',
    size: 100,
    edges: [
      ['property', 3],
      ['property', 5],
    ],
  },
  { type: 'object', name: 'Session', size: 50, edges: [['property', 4]] },
  { type: 'object', name: 'Chat', size: 30, edges: [] },
  { type: 'string', name: 'hello', size: 20, edges: [] },
  {
    type: 'object',
    name: 'Cache',
    size: 10,
    edges: [
      ['property', 5],
      ['weak', 7],
    ],
  },
  { type: 'object', name: 'Ghost', size: 1000, edges: [] },
]

describe('heap snapshot summary', () => {
  const summary = summarizeHeap(snapshotOf(FIXTURE))

  it('adds up retained size by constructor without counting a nested object of the same constructor twice', () => {
    expect(summary.constructors).toEqual([
      { name: 'Chat', count: 2, selfBytes: 130, retainedBytes: 180 },
      { name: 'Session', count: 1, selfBytes: 50, retainedBytes: 80 },
      { name: '(string)', count: 1, selfBytes: 20, retainedBytes: 20 },
      { name: 'Cache', count: 1, selfBytes: 10, retainedBytes: 10 },
    ])
  })

  it('leaves out what only a weak edge reaches, and the synthetic roots', () => {
    expect(summary.totalBytes).toBe(210)
    expect(summary.objects).toBe(7)
    expect(summary.constructors.map((entry) => entry.name)).not.toContain('Ghost')
    expect(summary.constructors.map((entry) => entry.name)).not.toContain('(GC roots)')
    expect(summarizeHeap(snapshotOf(FIXTURE), 2).constructors).toHaveLength(2)
  })

  it('refuses a truncated or inconsistent snapshot with a sentence', () => {
    const text = JSON.stringify(snapshotOf(FIXTURE))
    expect(() => parseHeapSnapshot(text.slice(0, 200), 'h.heapsnapshot')).toThrow(
      /^h\.heapsnapshot is not a complete heap snapshot \(/
    )
    expect(() => parseHeapSnapshot('{"nodes":[]}', 'h.heapsnapshot')).toThrow(
      /^h\.heapsnapshot is not a V8 heap snapshot: /
    )
    const short = { ...JSON.parse(text), nodes: JSON.parse(text).nodes.slice(7) }
    expect(() => parseHeapSnapshot(JSON.stringify(short), 'h.heapsnapshot')).toThrow(/does not hold 8 nodes/)
    expect(() => parseHeapSnapshot('', 'h')).toThrow(HeapSnapshotError)
    expect(parseHeapSnapshot(text, 'h.heapsnapshot').snapshot.node_count).toBe(8)
  })
})
