// The small chaos run on Enhanced Chat: a few chats over the simulator's Enhanced Chat API, with 5xx answers, broken
// and ended event streams and late events among the faults, and one chat ended by its guest token expiring.
import { expect } from '@jest/globals'
import { describeSmallChaos } from './support/small-chaos.js'

describeSmallChaos({
  backend: 'enhanced-chat',
  title: 'chaos over Enhanced Chat, small run (10 chats, 2 kills, a lost replica, a token expiry)',
  claim: 'keeps every message exactly once and in order, and ends each chat as planned',
  chats: 10,
  messages: 4,
  artifacts: 'chaos-enhanced',
  // Chat 9 of each part ends by its token expiring: the hop server ends it with `error`.
  expectMore: (part) => expect(part.chats.endReasons.error).toBe(1),
})
