// Reproduces, deterministically, a duplicate the chaos run finds by chance: a visitor message whose ChatMessage
// was in flight when the hop server died, and a 503 server hand-over before the restarted hop server resends it.
//   1. one chat, agent joined; the mock delays the chat's next ChatMessage by DELAY_MS (then applies it anyway,
//      as a server that acts on a request whose answer is lost);
//   2. a visitor message goes to the hop server; kill -9 while its ChatMessage (sequence 2) is held;
//   3. a hand-over is armed for the chat; the hop server restarts and resends the message: 503, ReconnectSession
//      (the sequence restarts at 1), ChasitorSessionData lists the message as already received, ChasitorResyncState,
//      then the buffered post goes out again under a new sequence number and the agent sees it twice.
// Exit 0 when the message reached the agent once, 1 when it is duplicated (or lost), 2 on a setup failure.
// Run: npx tsx bench/src/repro/crash-then-handover.ts
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JsonClient } from '../http/json-client.js'
import { MockAdmin } from '../http/mock-admin.js'
import { TargetApi } from '../http/target-api.js'
import { freePort } from '../processes/ports.js'
import { MOCK_IDS, startHop, startMock, type HopOptions } from '../processes/services.js'
import { ReceiverProcess } from '../receiver/receiver-process.js'
import { Ledger } from '../run/ledger.js'
import { sleep } from '../run/timing.js'

const DELAY_MS = 3000
const KILL_AFTER_MS = 500
const SETTLE_MS = 5000
const TENANT = 'repro'

const dir = mkdtempSync(join(tmpdir(), 'repro-'))
const secret = randomBytes(24).toString('hex')
const ledger = new Ledger()
const http = new JsonClient()
const mock = await startMock({ logDir: dir, holdMs: 5000, lenient: false })
const admin = new MockAdmin(mock.url)
const receiver = await ReceiverProcess.start({
  logDir: dir,
  tenant: TENANT,
  secret,
  onDeliveries: (d) => ledger.record(d),
})
const hopOptions: HopOptions = {
  name: 'hop',
  logDir: dir,
  port: await freePort(),
  tenant: TENANT,
  secret,
  store: { kind: 'sqlite', dataDir: join(dir, 'data') },
  env: { HOP_LOG_LEVEL: 'info' },
}
let hop = await startHop(hopOptions)
const api = new TargetApi([`http://127.0.0.1:${hopOptions.port}`], TENANT, secret, http, {
  budgetMs: 30_000,
  firstDelayMs: 100,
  maxDelayMs: 1000,
})
let exitCode = 2
try {
  const chat = ledger.add(0, `repro-${randomBytes(3).toString('hex')}`, 'visitor')
  const created = await api.createChat({
    conversationId: chat.conversationId,
    webhookUrl: receiver.url,
    liveAgent: { endpoint: `${mock.url}/chat`, ...MOCK_IDS, apiVersion: '63' },
    visitorName: chat.conversationId,
  })
  ledger.bindChatId(chat, String(created.body.chatId))
  let sessionId: string | undefined
  while (!sessionId) {
    sessionId = (await admin.chats()).find((c) => c.visitorName === chat.conversationId)?.id
    await sleep(100)
  }
  await admin.accept(sessionId)
  if (!(await ledger.waitFor(chat, (c) => c.joinedAt !== undefined, 10_000))) throw new Error('agent.joined missing')

  await admin.injectFault({ resource: 'ChatMessage', kind: 'delay', delayMs: DELAY_MS, sessionId })
  const accepted = await api.sendMessage(chat.chatId!, 'm1', 'hello once')
  console.log(`visitor message: ${accepted.status}`)
  await sleep(KILL_AFTER_MS)
  await hop.crash()
  console.log('kill -9 while the ChatMessage is held by the mock')
  await admin.injectFault({ resource: '*', kind: 'handover', sessionId })
  await sleep(DELAY_MS)
  hop = await startHop(hopOptions)
  console.log('restarted; a hand-over is armed for the chat')
  await sleep(SETTLE_MS)
  const copies = (await admin.chat(sessionId)).transcript.filter((e) => e.from === 'visitor' && e.text === 'hello once')
  console.log(`the agent received the message ${copies.length} time(s) (logs: ${dir})`)
  exitCode = copies.length === 1 ? 0 : 1
} catch (error) {
  console.error(`setup failed: ${(error as Error).message} (logs: ${dir})`)
} finally {
  http.close()
  admin.close()
  await hop.stop()
  await receiver.stop()
  await mock.process.stop()
}
process.exit(exitCode)
