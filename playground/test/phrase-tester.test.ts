// The phrase tester page, served by the playground's chat server and driven in headless Chromium like a conversation
// designer would: follow the link from the chat page, try sentences in a locale, add words, try the request check,
// score a labelled list. Its API routes are also tested on their own, without a browser.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { registerPhraseTester } from '../src/phrase-tester/routes.js'
import { launchBrowser, UI_TIMEOUT_MS, VIEWPORT } from './support/pages.js'
import { startTestPlayground, type TestPlayground } from './support/playground.js'

const START_TIMEOUT_MS = 90_000

// A real request the rules match ("talk" … "someone") and the request check refuses today as a remark, and a `+`
// example like it that teaches the check otherwise (both found by trying sentences against the router).
const REFUSED_REQUEST = 'can I talk to someone, my parcel was supposed to arrive last week'
const EXAMPLE_LIKE_IT = '+ can I talk to someone, my order was due last week'
// A near miss: the rules find the cue "have a quick word with" but no person they know; the request check, asked,
// reads a request.
const NEAR_MISS = 'could I have a quick word with the groundskeeper'
// A near miss of the other kind: a person named ("menschlicher Ansprechpartner") but no cue.
const NAMED_NEAR_MISS = 'Menschlicher Ansprechpartner wäre toll'
const NOT_LABELLED = 'talk to someone'
const NOT_LABELLED_ERROR =
  'Request check (en): "talk to someone" is not one labelled sentence: start it with + (asks for a person) or - (does not), then the sentence.'

const resultRows = (page: Page) => page.locator('#results tbody tr')

/** Clicks a button and waits until the page shows the answer to that click (not the previous one). */
const clickAndWait = async (page: Page, selector: string) => {
  const before = Number((await page.locator('body').getAttribute('data-answers')) ?? 0)
  await page.click(selector)
  await page.locator(`body[data-answers="${before + 1}"]`).waitFor()
}

describe('the phrase tester page', () => {
  let playground: TestPlayground
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    // The browser first: without chromium it throws before the playground starts.
    const launching = launchBrowser()
    ;[playground, browser] = await Promise.all([startTestPlayground('manual'), launching])
    const context = await browser.newContext({ viewport: VIEWPORT })
    page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    await page.goto(playground.urls.chat)
    // The chat page links the tester; the designer follows that link.
    const href = await page.locator('#phrase-tester-link').getAttribute('href')
    await page.goto(new URL(href!, playground.urls.chat).toString())
    // The page presets the near-miss choice from the integration's defaults once they are in.
    await page.locator('body[data-ready="true"]').waitFor()
  }, START_TIMEOUT_MS)

  afterAll(async () => {
    await browser?.close()
    await playground?.dispose()
  })

  it('shows match or no match for each sentence, with the explanation, in the picked locale', async () => {
    await page.selectOption('#locale', 'fr')
    await page.fill('#sentences', 'je préfère un vrai conseiller\nil ne faut pas parler à un conseiller\nbonjour')
    await clickAndWait(page, '#test-button')
    await expect(resultRows(page).nth(2).locator('td').nth(0).textContent()).resolves.toBe('bonjour')
    const rows = await resultRows(page).evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))
    )
    expect(rows).toEqual([
      ['je préfère un vrai conseiller', 'match', 'Match (fr): request cue "je prefere" with target "conseiller".'],
      ['il ne faut pas parler à un conseiller', 'no match', 'No match (fr): negated by "ne" (target "conseiller").'],
      ['bonjour', 'no match', 'No match (fr): no request for a person.'],
    ])
  })

  it('tries the words a designer adds for the locale, and refuses bad ones with a sentence', async () => {
    await page.selectOption('#locale', 'en')
    await page.click('#additions summary')
    await page.fill('#targets', 'concierge')
    await page.fill('#never', 'agent portal')
    await page.fill('#sentences', 'can I ring the concierge\nI need the agent portal')
    await clickAndWait(page, '#test-button')
    await expect(resultRows(page).nth(1).locator('td').nth(2).textContent()).resolves.toBe(
      'No match (en): the never-trigger phrase "agent portal" is in the message.'
    )
    await expect(resultRows(page).nth(0).locator('td').nth(1).textContent()).resolves.toBe('no match')

    await page.fill('#cues', 'ring')
    await clickAndWait(page, '#test-button')
    await expect(resultRows(page).nth(0).locator('td').nth(2).textContent()).resolves.toBe(
      'Match (en): request cue "ring" with target "concierge".'
    )

    await page.fill('#cues', 'the')
    await clickAndWait(page, '#test-button')
    await expect(page.locator('#error').textContent()).resolves.toBe(
      'Trigger cue words (en): "the" is only filler words, so it would match almost any message.'
    )
    await page.fill('#cues', '')
    await page.fill('#targets', '')
    await page.fill('#never', '')
  })

  it('scores a pasted labelled list: precision, recall, false positives and each mistake explained', async () => {
    await page.selectOption('#locale', 'en')
    // The rules' own miss: with near misses taken, as English does by default, the check would take it.
    await page.selectOption('#check-rescue', 'false')
    await page.fill(
      '#labelled',
      [
        '# a designer checks a few sentences',
        '+ hook me up with a live person',
        '+ any real people working today?',
        '- I talked to an agent yesterday',
        '- where is my parcel',
        'an unlabelled line',
      ].join('\n')
    )
    await clickAndWait(page, '#score-button')
    await expect(page.locator('#precision').textContent()).resolves.toBe('100.0 %')
    await expect(page.locator('#recall').textContent()).resolves.toBe('50.0 %')
    await expect(page.locator('#false-positives').textContent()).resolves.toBe('0.0 %')
    await expect(page.locator('#counted').textContent()).resolves.toBe('4')
    await expect(page.locator('#mistakes li').allTextContents()).resolves.toEqual([
      'Missed line 3, "any real people working today?": No match (en): a target (target "people") but no request cue (talk, connect me, I want…).',
    ])
    await expect(page.locator('#list-warnings li').allTextContents()).resolves.toEqual([
      'Skipped: Line 6 has no label: start it with + (should match) or - (should not match).',
    ])
    await page.selectOption('#check-rescue', 'true')
  })

  it('scores the cancel matcher too, and says when a list has no labelled line', async () => {
    await page.selectOption('#kind', 'cancel')
    await page.fill('#labelled', '+ never mind, thanks\n- I need to cancel the order I made yesterday')
    await clickAndWait(page, '#score-button')
    await expect(page.locator('#recall').textContent()).resolves.toBe('100.0 %')
    await expect(page.locator('#false-positives').textContent()).resolves.toBe('0.0 %')

    await page.fill('#labelled', 'no labels here')
    await clickAndWait(page, '#score-button')
    await expect(page.locator('#error').textContent()).resolves.toBe(
      'Paste at least one labelled line: + for a sentence that should match, - for one that should not.'
    )
  })

  it('shows a request check refusal plainly, and its switch and examples flip it to a match', async () => {
    const verdict = () => resultRows(page).nth(0).locator('td.result').textContent()
    const why = resultRows(page).nth(0).locator('td.explanation')
    const snippet = async () => JSON.parse((await page.locator('#check-snippet').textContent()) ?? '')
    await page.selectOption('#locale', 'en')
    await page.selectOption('#kind', 'trigger')
    await page.fill('#sentences', REFUSED_REQUEST)
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('no match')
    await expect(why.locator('.found').textContent()).resolves.toBe('cue "talk", target "someone"')
    await expect(why.locator('.against li').allTextContents()).resolves.toContain('"last"')
    await expect(why.locator('.check-hint').textContent()).resolves.toContain('add it (or one like it) as a + example')
    await expect(page.locator('#check-config').isHidden()).resolves.toBe(true)

    // The refusal's own button turns the switch off and tests again.
    await clickAndWait(page, '#results button:has-text("Turn the check off")')
    await expect(page.isChecked('#check-enabled')).resolves.toBe(false)
    await expect(verdict()).resolves.toBe('match')
    await expect(snippet()).resolves.toEqual({ requestCheck: [{ locale: 'en', enabled: false }] })

    await page.check('#check-enabled')
    await page.fill('#check-examples', EXAMPLE_LIKE_IT)
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('match')
    await expect(snippet()).resolves.toEqual({ requestCheck: [{ locale: 'en', examples: [EXAMPLE_LIKE_IT] }] })

    // A bad example is refused with the router's sentence; the answer shown before stays.
    await page.fill('#check-examples', `${EXAMPLE_LIKE_IT}\n${NOT_LABELLED}`)
    await clickAndWait(page, '#test-button')
    await expect(page.locator('#error').textContent()).resolves.toBe(NOT_LABELLED_ERROR)
    await expect(verdict()).resolves.toBe('match')

    // From the refusal itself: one click adds the sentence as a + example and tests again.
    await page.fill('#check-examples', '')
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('no match')
    await clickAndWait(page, '#results button:has-text("Add as + example")')
    await expect(verdict()).resolves.toBe('match')
    await expect(page.inputValue('#check-examples')).resolves.toBe(`+ ${REFUSED_REQUEST}`)

    // The list scores use the same settings.
    await page.fill('#labelled', `+ ${REFUSED_REQUEST}`)
    await clickAndWait(page, '#score-button')
    await expect(page.locator('#recall').textContent()).resolves.toBe('100.0 %')
    await page.fill('#check-examples', '')
    await clickAndWait(page, '#score-button')
    await expect(page.locator('#recall').textContent()).resolves.toBe('0.0 %')
    await expect(page.locator('#mistakes li').allTextContents()).resolves.toEqual([
      expect.stringContaining('the request check reads a remark rather than a request'),
    ])
  })

  it('takes near misses as the locale’s built-in choice says, preset when the locale changes', async () => {
    const verdict = () => resultRows(page).nth(0).locator('td.result').textContent()
    const why = () => resultRows(page).nth(0).locator('td.explanation').textContent()
    const snippet = async () => JSON.parse((await page.locator('#check-snippet').textContent()) ?? '')
    await page.selectOption('#locale', 'de')
    await expect(page.inputValue('#check-rescue')).resolves.toBe('named')
    await page.selectOption('#locale', 'en')
    await expect(page.inputValue('#check-rescue')).resolves.toBe('true')
    await page.selectOption('#kind', 'trigger')
    await page.fill('#check-examples', '')
    await page.fill('#sentences', NEAR_MISS)
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('match')
    await expect(why()).resolves.toContain('the rules found the cue "have a quick word with" but no target')
    await expect(page.locator('#check-config').isHidden()).resolves.toBe(true)

    // A cue without a known person is not a person named: "named" leaves it, and so does off.
    await page.selectOption('#check-rescue', 'named')
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('no match')
    await expect(snippet()).resolves.toEqual({ requestCheck: [{ locale: 'en', rescue: 'named' }] })
    await page.selectOption('#check-rescue', 'false')
    await clickAndWait(page, '#test-button')
    await expect(verdict()).resolves.toBe('no match')
    await expect(snippet()).resolves.toEqual({ requestCheck: [{ locale: 'en', rescue: false }] })

    await page.selectOption('#locale', 'fr')
    await page.selectOption('#locale', 'en')
    await expect(page.inputValue('#check-rescue')).resolves.toBe('true')
  })

  it('answers bad API input with 400 and a sentence', async () => {
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, playground.urls.chat), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const badLocale = await post('/api/phrase-tester/match', { locale: 'english', sentences: 'agent' })
    expect(badLocale.status).toBe(400)
    await expect(badLocale.json()).resolves.toEqual({
      error: 'locale must be a language code such as en, fr or fr-CA',
    })
    const empty = await post('/api/phrase-tester/match', { locale: 'en', sentences: '  \n ' })
    expect(empty.status).toBe(400)
    await expect(empty.json()).resolves.toEqual({ error: 'Type at least one sentence.' })
  })
})

describe('the phrase tester API with request check settings', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = Fastify({ logger: false })
    await registerPhraseTester(app)
  })

  afterAll(async () => {
    await app.close()
  })

  const match = async (requestCheck?: unknown) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/phrase-tester/match',
      payload: { locale: 'en', sentences: REFUSED_REQUEST, additions: { requestCheck } },
    })
    return { status: response.statusCode, body: response.json() }
  }

  it('refuses the sentence by default, naming the cue, the target and the words that weighed against', async () => {
    const { status, body } = await match()
    expect(status).toBe(200)
    expect(body.results[0]).toMatchObject({
      matched: false,
      reason: 'unlikely-request',
      cue: 'talk',
      target: 'someone',
      evidence: expect.stringContaining('"last"'),
    })
    expect(body.requestCheck).toEqual([])
  })

  it('lets the rules alone decide with the check off, and gives the configuration for that', async () => {
    const { status, body } = await match({ enabled: false })
    expect(status).toBe(200)
    expect(body.results[0]).toMatchObject({ matched: true, rule: 'request', cue: 'talk', target: 'someone' })
    expect(body.requestCheck).toEqual([{ locale: 'en', enabled: false }])
  })

  it('learns a + example with the built-in sentences, and the decision changes', async () => {
    const { status, body } = await match({ examples: [EXAMPLE_LIKE_IT] })
    expect(status).toBe(200)
    expect(body.results[0]).toMatchObject({ matched: true, rule: 'request' })
    expect(body.requestCheck).toEqual([{ locale: 'en', examples: [EXAMPLE_LIKE_IT] }])
  })

  const near = async (requestCheck?: unknown, locale = 'en', sentences = NEAR_MISS) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/phrase-tester/match',
      payload: { locale, sentences, additions: { requestCheck } },
    })
    return response.json()
  }

  it('takes near misses as the locale’s built-in choice says, and gives the configuration for another', async () => {
    await expect(near()).resolves.toMatchObject({
      results: [{ matched: true, rule: 'likely-request', cue: 'have a quick word with' }],
      requestCheck: [],
    })
    await expect(near({ rescue: true })).resolves.toMatchObject({ requestCheck: [] })
    await expect(near({ rescue: 'named' })).resolves.toMatchObject({
      results: [{ matched: false, reason: 'no-target' }],
      requestCheck: [{ locale: 'en', rescue: 'named' }],
    })
    await expect(near({ rescue: false })).resolves.toMatchObject({
      results: [{ matched: false, reason: 'no-target' }],
      requestCheck: [{ locale: 'en', rescue: false }],
    })
    await expect(near({ rescue: 'named' }, 'de', NAMED_NEAR_MISS)).resolves.toMatchObject({
      results: [{ matched: true, rule: 'likely-request', target: 'menschlicher ansprechpartner' }],
      requestCheck: [],
    })
    await expect(near({ rescue: true }, 'de-AT', NAMED_NEAR_MISS)).resolves.toMatchObject({
      requestCheck: [{ locale: 'de-AT', rescue: true }],
    })
  })

  it('refuses a near-miss choice the configuration would refuse, with a sentence', async () => {
    await expect(near({ rescue: 'yes' })).resolves.toEqual({
      error: 'The near-miss choice must be true (any near miss), "named" (only when a person is named) or false',
    })
  })

  it('gives each built-in language’s near-miss choice as the configuration writes it', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/phrase-tester/defaults' })
    expect(response.json()).toEqual({ rescue: { en: true, fr: 'named', de: 'named', es: true } })
  })

  it('refuses an example without a label with the sentence the configuration gives on save', async () => {
    await expect(match({ examples: [EXAMPLE_LIKE_IT, NOT_LABELLED] })).resolves.toEqual({
      status: 400,
      body: { error: NOT_LABELLED_ERROR },
    })
    await expect(match({ enabled: 'no' })).resolves.toEqual({
      status: 400,
      body: { error: 'The request check switch must be true or false' },
    })
  })

  it('scores a pasted list with the same settings', async () => {
    const recall = async (requestCheck: unknown) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/phrase-tester/evaluate',
        payload: { locale: 'en', list: `+ ${REFUSED_REQUEST}`, additions: { requestCheck } },
      })
      return response.json().scores.recall
    }
    await expect(recall({})).resolves.toBe(0)
    await expect(recall({ enabled: false })).resolves.toBe(1)
    await expect(recall({ examples: [EXAMPLE_LIKE_IT] })).resolves.toBe(1)
  })
})
