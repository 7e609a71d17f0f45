// The end of `npm run chaos`: one table, one column per part.
import type { ChaosResults } from '../run/chaos-main.js'
import { table } from './table.js'

export function chaosTable(results: ChaosResults): string {
  const parts = results.parts
  const row = (label: string, pick: (part: ChaosResults['parts'][number]) => string | number) => [
    label,
    ...parts.map((part) => String(pick(part))),
  ]
  const enhanced = results.backend === 'enhanced-chat'
  const sumValues = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0)
  return table(
    ['', ...parts.map((part) => (part.part === 'crash' ? 'crash (SQLite)' : 'replicas (Redis)'))],
    [
      row('chats opened', (p) => p.chats.created),
      row('chats completed', (p) => `${p.chats.completed}/${p.chats.requested}`),
      row('kills (kill -9)', (p) => p.kills.length),
      enhanced
        ? row('token expiries (chats ended: error)', (p) => p.chats.endReasons.error ?? 0)
        : row('hand-overs (503) injected', (p) => p.faultsInjected['handover (503)'] ?? 0),
      row('faults injected', (p) => sumValues(p.faultsInjected)),
      row(
        'visitor→agent delivered',
        (p) => `${p.messages.visitorToAgent.delivered}/${p.messages.visitorToAgent.expected}`
      ),
      row(
        'agent→visitor delivered',
        (p) => `${p.messages.agentToVisitor.delivered}/${p.messages.agentToVisitor.expected}`
      ),
      row('messages lost', (p) => p.lost),
      row('messages duplicated', (p) => p.duplicated),
      row('messages reordered', (p) => p.reordered),
      enhanced
        ? row('conversations created twice or reopened', (p) => p.conflicts409)
        : row('409s at the mock', (p) => p.conflicts409),
      row('other integrity problems', (p) => p.integrityProblems - p.lost - p.duplicated - p.reordered),
      row('webhook redeliveries (ok)', (p) => p.integrity.webhookRedeliveries),
      row('API retries (ok)', (p) => sumValues(p.apiRetries)),
      // Not counted as lost (the bridge never accepted them), but the run then exercised less than it should.
      row('sends given up by the driver', (p) => sumValues(p.failures)),
    ]
  )
}
