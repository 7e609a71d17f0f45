// The small chaos run on Live Agent: 200 chats, 503 hand-overs among the faults (at any moment, kills and chat ends
// too).
import { describeSmallChaos } from './support/small-chaos.js'

describeSmallChaos({
  backend: 'live-agent',
  title: 'chaos, small run (200 chats, 2 kills, a lost replica)',
  claim: 'keeps every message exactly once and in order, with no 409',
  chats: 200,
  messages: 6,
  artifacts: 'chaos',
})
