// The production bundle (npm run build -w integration: one CommonJS file, as `bp build` makes it) is what Botpress
// Cloud runs. This test builds it into a temporary folder, loads that file alone and serves its `handler` with the
// SDK's HTTP server, then runs a hand-off through it against the real hop server and the mock Live Agent: the same
// path as end-to-end.test.ts, but through the built artefact instead of the sources.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { serve } from '@botpress/sdk'
import type { MockServer } from '@liveagent-hop/mock-server'
import * as sources from '../src/router/index.js'
import { parseLabelledList, type RouterConfig } from '../src/router/index.js'
import type { IntegrationServer } from './support/integration-server.js'
import { customerSays, eventually, startEndToEnd, startHitlFor, type EndToEnd } from './support/hop-stack.js'

const BUNDLE_SCRIPT = fileURLToPath(new URL('../scripts/bundle.js', import.meta.url))
type Handler = Parameters<typeof serve>[0]
interface Bundle {
  default: { handler: Handler }
  handler: Handler
}

describe('the integration bundle', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'integration-bundle-'))
  const bundleDir = join(workDir, 'dist')
  const bundleFile = join(bundleDir, 'index.js')
  let bundle: Bundle
  let stack: EndToEnd
  let mock: MockServer
  let bp: IntegrationServer

  beforeAll(async () => {
    execFileSync(process.execPath, [BUNDLE_SCRIPT, bundleDir], { stdio: 'pipe' })
    bundle = createRequire(import.meta.url)(bundleFile) as Bundle
    stack = await startEndToEnd('live-agent', {}, () => serve(bundle.handler, 0))
    ;({ mock, bp } = stack)
  })
  afterAll(async () => {
    await stack?.close()
    rmSync(workDir, { recursive: true, force: true })
  })

  it('is one self-contained CommonJS file: it requires nothing but Node built-ins', () => {
    const code = readFileSync(bundleFile, 'utf8')
    const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]!))
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
    expect([...required].filter((name) => !builtins.has(name))).toEqual([])
    expect(bundle.handler).toBe(bundle.default.handler)
  })

  it('hands a conversation to an agent and back through the bundled handler', async () => {
    const store = () => bp.botpress.store

    await expect(bp.botpress.register(bp.webhookUrl)).resolves.toMatchObject({ status: 200 })
    const { userId, conversationId } = await startHitlFor(bp, 'Ada')
    const chat = await mock.admin.waitForChat((view) => view.state !== 'ended' && view.visitorName === 'Ada')

    mock.admin.accept(chat.id, { agentName: 'Andy' })
    await eventually(() => store().eventsOf('hitlAssigned').length === 1, 'hitlAssigned')
    mock.admin.agentMessage(chat.id, 'Hi Ada, Andy here')
    await eventually(
      () =>
        store()
          .transcript(conversationId)
          .some((line) => line.text === 'Hi Ada, Andy here'),
      'the agent message'
    )
    const sent = await customerSays(bp, { conversationId, userId }, 'Order 42')
    expect(sent.status).toBe(200)
    await eventually(
      () => mock.admin.chat(chat.id)!.transcript.some((entry) => entry.text === 'Order 42'),
      'the visitor message to reach the agent'
    )

    mock.admin.endChat(chat.id, 'agent')
    await eventually(() => store().conversationState(conversationId, 'handoff')?.status === 'ended', 'the end')
    expect(store().conversationState(conversationId, 'handoff')).toMatchObject({ endReason: 'agent' })
    expect(
      store()
        .eventsOf('hitlStopped')
        .map((event) => event.payload)
    ).toEqual([{ conversationId }])
  })
})

// The request check in the bundle trains from counts made when the bundle was built (scripts/bundle.js), not from its
// sentences: the router alone, built the same way, must decide as the sources do, which count the files at first use.
describe('the request check in the bundle', () => {
  type RouterModule = typeof sources
  const workDir = mkdtempSync(join(tmpdir(), 'router-bundle-'))
  const CORPUS_DIR = fileURLToPath(new URL('corpus/', import.meta.url))
  const corpus = readdirSync(CORPUS_DIR)
    .filter((name) => /^trigger\.[a-z]+\.\w+\.txt$/.test(name))
    .flatMap((name) =>
      parseLabelledList(readFileSync(join(CORPUS_DIR, name), 'utf8')).sentences.map(({ text }) => ({
        text,
        locale: name.split('.')[1]!,
      }))
    )
  const outfile = join(workDir, 'router.cjs')
  /** The router alone as scripts/bundle.js builds it. */
  const bundleRouter = (): RouterModule => {
    const script = `
      import { bundleRouter } from ${JSON.stringify(pathToFileURL(BUNDLE_SCRIPT).href)}
      await bundleRouter(${JSON.stringify(outfile)})`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' })
    return createRequire(import.meta.url)(outfile) as RouterModule
  }
  /** The sentences a router decides otherwise than the sources, with both decisions. */
  const differences = (bundled: RouterModule, sentences: typeof corpus, config?: RouterConfig) => {
    const routerOf = (module: RouterModule) => (config ? module.buildRouter(config) : undefined)
    const [bundledRouter, sourceRouter] = [routerOf(bundled), routerOf(sources)]
    return sentences.flatMap(({ text, locale }) => {
      const inBundle = bundled.matchTrigger(text, { locale, router: bundledRouter })
      const inSources = sources.matchTrigger(text, { locale, router: sourceRouter })
      return JSON.stringify(inBundle) === JSON.stringify(inSources) ? [] : [{ text, inBundle, inSources }]
    })
  }
  const refusedByTheCheck = (sentences: typeof corpus) =>
    sentences.filter(({ text, locale }) => sources.matchTrigger(text, { locale }).reason === 'unlikely-request')

  let bundled: RouterModule
  beforeAll(() => {
    bundled = bundleRouter()
  }, 60_000)
  afterAll(() => rmSync(workDir, { recursive: true, force: true }))

  it('decides every corpus sentence as the sources do', () => {
    expect(refusedByTheCheck(corpus).length).toBeGreaterThan(0)
    expect(differences(bundled, corpus)).toEqual([])
  }, 60_000)

  it('carries the counts, not the training sentences, and knows each built-in locale has training', () => {
    const code = readFileSync(outfile, 'utf8')
    const tuning = readFileSync(join(CORPUS_DIR, 'trigger.de.tuning.txt'), 'utf8')
    // A long sentence in plain ASCII, which esbuild would write as it stands had it been inlined.
    const sentence = parseLabelledList(tuning).sentences.find(({ text }) => /^[A-Za-z ,.?]{40,}$/.test(text))!.text
    expect(code).toContain('"trigger.de.tuning.txt":')
    expect(code).not.toContain(sentence)
    // Checked on save: examples of one kind only are refused for a locale without built-in training, not for these.
    const oneKind = (locale: string) => ({
      ...sources.DEFAULT_ROUTER_CONFIG,
      requestCheck: [{ locale, examples: ['+ a'] }],
    })
    expect(bundled.validateRouterConfig(oneKind('de'))).toEqual([])
    expect(bundled.validateRouterConfig(oneKind('it')).join(' ')).toMatch(/no built-in sentences in it/)
  }, 60_000)

  it('learns a designer’s examples on top of its counts as the sources do', () => {
    const config: RouterConfig = {
      ...sources.DEFAULT_ROUTER_CONFIG,
      requestCheck: [
        { locale: 'de', examples: ['+ ist der Kundenservice gerade erreichbar?', '- mein Berater hat angerufen'] },
      ],
    }
    const german = corpus.filter(({ locale }) => locale === 'de')
    // Refused by default as a doubt about the service (router-model.test.ts says why); the example makes it a request.
    const question = { text: 'ist der Kundenservice überhaupt erreichbar?', locale: 'de' }
    // The example changes this decision, in the bundle as in the sources.
    expect(bundled.matchTrigger(question.text, { locale: 'de' }).matched).toBe(false)
    expect(bundled.matchTrigger(question.text, { locale: 'de', router: bundled.buildRouter(config) }).matched).toBe(
      true
    )
    expect(differences(bundled, [...german, question], config)).toEqual([])
  }, 60_000)
})
