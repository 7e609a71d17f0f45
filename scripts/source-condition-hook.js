// Module resolve hook (registered by run-source.js): adds the export condition that maps every @liveagent-hop/*
// package to its TypeScript sources. The condition's name is ours alone, so no other tool turns it on by accident
// (bundlers set `development` in dev mode, for instance).
export const SOURCE_CONDITION = 'liveagent-hop-source'

export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [SOURCE_CONDITION, ...context.conditions] })
}
