// The phrase tester: a page where a conversation designer tries sentences against the trigger and cancel router, with
// their own words and request check settings, and scores a labelled list. Served by the chat page's web server
// (registerPhraseTester) under /phrase-tester.
import { readFile } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import {
  BUILT_IN_LEXICONS,
  MAX_REQUEST_CHECK_EXAMPLES,
  RESCUE_NAMED_ONLY,
  builtInRescue,
  rescueSettingOf,
} from '@liveagent-hop/integration'
import { decide, evaluateList, requestCheckConfig, routerWith, TesterInputError } from './tester.js'

export const PHRASE_TESTER_PATH = '/phrase-tester'

const MAX_SENTENCES_CHARS = 20_000
const MAX_SENTENCES = 200
const MAX_LIST_CHARS = 200_000
const MAX_WORDS_PER_LIST = 200

const ASSETS = [
  { path: PHRASE_TESTER_PATH, file: 'page.html', type: 'text/html; charset=utf-8' },
  { path: `${PHRASE_TESTER_PATH}/page.js`, file: 'page.js', type: 'text/javascript; charset=utf-8' },
  { path: `${PHRASE_TESTER_PATH}/page.css`, file: 'page.css', type: 'text/css; charset=utf-8' },
] as const

const wordList = (what: string, max = MAX_WORDS_PER_LIST) =>
  z
    .array(z.string({ error: `${what} must be text` }), { error: `${what} must be a list` })
    .max(max, `${what}: at most ${max} entries`)
    .default([])

// The default is the integration's: the check on, with the built-in sentences alone and the locale's built-in rescue.
const requestCheckTrial = z
  .object(
    {
      enabled: z.boolean({ error: 'The request check switch must be true or false' }).default(true),
      rescue: z
        .union([z.boolean(), z.literal(RESCUE_NAMED_ONLY)], {
          error: `The near-miss choice must be true (any near miss), "${RESCUE_NAMED_ONLY}" (only when a person is named) or false`,
        })
        .optional(),
      examples: wordList('Request check examples', MAX_REQUEST_CHECK_EXAMPLES),
    },
    { error: 'requestCheck must be an object with enabled, rescue and examples' }
  )
  .default({ enabled: true, examples: [] })

const commonFields = {
  kind: z.enum(['trigger', 'cancel'], { error: 'kind must be trigger or cancel' }).default('trigger'),
  locale: z
    .string({ error: 'locale must be text' })
    .trim()
    .regex(/^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i, 'locale must be a language code such as en, fr or fr-CA'),
  additions: z
    .object({
      cues: wordList('Cue words'),
      targets: wordList('Target words'),
      phrases: wordList('Trigger phrases'),
      neverTrigger: wordList('Never-trigger phrases'),
      cancelPhrases: wordList('Cancel phrases'),
      requestCheck: requestCheckTrial,
    })
    .default({
      cues: [],
      targets: [],
      phrases: [],
      neverTrigger: [],
      cancelPhrases: [],
      requestCheck: { enabled: true, examples: [] },
    }),
}

const matchBody = z.object({
  ...commonFields,
  sentences: z
    .string({ error: 'sentences must be text' })
    .max(MAX_SENTENCES_CHARS, `sentences must be at most ${MAX_SENTENCES_CHARS} characters`),
})

const evaluateBody = z.object({
  ...commonFields,
  list: z
    .string({ error: 'list must be text' })
    .max(MAX_LIST_CHARS, `list must be at most ${MAX_LIST_CHARS} characters`),
})

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)

/** Each built-in language's rescue as the configuration writes it, for the page to preset its choice. */
const builtInRescueSettings = () =>
  Object.fromEntries(Object.keys(BUILT_IN_LEXICONS).map((locale) => [locale, rescueSettingOf(builtInRescue(locale))]))

/** Loads the page's files once, then registers the page and its API routes on `app`. */
export async function registerPhraseTester(app: FastifyInstance): Promise<void> {
  const contents = await Promise.all(ASSETS.map((asset) => readFile(new URL(asset.file, import.meta.url))))
  ASSETS.forEach((asset, index) => {
    app.get(asset.path, async (_request, reply) =>
      reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(contents[index])
    )
  })

  app.get('/api/phrase-tester/defaults', async () => ({ rescue: builtInRescueSettings() }))

  app.post('/api/phrase-tester/match', async (request, reply) => {
    const parsed = matchBody.safeParse(request.body ?? {})
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'invalid request' })
    const { kind, locale, additions, sentences } = parsed.data
    const texts = lines(sentences)
    if (texts.length === 0) return reply.code(400).send({ error: 'Type at least one sentence.' })
    if (texts.length > MAX_SENTENCES) {
      return reply
        .code(400)
        .send({ error: `Test at most ${MAX_SENTENCES} sentences at once; paste a list to score more.` })
    }
    return answer(reply, () => {
      const router = routerWith(locale, additions)
      return {
        results: texts.map((text) => ({ text, ...decide(router, kind, text, locale) })),
        requestCheck: requestCheckConfig(locale, additions.requestCheck),
      }
    })
  })

  app.post('/api/phrase-tester/evaluate', async (request, reply) => {
    const parsed = evaluateBody.safeParse(request.body ?? {})
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? 'invalid request' })
    const { kind, locale, additions, list } = parsed.data
    return answer(reply, () => ({
      ...evaluateList(routerWith(locale, additions), kind, list, locale),
      requestCheck: requestCheckConfig(locale, additions.requestCheck),
    }))
  })
}

/** A designer's mistake is a 400 with the sentences that explain it; anything else is ours. */
const answer = <T>(reply: FastifyReply, compute: () => T): T | FastifyReply => {
  try {
    return compute()
  } catch (error) {
    if (error instanceof TesterInputError) return reply.code(400).send({ error: error.message })
    throw error
  }
}
